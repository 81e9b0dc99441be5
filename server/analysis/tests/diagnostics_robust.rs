//! The rules never panic and stay fast on any input: every corpus file (real-world,
//! edge cases, templates that are not Dockerfiles at all), and deterministic random
//! mutations of them (bytes cut, duplicated and spliced). Also: applying the safe fixes
//! never breaks the text into something that no longer parses as many instructions.

use docksmith_analysis::diagnostics::{Options, check_text};
use docksmith_analysis::fix::fix_all;

mod common;

use common::{CORPUS, Lcg, boundary, corpus_texts as files};

#[test]
fn rules_survive_corpus_and_mutations() {
    let files = files();
    if files.is_empty() {
        eprintln!("SKIPPED: corpus not found at {CORPUS}");
        return;
    }
    let opts = Options {
        dockerignore: Some("*.md\n!README.md\n**/secret*\n"),
        ..Options::default()
    };
    let mut rng = Lcg(7);
    let mut total = 0;
    for (k, text) in files.iter().enumerate() {
        total += check_text(text, &opts).len();
        if k % 4 != 0 || text.is_empty() {
            continue;
        }
        // A few mutations of every fourth file.
        for _ in 0..3 {
            let a = boundary(text, rng.next(text.len()));
            let b = boundary(text, a + rng.next(64));
            let c = boundary(text, rng.next(text.len()));
            let mutated = format!(
                "{}{}{}",
                &text[..a],
                &text[c..boundary(text, c + rng.next(40))],
                &text[b..]
            );
            let _ = check_text(&mutated, &opts);
        }
    }
    eprintln!("{} files, {total} diagnostics", files.len());
}

#[test]
fn safe_fixes_converge() {
    let files = files();
    if files.is_empty() {
        eprintln!("SKIPPED: corpus not found at {CORPUS}");
        return;
    }
    let opts = Options::default();
    let mut fixed_files = 0;
    for text in files.iter().step_by(3) {
        let (new, n) = fix_all(text, &opts, 10);
        if n == 0 {
            assert_eq!(&new, text);
            continue;
        }
        fixed_files += 1;
        // Idempotent: nothing safe is left to fix (within the round limit).
        let (again, m) = fix_all(&new, &opts, 10);
        assert_eq!(m, 0, "safe fixes did not converge:\n{new}");
        assert_eq!(again, new);
        let before = docksmith_syntax::Dockerfile::parse(text).instruction_count();
        let after = docksmith_syntax::Dockerfile::parse(&new).instruction_count();
        assert_eq!(
            before, after,
            "a fix changed the number of instructions:\n{text}\n---\n{new}"
        );
    }
    eprintln!("{fixed_files} files fixed");
}
