//! The two-thread check (`check_parallel`, `Incremental::set_parallel`) gives exactly
//! the serial one's result (the same diagnostics in the same order) on every corpus
//! file and on generated files, with the options that change which rules run.

use docksmith_analysis::config::{Config, RuleSetting};
use docksmith_analysis::diagnostics::Severity;
use docksmith_analysis::diagnostics::{Options, check, check_parallel};
use docksmith_analysis::incremental::Incremental;
use docksmith_analysis::semantics::Model;
use docksmith_syntax::Dockerfile;

mod common;

use common::{CORPUS, corpus_texts};

fn options() -> Vec<Options<'static>> {
    let mut all_on = Config::default();
    for (k, r) in docksmith_analysis::rules::RULES.iter().enumerate() {
        // Every rule on, some with another severity.
        let severity = (k % 3 == 0).then_some(Severity::Hint);
        all_on.set(
            r.meta.name,
            RuleSetting {
                enabled: Some(true),
                severity,
            },
        );
    }
    vec![
        Options::default(),
        Options {
            config: all_on,
            dockerignore: Some("*.md\n**/secret*\n"),
            buildkit_check: None,
        },
        Options {
            buildkit_check: Some("error=true;experimental=all"),
            ..Options::default()
        },
    ]
}

/// Serial and two-thread results of `text`, for each of [`options`].
fn assert_same(text: &str, label: &str) {
    let df = Dockerfile::parse(text);
    let model = Model::build(&df);
    for (k, opts) in options().iter().enumerate() {
        let serial = check(&df, &model, opts);
        let two = check_parallel(&df, &model, opts);
        assert_eq!(two, serial, "{label}, options {k}: check_parallel");
        let mut inc = Incremental::new();
        inc.set_parallel(true);
        let got = inc.update(&df, opts);
        assert_eq!(
            got,
            &serial[..],
            "{label}, options {k}: Incremental::set_parallel"
        );
        assert_eq!(**inc.model(), model, "{label}, options {k}: the model");
    }
}

#[test]
fn two_threads_equal_one_on_every_corpus_file() {
    let files = corpus_texts();
    if files.is_empty() {
        eprintln!("SKIPPED: corpus not found at {CORPUS}");
        return;
    }
    for (n, text) in files.iter().enumerate() {
        assert_same(text, &format!("corpus file {n}"));
    }
}

#[test]
fn two_threads_equal_one_on_generated_files() {
    for (lines, seed) in [(10_000, 1), (1_000, 2), (300, 3)] {
        let text = docksmith_testgen::dockerfile(lines, seed);
        assert_same(&text, &format!("generated {lines} lines, seed {seed}"));
        // A stage in a non-POSIX shell: the shell analysis then waits for the model.
        let pwsh = text.replacen("\nRUN ", "\nSHELL [\"pwsh\", \"-c\"]\nRUN ", 1);
        assert_ne!(pwsh, text);
        assert_same(
            &pwsh,
            &format!("generated {lines} lines, seed {seed}, pwsh"),
        );
    }
}
