//! `docksmith check [PATH...]`: lint Dockerfiles from the command line.
//!
//! Files are checked in parallel (std threads; with fewer files than cores, each file's
//! rules on two threads); directories are searched for Dockerfile names (`Dockerfile`,
//! `Containerfile`, `*.dockerfile`, `*.containerfile`, `Dockerfile.*`, `Containerfile.*`); `-` reads standard input. Configuration:
//! `.docksmith.toml` found from the file's directory upward, else `.hadolint.yaml`;
//! `.dockerignore` content from `<Dockerfile>.dockerignore` or `.dockerignore` beside
//! the file. Exit codes: 0 clean, 1 findings at or above the fail level, 2 usage or
//! IO error (other files are still checked).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use docksmith_analysis::config::Config;
use docksmith_analysis::diagnostics::{Diagnostic, Options, Severity, check_text};
use docksmith_analysis::fix::fix_all;
use docksmith_analysis::rules;

pub use crate::cli::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};

pub const USAGE: &str = "usage: docksmith check [OPTIONS] [PATH...]

Lint Dockerfiles. PATH is a file, a directory (searched for Dockerfile,
Containerfile, *.dockerfile, *.containerfile, Dockerfile.*) or - for stdin;
the default is the current directory.

options:
  --format FORMAT      tty (default), json, sarif, github, checkstyle
  --fix                apply safe fixes in place
  --fail-level LEVEL   exit 1 on findings at or above: error, warning (default),
                       info, hint, none
  --select RULES       only these rules (comma-separated names or hadolint codes)
  --ignore RULES       skip these rules
  --config FILE        use this .docksmith.toml (or .hadolint.yaml) only
  -h, --help           this help

exit status: 0 clean, 1 findings at or above the fail level, 2 usage or IO error";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Tty,
    Json,
    Sarif,
    Github,
    Checkstyle,
}

/// The parsed command line.
#[derive(Clone, Debug)]
pub struct Args {
    pub paths: Vec<String>,
    pub format: Format,
    pub fix: bool,
    /// `None` for `none`: never fail on findings.
    pub fail_level: Option<Option<Severity>>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub config: Option<PathBuf>,
}

/// Parse `check`'s arguments (after the word `check`).
pub fn parse_args(args: &[String]) -> Result<Option<Args>, String> {
    let mut a = Args {
        paths: Vec::new(),
        format: Format::Tty,
        fix: false,
        fail_level: None,
        select: Vec::new(),
        ignore: Vec::new(),
        config: None,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag {
            "-h" | "--help" => return Ok(None),
            "--fix" => a.fix = true,
            "--format" => {
                a.format = match value("--format")?.as_str() {
                    "tty" | "text" => Format::Tty,
                    "json" => Format::Json,
                    "sarif" => Format::Sarif,
                    "github" => Format::Github,
                    "checkstyle" => Format::Checkstyle,
                    other => {
                        return Err(format!(
                            "unknown format '{other}' (expected tty, json, sarif, github or checkstyle)"
                        ));
                    }
                }
            }
            "--fail-level" => {
                let v = value("--fail-level")?;
                a.fail_level = Some(match v.as_str() {
                    "none" | "never" => None,
                    s => Some(Severity::parse(s).ok_or_else(|| {
                        format!("unknown level '{s}' (expected error, warning, info, hint or none)")
                    })?),
                });
            }
            "--select" | "--ignore" => {
                let v = value(flag)?;
                for name in v.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    let Some(r) = rules::lookup(name) else {
                        return Err(format!("{flag}: unknown rule '{name}'"));
                    };
                    let list = if flag == "--select" {
                        &mut a.select
                    } else {
                        &mut a.ignore
                    };
                    list.push(r.meta.name.to_string());
                }
            }
            "--config" => a.config = Some(PathBuf::from(value("--config")?)),
            s if s.starts_with('-') && s != "-" => return Err(format!("unknown option '{s}'")),
            _ => a.paths.push(arg.clone()),
        }
    }
    if a.paths.is_empty() {
        a.paths.push(".".to_string());
    }
    if a.fix && a.paths.iter().any(|p| p == "-") {
        return Err("--fix cannot be used with standard input".into());
    }
    Ok(Some(a))
}

/// Whether a file name is a Dockerfile by the names editors use: `Dockerfile`,
/// `Containerfile`, `Dockerfile.*`, `Containerfile.*` (not their ignore files),
/// `*.dockerfile`, `*.containerfile`. Shared by `check` and `fmt`.
pub fn is_dockerfile_name(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l == "dockerfile"
        || l == "containerfile"
        || l.ends_with(".dockerfile")
        || l.ends_with(".containerfile")
        || (l.starts_with("dockerfile.") && !l.ends_with(".dockerignore"))
        || (l.starts_with("containerfile.") && !l.ends_with(".containerignore"))
}

/// The Dockerfiles under `dir`, in name order per directory; hidden directories,
/// `node_modules`, `target` and `vendor` are skipped. Shared by `check` and `fmt`.
pub(crate) fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<String>, depth: usize) {
    if depth > 64 {
        return;
    }
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            errors.push(format!("{}: cannot read directory: {e}", dir.display()));
            return;
        }
    };
    let mut entries: Vec<_> = rd.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().to_string();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            if !name.starts_with('.')
                && !matches!(name.as_str(), "node_modules" | "target" | "vendor")
            {
                walk(&e.path(), out, errors, depth + 1);
            }
        } else if is_dockerfile_name(&name) {
            out.push(e.path());
        }
    }
}

/// One file's result.
struct FileResult {
    name: String,
    text: String,
    diags: Vec<Diagnostic>,
    error: Option<String>,
    fixed: usize,
}

/// Configuration files found from a directory upward, cached per directory.
#[derive(Default)]
struct ConfigCache {
    by_dir: Mutex<HashMap<PathBuf, (Config, Vec<String>)>>,
}

impl ConfigCache {
    fn for_dir(&self, dir: &Path) -> (Config, Vec<String>) {
        if let Some(c) = self.by_dir.lock().ok().and_then(|m| m.get(dir).cloned()) {
            return c;
        }
        let found = crate::project::rules_config(dir);
        if let Ok(mut m) = self.by_dir.lock() {
            m.insert(dir.to_path_buf(), found.clone());
        }
        found
    }
}

/// What the check of every file shares.
#[derive(Clone, Copy)]
struct Shared<'a> {
    base: &'a Config,
    explicit: bool,
    cache: &'a ConfigCache,
    args: &'a Args,
    config_errors: &'a Mutex<Vec<String>>,
    /// Check each file's rules on two threads.
    two_threads: bool,
}

fn check_one(path: Option<&Path>, stdin: Option<String>, shared: Shared<'_>) -> FileResult {
    let Shared {
        base,
        explicit,
        cache,
        args,
        config_errors,
        two_threads,
    } = shared;
    let name = path.map_or("<stdin>".to_string(), |p| p.display().to_string());
    let text = match (stdin, path) {
        (Some(t), _) => t,
        (None, Some(p)) => match std::fs::read(p) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => {
                return FileResult {
                    name,
                    text: String::new(),
                    diags: Vec::new(),
                    error: Some(format!("cannot read: {e}")),
                    fixed: 0,
                };
            }
        },
        (None, None) => String::new(),
    };
    let mut config = if explicit {
        base.clone()
    } else {
        let dir = path
            .and_then(Path::parent)
            .map(|d| {
                if d.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    d
                }
            })
            .unwrap_or(Path::new("."));
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let (c, errs) = cache.for_dir(&dir);
        if !errs.is_empty()
            && let Ok(mut e) = config_errors.lock()
        {
            for m in errs {
                if !e.contains(&m) {
                    e.push(m);
                }
            }
        }
        c
    };
    apply_cli(&mut config, args);
    let ignore = path.and_then(crate::project::dockerignore_for);
    let opts = Options {
        config,
        dockerignore: ignore.as_deref(),
        buildkit_check: None,
    };
    let (text, fixed) = if args.fix {
        let (new, n) = fix_all(&text, &opts, 10);
        if n > 0
            && let Some(p) = path
            && let Err(e) = std::fs::write(p, &new)
        {
            return FileResult {
                name,
                text,
                diags: Vec::new(),
                error: Some(format!("cannot write fixes: {e}")),
                fixed: 0,
            };
        }
        (new, n)
    } else {
        (text, 0)
    };
    let diags = if two_threads {
        // A core would idle otherwise: the rules of this one file on two threads (the
        // same result as one, `server/analysis/tests/parallel.rs`).
        let df = docksmith_syntax::Dockerfile::parse(&text);
        let model = docksmith_analysis::Model::build(&df);
        docksmith_analysis::diagnostics::check_parallel(&df, &model, &opts)
    } else {
        check_text(&text, &opts)
    };
    FileResult {
        name,
        text,
        diags,
        error: None,
        fixed,
    }
}

fn apply_cli(config: &mut Config, args: &Args) {
    use docksmith_analysis::config::RuleSetting;
    if !args.select.is_empty() {
        config.only = Some(
            args.select
                .iter()
                .filter_map(|n| rules::lookup(n).map(|r| r.meta.name))
                .collect(),
        );
        for n in &args.select {
            config.set(
                n,
                RuleSetting {
                    enabled: Some(true),
                    severity: None,
                },
            );
        }
    }
    for n in &args.ignore {
        config.set(
            n,
            RuleSetting {
                enabled: Some(false),
                severity: None,
            },
        );
    }
}

/// 1-based line and column (in characters) of a byte offset.
struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    fn pos(&self, text: &str, offset: u32) -> (usize, usize) {
        let off = (offset as usize).min(text.len());
        let line = self.starts.partition_point(|&s| s <= off).saturating_sub(1);
        let start = self.starts[line];
        let col = text
            .get(start..off)
            .map_or(off - start, |s| s.chars().count());
        (line + 1, col + 1)
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn github_escape(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn github_prop(s: &str) -> String {
    github_escape(s).replace(':', "%3A").replace(',', "%2C")
}

fn render(results: &[FileResult], format: Format) -> String {
    let mut out = String::new();
    match format {
        Format::Tty => {
            for r in results {
                let lines = Lines::new(&r.text);
                for d in &r.diags {
                    let (l, c) = lines.pos(&r.text, d.range.start);
                    out.push_str(&format!(
                        "{}:{l}:{c}: {}[{}]: {}\n",
                        r.name,
                        d.severity.name(),
                        d.rule,
                        d.message
                    ));
                }
            }
        }
        Format::Github => {
            for r in results {
                let lines = Lines::new(&r.text);
                for d in &r.diags {
                    let (l, c) = lines.pos(&r.text, d.range.start);
                    let (el, ec) = lines.pos(&r.text, d.range.end);
                    let level = match d.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        _ => "notice",
                    };
                    out.push_str(&format!(
                        "::{level} file={},line={l},col={c},endLine={el},endColumn={ec},title={}::{}\n",
                        github_prop(&r.name),
                        github_prop(d.rule),
                        github_escape(&d.message)
                    ));
                }
            }
        }
        Format::Checkstyle => {
            out.push_str(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n",
            );
            for r in results {
                out.push_str(&format!("  <file name=\"{}\">\n", xml_escape(&r.name)));
                let lines = Lines::new(&r.text);
                for d in &r.diags {
                    let (l, c) = lines.pos(&r.text, d.range.start);
                    let sev = match d.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        _ => "info",
                    };
                    out.push_str(&format!(
                        "    <error line=\"{l}\" column=\"{c}\" severity=\"{sev}\" message=\"{}\" source=\"docksmith.{}\"/>\n",
                        xml_escape(&d.message),
                        d.rule
                    ));
                }
                out.push_str("  </file>\n");
            }
            out.push_str("</checkstyle>\n");
        }
        Format::Json => {
            let mut arr = Vec::new();
            for r in results {
                let lines = Lines::new(&r.text);
                for d in &r.diags {
                    let (l, c) = lines.pos(&r.text, d.range.start);
                    let (el, ec) = lines.pos(&r.text, d.range.end);
                    arr.push(serde_json::json!({
                        "file": r.name,
                        "rule": d.rule,
                        "severity": d.severity.name(),
                        "message": d.message,
                        "line": l, "column": c, "endLine": el, "endColumn": ec,
                        "url": d.url(),
                        "fix": d.fixes.first().map(|f| serde_json::json!({
                            "title": f.title,
                            "safety": f.safety.name(),
                        })),
                    }));
                }
            }
            out = serde_json::to_string_pretty(&arr).unwrap_or_default();
            out.push('\n');
        }
        Format::Sarif => {
            let mut used: Vec<&str> = results
                .iter()
                .flat_map(|r| r.diags.iter().map(|d| d.rule))
                .collect();
            used.sort_unstable();
            used.dedup();
            let rule_objs: Vec<_> = used
                .iter()
                .filter_map(|n| rules::lookup(n))
                .map(|r| {
                    serde_json::json!({
                        "id": r.meta.name,
                        "shortDescription": {"text": r.meta.summary},
                        "helpUri": r.url(),
                    })
                })
                .collect();
            let mut res = Vec::new();
            for r in results {
                let lines = Lines::new(&r.text);
                for d in &r.diags {
                    let (l, c) = lines.pos(&r.text, d.range.start);
                    let (el, ec) = lines.pos(&r.text, d.range.end);
                    let level = match d.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        _ => "note",
                    };
                    res.push(serde_json::json!({
                        "ruleId": d.rule,
                        "level": level,
                        "message": {"text": d.message},
                        "locations": [{"physicalLocation": {
                            "artifactLocation": {"uri": r.name},
                            "region": {"startLine": l, "startColumn": c, "endLine": el, "endColumn": ec},
                        }}],
                    }));
                }
            }
            let doc = serde_json::json!({
                "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
                "version": "2.1.0",
                "runs": [{
                    "tool": {"driver": {
                        "name": "docksmith",
                        "version": env!("CARGO_PKG_VERSION"),
                        "rules": rule_objs,
                    }},
                    "results": res,
                }],
            });
            out = serde_json::to_string_pretty(&doc).unwrap_or_default();
            out.push('\n');
        }
    }
    out
}

/// Run `docksmith check` with its arguments; returns the exit code.
pub fn run(argv: &[String]) -> i32 {
    let args = match parse_args(argv) {
        Ok(Some(a)) => a,
        Ok(None) => {
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            return EXIT_OK;
        }
        Err(e) => {
            eprintln!("docksmith check: {e}\n\n{USAGE}");
            return EXIT_USAGE;
        }
    };
    let mut io_errors: Vec<String> = Vec::new();
    let config_errors = Mutex::new(Vec::new());
    let (base, explicit) = match &args.config {
        Some(p) => match std::fs::read_to_string(p) {
            Ok(t) => {
                let (c, errs) = crate::project::load_config(p, &t);
                if let Ok(mut e) = config_errors.lock() {
                    e.extend(errs);
                }
                (c, true)
            }
            Err(e) => {
                eprintln!("docksmith check: cannot read {}: {e}", p.display());
                return EXIT_USAGE;
            }
        },
        None => (Config::default(), false),
    };
    // Collect the files.
    let mut files: Vec<Option<PathBuf>> = Vec::new();
    for p in &args.paths {
        if p == "-" {
            files.push(None);
            continue;
        }
        let path = PathBuf::from(p);
        if path.is_dir() {
            let mut found = Vec::new();
            walk(&path, &mut found, &mut io_errors, 0);
            files.extend(found.into_iter().map(Some));
        } else {
            files.push(Some(path));
        }
    }
    let stdin_text = if files.iter().any(Option::is_none) {
        let mut s = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut s) {
            eprintln!("docksmith check: cannot read standard input: {e}");
            return EXIT_USAGE;
        }
        Some(s)
    } else {
        None
    };
    // Check in parallel.
    let cache = ConfigCache::default();
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<FileResult>>> = files.iter().map(|_| Mutex::new(None)).collect();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let workers = cores.min(files.len().max(1));
    // Fewer files than cores (typically one big file): each file's rules on two threads.
    let two_threads = workers < cores;
    let shared = Shared {
        base: &base,
        explicit,
        cache: &cache,
        args: &args,
        config_errors: &config_errors,
        two_threads,
    };
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(f) = files.get(k) else { break };
                    let r = check_one(
                        f.as_deref(),
                        if f.is_none() {
                            stdin_text.clone()
                        } else {
                            None
                        },
                        shared,
                    );
                    if let Ok(mut slot) = results[k].lock() {
                        *slot = Some(r);
                    }
                }
            });
        }
    });
    let results: Vec<FileResult> = results
        .into_iter()
        .filter_map(|m| m.into_inner().ok().flatten())
        .collect();
    for r in &results {
        if let Some(e) = &r.error {
            io_errors.push(format!("{}: {e}", r.name));
        }
    }
    for e in config_errors.lock().map(|e| e.clone()).unwrap_or_default() {
        eprintln!("docksmith check: config: {e}");
    }
    let ok_results: Vec<FileResult> = results.into_iter().filter(|r| r.error.is_none()).collect();
    let out = render(&ok_results, args.format);
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    for e in &io_errors {
        eprintln!("docksmith check: {e}");
    }
    let fixed: usize = ok_results.iter().map(|r| r.fixed).sum();
    if args.fix && fixed > 0 {
        eprintln!("docksmith check: applied {fixed} fix(es)");
    }
    if args.format == Format::Tty {
        let n: usize = ok_results.iter().map(|r| r.diags.len()).sum();
        eprintln!(
            "docksmith check: {} file(s), {n} finding(s)",
            ok_results.len()
        );
    }
    if files.is_empty() {
        eprintln!("docksmith check: no Dockerfiles found in {:?}", args.paths);
    }
    // The fail level: the command line, else the configuration, else warning.
    let level = args
        .fail_level
        .unwrap_or(Some(base.fail_level.unwrap_or(Severity::Warning)));
    let failing = level.is_some_and(|lv| {
        ok_results
            .iter()
            .any(|r| r.diags.iter().any(|d| d.severity.at_least(lv)))
    });
    if !io_errors.is_empty() {
        EXIT_USAGE
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for y in [
            "Dockerfile",
            "Containerfile",
            "app.dockerfile",
            "Dockerfile.dev",
            "x.Containerfile",
        ] {
            assert!(is_dockerfile_name(y), "{y}");
        }
        for n in ["Dockerfile.dockerignore", "README.md", "dockerfile-lint.sh"] {
            assert!(!is_dockerfile_name(n), "{n}");
        }
    }

    #[test]
    fn args() {
        let a = parse_args(&[
            "--format=json".into(),
            "--fail-level".into(),
            "error".into(),
            "--select".into(),
            "DL3024,FromAsCasing".into(),
            "x".into(),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(a.format, Format::Json);
        assert_eq!(a.fail_level, Some(Some(Severity::Error)));
        assert_eq!(a.select, ["DuplicateStageName", "FromAsCasing"]);
        assert_eq!(a.paths, ["x"]);
        assert!(parse_args(&["--select".into(), "Nope".into()]).is_err());
        assert!(parse_args(&["--bogus".into()]).is_err());
    }

    #[test]
    fn positions_count_characters() {
        let t = "é\nab";
        let l = Lines::new(t);
        assert_eq!(l.pos(t, 0), (1, 1));
        assert_eq!(l.pos(t, 2), (1, 2));
        assert_eq!(l.pos(t, 4), (2, 2));
    }
}
