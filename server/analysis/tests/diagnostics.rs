//! Data-driven tests of the whole pipeline (all rules, configuration defaults,
//! suppressions): each `data/diagnostics/*.Dockerfile` is checked and re-rendered with
//! one marker line per diagnostic, compared with the `.expected` file beside it.
//! `UPDATE_SNAPSHOTS=1` rewrites them (review the diff).

mod common;

use docksmith_analysis::diagnostics::{Options, check_text};
use docksmith_analysis::fixture::render;

#[test]
fn diagnostics_snapshots() {
    common::snapshots("diagnostics", "expected", |fx| {
        let diags = check_text(&fx.text, &Options::default());
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
        render(&fx.text, &anns)
    });
}
