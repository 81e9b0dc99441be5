//! Data-driven parser tests: each `tests/data/parse/*.Dockerfile` is parsed and its
//! tree dump compared with the `.tree` file beside it (a failure reads as a diff).
//! Run with `UPDATE_SNAPSHOTS=1` to rewrite the expected files after a deliberate
//! change, then review the diff.

use std::path::Path;

use docksmith_syntax::{Dockerfile, dump};

#[test]
fn parse_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/parse");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut failures = Vec::new();
    let mut n = 0;
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
    {
        n += 1;
        let text = std::fs::read_to_string(path).unwrap();
        let df = Dockerfile::parse(&text);
        let mut got = dump::tree(&df);
        got.push_str("--- buildkit\n");
        match dump::buildkit(&df) {
            Ok(s) => got.push_str(&s),
            Err(errs) => {
                for e in errs {
                    got.push_str(&format!("error {}: {}\n", e.range, e.message));
                }
            }
        }
        let expected_path = path.with_extension("tree");
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            if update {
                std::fs::write(&expected_path, &got).unwrap();
            } else {
                failures.push(format!(
                    "{}:\n{}",
                    path.display(),
                    line_diff(&expected, &got)
                ));
            }
        }
    }
    assert!(n > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A minimal line diff: lines only in expected (-) and only in got (+), in order.
fn line_diff(expected: &str, got: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < e.len() || j < g.len() {
        if i < e.len() && j < g.len() && e[i] == g[j] {
            i += 1;
            j += 1;
        } else if j < g.len() && !e[i..].contains(&g[j]) {
            out.push_str(&format!("+{}\n", g[j]));
            j += 1;
        } else if i < e.len() {
            out.push_str(&format!("-{}\n", e[i]));
            i += 1;
        } else {
            out.push_str(&format!("+{}\n", g[j]));
            j += 1;
        }
    }
    out
}
