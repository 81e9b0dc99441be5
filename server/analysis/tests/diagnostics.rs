//! Data-driven tests of the whole pipeline (all rules, configuration defaults,
//! suppressions): each `data/diagnostics/*.Dockerfile` is checked and re-rendered with
//! one marker line per diagnostic, compared with the `.expected` file beside it.
//! `UPDATE_SNAPSHOTS=1` rewrites them (review the diff).

use std::path::Path;

use docksmith_analysis::diagnostics::{Options, check_text};
use docksmith_analysis::fixture::render;

#[test]
fn diagnostics_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/diagnostics");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let diags = check_text(&text, &Options::default());
        let anns: Vec<_> = diags
            .iter()
            .map(|d| {
                let fix = d
                    .fixes
                    .first()
                    .map(|f| format!(" [fix ({}): {}]", f.safety.name(), f.title))
                    .unwrap_or_default();
                (
                    d.range,
                    format!("{}[{}]: {}{fix}", d.severity.name(), d.rule, d.message),
                )
            })
            .collect();
        let got = render(&text, &anns);
        let exp_path = path.with_extension("expected");
        let expected = std::fs::read_to_string(&exp_path).unwrap_or_default();
        if got != expected {
            if update {
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
