//! The shell fast path (`shell::lex_simple`) against the full parser
//! (`shell::parse_full`, brush-parser): on every RUN script and heredoc body of the
//! real-world and edge-case corpora, whenever the fast path answers, its commands,
//! words, ranges, assignments and pipelines equal brush-parser's.

use docksmith_analysis::shell::{lex_simple, parse_full};
use docksmith_syntax::{Args, Dockerfile, InstructionKind, TextRange};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

fn files(dir: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn fast_path_equals_brush() {
    let id = |r: TextRange| r;
    let (mut fast, mut full, mut total) = (0, 0, 0);
    let mut mismatches = Vec::new();
    let mut scripts: Vec<String> = vec![
        "a && b || c; d | e | f && g".into(),
        "X=1 Y=\"a b\" cmd 'q u' \"$(nproc)\" ${V} >/dev/null 2>&1 && echo ok # done".into(),
        "apt-get install -y a=1 \\\n  b".into(),
    ];
    for sub in ["realworld", "edgecases"] {
        for f in files(&format!("{CORPUS}/{sub}")) {
            let Ok(text) = std::fs::read_to_string(&f) else {
                continue;
            };
            let df = Dockerfile::parse(&text);
            for i in df.instructions() {
                if i.inst.kind != InstructionKind::Run {
                    continue;
                }
                if let Args::Text(w) = &i.inst.args {
                    scripts.push(w.text.clone());
                }
                for h in &i.inst.heredocs {
                    scripts.push(i.text(h.body).to_string());
                }
            }
        }
    }
    if scripts.len() == 3 {
        eprintln!("SKIPPED: corpus not found");
    }
    for s in &scripts {
        total += 1;
        let Some(a) = lex_simple(s, &id) else {
            continue;
        };
        fast += 1;
        let b = parse_full(s, &id);
        if !b.ok {
            continue;
        }
        full += 1;
        if a != b {
            let (fa, fb) = (format!("{a:?}"), format!("{b:?}"));
            let k = fa
                .bytes()
                .zip(fb.bytes())
                .take_while(|(x, y)| x == y)
                .count();
            let from = k.saturating_sub(150);
            mismatches.push(format!(
                "{s:?}\n fast: ...{}\n full: ...{}",
                fa.get(from..(k + 150).min(fa.len())).unwrap_or(""),
                fb.get(from..(k + 150).min(fb.len())).unwrap_or("")
            ));
        }
    }
    eprintln!(
        "shell fast path: {fast} of {total} scripts, {full} also parsed by brush-parser, {} differ",
        mismatches.len()
    );
    for m in mismatches.iter().take(5) {
        eprintln!("{m}");
    }
    assert!(mismatches.is_empty());
}

/// How many RUN scripts of the generated benchmark file take the fast path (printed),
/// and the two paths agree on them.
#[test]
fn generated_file_scripts() {
    let text = docksmith_testgen::dockerfile(10_000, 1);
    let df = Dockerfile::parse(&text);
    let id = |r: TextRange| r;
    let (mut fast, mut total) = (0, 0);
    for i in df.instructions() {
        let mut scripts = Vec::new();
        if let Args::Text(w) = &i.inst.args
            && i.inst.kind == InstructionKind::Run
        {
            scripts.push(w.text.clone());
        }
        for h in &i.inst.heredocs {
            scripts.push(i.text(h.body).to_string());
        }
        for s in scripts {
            total += 1;
            match lex_simple(&s, &id) {
                Some(a) => {
                    fast += 1;
                    assert_eq!(a, parse_full(&s, &id), "{s:?}");
                }
                None if std::env::var_os("SHELL_VERBOSE").is_some() => eprintln!("FULL {s:?}"),
                None => {}
            }
        }
    }
    eprintln!("generated 10,000-line file: {fast} of {total} scripts on the fast path");
}
