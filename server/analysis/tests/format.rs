//! Formatter tests.
//!
//! * `data/format/*.Dockerfile` → `.expected`: the edits (as marker lines under the
//!   original) and the formatted text. The first line may hold options:
//!   `# format: indent=tab case=lower keep-multiline`. `UPDATE_SNAPSHOTS=1` rewrites.
//! * Every corpus file (realworld, edgecases, BuildKit parser cases) under several
//!   option sets: the BuildKit dump is unchanged up to runs of white space, heredoc
//!   bodies and comments are unchanged, the errors are the same, and formatting twice
//!   gives what formatting once gives.
//! * rcjsuen/dockerfile-utils' 98 recorded formatter calls: the text after our edits
//!   against the text after theirs; the disagreements are a snapshot
//!   (`data/format/dockerfile-utils.expected`), each explained in docs/formatting.md.

use std::path::{Path, PathBuf};

use docksmith_analysis::fixture::render;
use docksmith_analysis::format::{
    Edit, FormatOptions, Indent, KeywordCase, apply, format, format_on_type, format_range,
};
use docksmith_syntax::{Dockerfile, TextRange, TokenKind, dump};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

fn update() -> bool {
    std::env::var_os("UPDATE_SNAPSHOTS").is_some()
}

fn options_from_header(text: &str) -> FormatOptions {
    let mut o = FormatOptions::default();
    let Some(rest) = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# format:"))
    else {
        return o;
    };
    for w in rest.split_whitespace() {
        match w.split_once('=') {
            Some(("indent", "tab")) => o.indent = Indent::Tab,
            Some(("indent", n)) => o.indent = Indent::Spaces(n.parse().unwrap()),
            Some(("case", c)) => o.keyword_case = KeywordCase::parse(c).unwrap(),
            None if w == "keep-multiline" => o.keep_multiline = true,
            _ => panic!("unknown format option {w:?}"),
        }
    }
    o
}

fn describe_edits(text: &str, edits: &[Edit]) -> String {
    let anns: Vec<(TextRange, String)> = edits
        .iter()
        .map(|e| (e.range, format!("-> {:?}", e.new_text)))
        .collect();
    render(text, &anns)
}

#[test]
fn format_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/format");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    let mut failures = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let opts = options_from_header(&text);
        let df = Dockerfile::parse(&text);
        let edits = format(&df, &opts);
        let formatted = apply(&text, &edits);
        let got = format!(
            "--- edits\n{}--- formatted\n{formatted}",
            describe_edits(&text, &edits)
        );
        // Formatting the result again changes nothing.
        let again = format(&Dockerfile::parse(&formatted), &opts);
        assert!(
            again.is_empty(),
            "{}: not idempotent: {again:?}",
            path.display()
        );
        let exp_path = path.with_extension("expected");
        let expected = std::fs::read_to_string(&exp_path).unwrap_or_default();
        if got != expected {
            if update() {
                std::fs::write(&exp_path, &got).unwrap();
            } else {
                failures.push(format!(
                    "{}\n--- expected\n{expected}\n--- got\n{got}",
                    path.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Go-quoted dump with `\t` read as a space and runs of spaces collapsed, and the `AS`
/// of `FROM image AS name` in lower case (BuildKit compares it case-insensitively).
fn normalize_dump(dump: &str) -> String {
    collapse_ws(dump)
        .lines()
        .map(|l| {
            let mut t: Vec<&str> = l.split(' ').collect();
            let n = t.len();
            if l.starts_with("(from ") && n >= 4 && t[n - 2].eq_ignore_ascii_case("\"as\"") {
                t[n - 2] = "\"as\"";
            }
            t.join(" ") + "\n"
        })
        .collect()
}

fn collapse_ws(dump: &str) -> String {
    let mut out = String::with_capacity(dump.len());
    let mut chars = dump.chars().peekable();
    let mut last_space = false;
    while let Some(c) = chars.next() {
        let piece: String = if c == '\\' {
            match chars.next() {
                Some('t') => " ".into(),
                Some(n) => format!("\\{n}"),
                None => "\\".into(),
            }
        } else {
            c.to_string()
        };
        if piece == " " {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push_str(&piece);
            last_space = false;
        }
    }
    out
}

fn comments(df: &Dockerfile) -> Vec<String> {
    let text = df.text();
    df.tokens()
        .filter(|t| matches!(t.kind, TokenKind::Comment | TokenKind::Directive))
        .map(|t| text[t.range.as_usize()].to_string())
        .collect()
}

fn heredocs(df: &Dockerfile) -> Vec<String> {
    df.instructions()
        .flat_map(|i| {
            i.inst
                .heredocs
                .iter()
                .map(|h| {
                    format!(
                        "{}|{}|{:?}",
                        h.name,
                        i.text(h.body),
                        h.terminator.map(|t| i.text(t))
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn errors(df: &Dockerfile) -> Vec<String> {
    df.errors()
        .into_iter()
        .map(|e| format!("{:?} {}", e.kind, e.message))
        .collect()
}

/// Check one text under one option set; returns a failure message.
fn check_meaning(name: &str, text: &str, opts: &FormatOptions) -> Result<bool, String> {
    let before = Dockerfile::parse(text);
    let edits = format(&before, opts);
    let out = apply(text, &edits);
    let after = Dockerfile::parse(&out);
    let d0 = dump::buildkit(&before).map(|d| normalize_dump(&d));
    let d1 = dump::buildkit(&after).map(|d| normalize_dump(&d));
    match (&d0, &d1) {
        (Ok(a), Ok(b)) if a != b => {
            return Err(format!(
                "{name} {opts:?}: dump changed\n--- before\n{a}--- after\n{b}"
            ));
        }
        (Ok(_), Err(_)) | (Err(_), Ok(_)) => {
            return Err(format!("{name} {opts:?}: parse result changed"));
        }
        _ => {}
    }
    if errors(&before) != errors(&after) {
        return Err(format!(
            "{name} {opts:?}: errors changed: {:?} -> {:?}",
            errors(&before),
            errors(&after)
        ));
    }
    if comments(&before) != comments(&after) {
        return Err(format!("{name} {opts:?}: comments changed"));
    }
    if heredocs(&before) != heredocs(&after) {
        return Err(format!("{name} {opts:?}: heredocs changed"));
    }
    if before.instruction_count() != after.instruction_count()
        || text.lines().count() != out.lines().count()
    {
        return Err(format!(
            "{name} {opts:?}: instruction or line count changed"
        ));
    }
    let again = format(&after, opts);
    if !again.is_empty() {
        return Err(format!(
            "{name} {opts:?}: not idempotent: second pass edits {:?}\n{}",
            again,
            describe_edits(&out, &again)
        ));
    }
    Ok(!edits.is_empty())
}

fn option_sets() -> Vec<FormatOptions> {
    vec![
        FormatOptions::default(),
        FormatOptions {
            indent: Indent::Tab,
            keyword_case: KeywordCase::Lower,
            keep_multiline: false,
            tab_width: 4,
        },
        FormatOptions {
            indent: Indent::Spaces(2),
            keyword_case: KeywordCase::Majority,
            keep_multiline: true,
            tab_width: 8,
        },
    ]
}

fn corpus_files() -> Option<Vec<PathBuf>> {
    let root = Path::new(CORPUS);
    if !root.is_dir() {
        return None;
    }
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = ["realworld", "edgecases", "buildkit-parser"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if !p.ends_with("MANIFEST.tsv") && !p.ends_with("result") {
                out.push(p);
            }
        }
    }
    out.sort();
    Some(out)
}

#[test]
fn corpus_meaning_kept_and_idempotent() {
    let Some(files) = corpus_files() else {
        eprintln!("SKIPPED: corpus not found at {CORPUS}");
        return;
    };
    let mut failures = Vec::new();
    let mut changed = 0;
    for p in &files {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        for opts in option_sets() {
            match check_meaning(&p.display().to_string(), &text, &opts) {
                Ok(c) => changed += usize::from(c),
                Err(e) => failures.push(e),
            }
        }
    }
    eprintln!(
        "{} files x {} option sets, {changed} formatted with changes",
        files.len(),
        option_sets().len()
    );
    assert!(files.len() > 1000, "corpus too small: {}", files.len());
    assert!(changed > 0, "the formatter changed nothing in the corpus");
    let n = failures.len();
    failures.truncate(5);
    assert!(n == 0, "{n} failures:\n{}", failures.join("\n\n"));
}

/// Random edits of a tricky text, checked like the corpus: meaning kept, idempotent.
#[test]
fn mutated_texts_keep_meaning() {
    let seeds = [
        "from  alpine  as  base\nrun apt-get update && \\\n  apt-get install -y \\\n\t\tcurl  \n",
        "RUN echo \"a \\\n   b\" && \\\n  echo 'c \\\nd'\n",
        "# escape=`\nFROM x\nRUN dir `\n  c:\\ `\n  # note\n\n  d\n",
        "COPY <<EOF /a\n  body  \nEOF\nRUN <<-X cat && \\\n  echo\n\tline\n\tX\n",
        "ENV A=1   B=\"x  y\" \\\n    C=3\nLABEL a=b\\\nc=d\nONBUILD   run   echo\nHEALTHCHECK  --interval=5s   CMD   curl x\n",
        "ARG  V=1\nFROM  scratch\nEXPOSE 80\\\n81   82/udp\nCMD [\"a\",  \\\n  \"b c\"]\nWORKDIR  /x  \n",
    ];
    let mut failures = Vec::new();
    for seed in seeds {
        let chars: Vec<char> = seed.chars().collect();
        // Delete each character, and insert a space, a tab, a newline or an escape at
        // each position.
        let mut variants = vec![seed.to_string()];
        for i in 0..chars.len() {
            let mut v = chars.clone();
            v.remove(i);
            variants.push(v.iter().collect());
            for ins in [' ', '\t', '\n', '\\', '"', '\''] {
                let mut v = chars.clone();
                v.insert(i, ins);
                variants.push(v.iter().collect());
            }
        }
        for v in &variants {
            for opts in option_sets() {
                if let Err(e) = check_meaning(&format!("{v:?}"), v, &opts) {
                    failures.push(e);
                }
            }
        }
    }
    let n = failures.len();
    failures.truncate(5);
    assert!(n == 0, "{n} failures:\n{}", failures.join("\n\n"));
}

// ---- dockerfile-utils comparison -------------------------------------------------

/// LSP position (UTF-16, lines split on `\n`, `\r\n` and lone `\r`) to a byte offset.
fn offset_of(text: &str, line: u64, character: u64) -> u32 {
    let mut l = 0u64;
    let mut i = 0usize;
    let b = text.as_bytes();
    while l < line && i < b.len() {
        if b[i] == b'\n' {
            l += 1;
        } else if b[i] == b'\r' {
            l += 1;
            if b.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
        }
        i += 1;
    }
    let mut units = 0u64;
    for (k, c) in text[i..].char_indices() {
        if units >= character || c == '\n' || c == '\r' {
            return (i + k) as u32;
        }
        units += c.len_utf16() as u64;
    }
    text.len() as u32
}

fn apply_lsp(text: &str, edits: &serde_json::Value) -> String {
    let mut es: Vec<Edit> = edits
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let r = &e["range"];
            let pos = |p: &serde_json::Value| {
                offset_of(
                    text,
                    p["line"].as_u64().unwrap(),
                    p["character"].as_u64().unwrap(),
                )
            };
            Edit {
                range: TextRange::new(pos(&r["start"]), pos(&r["end"])),
                new_text: e["newText"].as_str().unwrap().to_string(),
            }
        })
        .collect();
    es.sort_by_key(|e| (e.range.start, e.range.end));
    apply(text, &es)
}

#[test]
fn dockerfile_utils_comparison() {
    let path = Path::new(CORPUS).join("dockerfile-utils-formatter-cases.jsonl");
    let Ok(data) = std::fs::read_to_string(&path) else {
        eprintln!("SKIPPED: {} not found", path.display());
        return;
    };
    let mut report = String::new();
    let (mut agree, mut total) = (0, 0);
    for line in data.lines() {
        let c: serde_json::Value = serde_json::from_str(line).unwrap();
        let content = c["content"].as_str().unwrap();
        let o = &c["options"];
        let opts = FormatOptions {
            indent: if o["insertSpaces"].as_bool().unwrap_or(false) {
                Indent::Spaces(o["tabSize"].as_u64().unwrap_or(4) as u8)
            } else {
                Indent::Tab
            },
            // dockerfile-utils never changes keyword case.
            keyword_case: KeywordCase::Preserve,
            keep_multiline: o["ignoreMultilineInstructions"].as_bool().unwrap_or(false),
            tab_width: o["tabSize"].as_u64().unwrap_or(4) as u8,
        };
        let theirs = apply_lsp(content, &c["edits"]);
        let (text, ours) = match c["kind"].as_str().unwrap() {
            "formatDocument" => {
                let df = Dockerfile::parse(content);
                (content.to_string(), format(&df, &opts))
            }
            "formatRange" => {
                let r = &c["range"];
                let start = offset_of(
                    content,
                    r["start"]["line"].as_u64().unwrap(),
                    r["start"]["character"].as_u64().unwrap(),
                );
                let end = offset_of(
                    content,
                    r["end"]["line"].as_u64().unwrap(),
                    r["end"]["character"].as_u64().unwrap(),
                );
                let df = Dockerfile::parse(content);
                (
                    content.to_string(),
                    format_range(&df, &opts, TextRange::new(start, end)),
                )
            }
            "formatOnType" => {
                // Their tests pass the text before the character is typed; an editor
                // sends it after. Insert it, and compare against their edits applied
                // to the same text.
                let p = &c["position"];
                let at = offset_of(
                    content,
                    p["line"].as_u64().unwrap(),
                    p["character"].as_u64().unwrap(),
                ) as usize;
                let ch = c["ch"].as_str().unwrap().chars().next().unwrap();
                let mut typed = content.to_string();
                typed.insert(at, ch);
                let df = Dockerfile::parse(&typed);
                let edits = format_on_type(&df, &opts, (at + ch.len_utf8()) as u32, ch);
                (typed, edits)
            }
            k => panic!("unknown kind {k}"),
        };
        let ours_text = apply(&text, &ours);
        let theirs_text = if c["kind"] == "formatOnType" {
            // Their edits address lines after the typed character; lines are the same.
            apply_lsp(&text, &c["edits"])
        } else {
            theirs
        };
        total += 1;
        if ours_text == theirs_text {
            agree += 1;
        } else {
            report.push_str(&format!(
                "#{} {} {}\n  input:  {:?}\n  theirs: {:?}\n  ours:   {:?}\n",
                c["id"],
                c["kind"].as_str().unwrap(),
                c["test"].as_str().unwrap(),
                text,
                theirs_text,
                ours_text
            ));
        }
    }
    let got = format!("agree on {agree} of {total} cases\n\n{report}");
    let exp_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/format/dockerfile-utils.expected");
    let expected = std::fs::read_to_string(&exp_path).unwrap_or_default();
    if got != expected {
        if update() {
            std::fs::write(&exp_path, &got).unwrap();
        } else {
            panic!("--- expected\n{expected}\n--- got\n{got}");
        }
    }
}
