//! `docksmith fmt [PATH...] [--check] [--diff]`, and the formatter options read from
//! `.docksmith.toml` (`[format]`), shared with the LSP formatting requests.
//!
//! Exit codes: 0 when everything is formatted (or was just formatted), 1 when `--check`
//! or `--diff` found a file that is not formatted, 2 on usage, configuration or I/O
//! errors.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use docksmith_analysis::format::{FormatOptions, Indent, KeywordCase, apply, format};
use docksmith_syntax::Dockerfile;

pub use crate::cli::EXIT_OK;
/// `--check` found files that are not formatted (the CLI's "findings" code).
pub const EXIT_UNFORMATTED: i32 = crate::cli::EXIT_FINDINGS;
/// A file or option could not be used (the CLI's usage/IO code).
pub const EXIT_ERROR: i32 = crate::cli::EXIT_USAGE;

/// The name of the project configuration file.
pub const CONFIG_FILE: &str = ".docksmith.toml";

/// The `[format]` table of `.docksmith.toml`: each key is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormatConfig {
    pub indent_width: Option<u8>,
    pub use_tabs: Option<bool>,
    pub keyword_case: Option<KeywordCase>,
    pub keep_multiline: Option<bool>,
}

impl FormatConfig {
    /// Read the `[format]` table of a `.docksmith.toml` text. Other tables are not ours
    /// and are ignored; within `[format]` an unknown key or a bad value is an error that
    /// says which and where.
    pub fn from_toml(text: &str, path: &Path) -> Result<Self, String> {
        let doc: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            format!("{}: {}", path.display(), e.to_string().trim())
        })?;
        let mut cfg = FormatConfig::default();
        let Some(table) = doc.get("format") else {
            return Ok(cfg);
        };
        let bad =
            |key: &str, want: &str| format!("{}: [format] {key}: expected {want}", path.display());
        let table = table
            .as_table()
            .ok_or_else(|| format!("{}: `format` must be a table ([format])", path.display()))?;
        for (key, value) in table {
            match key.as_str() {
                "indent-width" => {
                    let n = value
                        .as_integer()
                        .filter(|n| (1..=16).contains(n))
                        .ok_or_else(|| bad(key, "an integer from 1 to 16"))?;
                    cfg.indent_width = u8::try_from(n).ok();
                }
                "use-tabs" => {
                    cfg.use_tabs = Some(value.as_bool().ok_or_else(|| bad(key, "true or false"))?);
                }
                "keyword-case" => {
                    let want = "\"upper\", \"lower\", \"majority\" or \"preserve\"";
                    let s = value.as_str().ok_or_else(|| bad(key, want))?;
                    cfg.keyword_case = Some(KeywordCase::parse(s).ok_or_else(|| bad(key, want))?);
                }
                "keep-multiline" => {
                    cfg.keep_multiline =
                        Some(value.as_bool().ok_or_else(|| bad(key, "true or false"))?);
                }
                other => {
                    return Err(format!(
                        "{}: [format] has no key `{other}` (known: indent-width, use-tabs, keyword-case, keep-multiline)",
                        path.display()
                    ));
                }
            }
        }
        Ok(cfg)
    }

    /// Options: this configuration over `base`.
    pub fn apply_to(&self, mut base: FormatOptions) -> FormatOptions {
        if let Some(w) = self.indent_width {
            base.indent = Indent::Spaces(w);
        }
        match self.use_tabs {
            Some(true) => base.indent = Indent::Tab,
            Some(false) if base.indent == Indent::Tab => {
                base.indent = Indent::Spaces(self.indent_width.unwrap_or(4));
            }
            _ => {}
        }
        if let Some(c) = self.keyword_case {
            base.keyword_case = c;
        }
        if let Some(k) = self.keep_multiline {
            base.keep_multiline = k;
        }
        base
    }
}

/// The nearest `.docksmith.toml` at or above `dir`.
pub fn find_config(dir: &Path) -> Option<PathBuf> {
    let mut d = Some(dir);
    // Bounded by the depth of the path.
    while let Some(cur) = d {
        let p = cur.join(CONFIG_FILE);
        if p.is_file() {
            return Some(p);
        }
        d = cur.parent();
    }
    None
}

/// The `[format]` configuration that applies to a file (or to a directory's files).
pub fn config_for(file: &Path) -> Result<FormatConfig, String> {
    let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    let dir = if abs.is_dir() {
        abs
    } else {
        abs.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    match find_config(&dir) {
        None => Ok(FormatConfig::default()),
        Some(p) => {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| format!("{}: cannot read: {e}", p.display()))?;
            FormatConfig::from_toml(&text, &p)
        }
    }
}

/// A unified diff of two texts with the same number of lines (the formatter never adds
/// or removes a line break), three lines of context.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let mut out = String::new();
    if a.len() != b.len() {
        // Not expected; show the whole file rather than a wrong diff.
        out.push_str(&format!(
            "--- {name}\n+++ {name}\n@@ -1,{} +1,{} @@\n",
            a.len(),
            b.len()
        ));
        a.iter().for_each(|l| push_line(&mut out, '-', l));
        b.iter().for_each(|l| push_line(&mut out, '+', l));
        return out;
    }
    let changed: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    if changed.is_empty() {
        return out;
    }
    out.push_str(&format!("--- {name}\n+++ {name} (formatted)\n"));
    const CONTEXT: usize = 3;
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(CONTEXT);
        let mut end = (changed[k] + CONTEXT + 1).min(a.len());
        k += 1;
        while k < changed.len() && changed[k] <= end + CONTEXT {
            end = (changed[k] + CONTEXT + 1).min(a.len());
            k += 1;
        }
        let n = end - start;
        out.push_str(&format!("@@ -{},{n} +{},{n} @@\n", start + 1, start + 1));
        for i in start..end {
            if a[i] == b[i] {
                push_line(&mut out, ' ', a[i]);
            } else {
                push_line(&mut out, '-', a[i]);
                push_line(&mut out, '+', b[i]);
            }
        }
    }
    out
}

fn push_line(out: &mut String, sign: char, line: &str) {
    out.push(sign);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// Format a text with the options that apply (used for stdin and files alike).
pub fn format_str(text: &str, opts: &FormatOptions) -> String {
    let df = Dockerfile::parse(text);
    apply(text, &format(&df, opts))
}

/// What `docksmith fmt` was asked to do.
#[derive(Clone, Debug, Default)]
pub struct FmtArgs {
    pub paths: Vec<PathBuf>,
    pub check: bool,
    pub diff: bool,
}

/// Run `docksmith fmt`; returns the exit code.
pub fn run(args: &FmtArgs) -> i32 {
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut errors = Vec::new();
    let mut unformatted = 0usize;
    let mut formatted = 0usize;
    let mut files = Vec::new();
    for p in &paths {
        if p.as_os_str() == "-" {
            let mut text = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                let _ = writeln!(stderr, "docksmith fmt: cannot read standard input: {e}");
                return EXIT_ERROR;
            }
            let cfg = match config_for(Path::new(".")) {
                Ok(c) => c,
                Err(e) => {
                    let _ = writeln!(stderr, "docksmith fmt: {e}");
                    return EXIT_ERROR;
                }
            };
            let out = format_str(&text, &cfg.apply_to(FormatOptions::default()));
            if out != text {
                unformatted += 1;
            }
            let shown = if args.diff {
                unified_diff("<stdin>", &text, &out)
            } else if args.check {
                String::new()
            } else {
                out
            };
            if stdout.write_all(shown.as_bytes()).is_err() {
                return EXIT_ERROR;
            }
        } else if p.is_dir() {
            crate::check::walk(p, &mut files, &mut errors, 0);
            files.sort();
        } else if p.exists() {
            files.push(p.clone());
        } else {
            errors.push(format!("{}: no such file or directory", p.display()));
        }
    }
    for file in &files {
        let name = file.display().to_string();
        let cfg = match config_for(file) {
            Ok(c) => c,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let text = match std::fs::read(file) {
            Ok(b) => match String::from_utf8(b) {
                Ok(t) => t,
                Err(_) => {
                    errors.push(format!("{name}: not UTF-8 text; left as it is"));
                    continue;
                }
            },
            Err(e) => {
                errors.push(format!("{name}: cannot read: {e}"));
                continue;
            }
        };
        let out = format_str(&text, &cfg.apply_to(FormatOptions::default()));
        if out == text {
            continue;
        }
        unformatted += 1;
        if args.diff {
            let _ = stdout.write_all(unified_diff(&name, &text, &out).as_bytes());
        } else if args.check {
            let _ = writeln!(stdout, "{name}: not formatted");
        } else if let Err(e) = std::fs::write(file, &out) {
            errors.push(format!("{name}: cannot write: {e}"));
        } else {
            formatted += 1;
        }
    }
    for e in &errors {
        let _ = writeln!(stderr, "docksmith fmt: {e}");
    }
    if !args.check && !args.diff && formatted > 0 {
        let _ = writeln!(
            stderr,
            "docksmith fmt: formatted {formatted} of {} file(s)",
            files.len()
        );
    }
    if !errors.is_empty() {
        EXIT_ERROR
    } else if (args.check || args.diff) && unformatted > 0 {
        EXIT_UNFORMATTED
    } else {
        EXIT_OK
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::is_dockerfile_name;

    #[test]
    fn config_reads_format_table_and_reports_mistakes() {
        let p = Path::new("/x/.docksmith.toml");
        let cfg = FormatConfig::from_toml(
            "[rules]\nDL3008 = \"off\"\n[format]\nindent-width = 2\nkeyword-case = \"lower\"\nkeep-multiline = true\n",
            p,
        )
        .unwrap();
        let o = cfg.apply_to(FormatOptions::default());
        assert_eq!(o.indent, Indent::Spaces(2));
        assert_eq!(o.keyword_case, KeywordCase::Lower);
        assert!(o.keep_multiline);
        let tabs = FormatConfig::from_toml("[format]\nuse-tabs = true\n", p).unwrap();
        assert_eq!(tabs.apply_to(FormatOptions::default()).indent, Indent::Tab);
        let e = FormatConfig::from_toml("[format]\nkeyword-case = \"shouting\"\n", p).unwrap_err();
        assert!(e.contains("keyword-case") && e.contains("\"upper\""), "{e}");
        let e = FormatConfig::from_toml("[format]\nindent = 2\n", p).unwrap_err();
        assert!(e.contains("no key `indent`"), "{e}");
        let e = FormatConfig::from_toml("[format\n", p).unwrap_err();
        assert!(e.starts_with("/x/.docksmith.toml: "), "{e}");
    }

    #[test]
    fn rules_config_accepts_the_format_table() {
        // The linter reads the same file: [format] is not an error there.
        let (_, errors) = docksmith_analysis::config::Config::from_toml(
            "[format]\nindent-width = 2\n[rules]\nStageNameCasing = \"off\"\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn diff_has_hunks_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
        let new = "a\nB\nc\nd\ne\nf\ng\nh\ni\nJ\n";
        let d = unified_diff("F", old, new);
        assert_eq!(
            d,
            "--- F\n+++ F (formatted)\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -7,4 +7,4 @@\n g\n h\n i\n-j\n+J\n"
        );
        assert_eq!(unified_diff("F", old, old), "");
    }

    #[test]
    fn dockerfile_names() {
        for n in [
            "Dockerfile",
            "dockerfile",
            "Containerfile",
            "Dockerfile.dev",
            "app.dockerfile",
            "x.Containerfile",
        ] {
            assert!(is_dockerfile_name(n), "{n}");
        }
        for n in ["Dockerfilex", "README.md", "docker-compose.yml"] {
            assert!(!is_dockerfile_name(n), "{n}");
        }
    }
}
