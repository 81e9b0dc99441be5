//! Shared helpers of the data-driven IDE tests: walk a data folder, run each fixture,
//! compare with the expected file beside it (`UPDATE_SNAPSHOTS=1` rewrites them).

#![allow(dead_code)]

use std::path::Path;

use docksmith_analysis::fixture::Fixture;
use docksmith_syntax::TextRange;

/// Run `f` on every `<dir>/*.Dockerfile` and compare with `<name>.<ext>`.
pub fn snapshots(dir: &str, ext: &str, f: impl Fn(&Fixture) -> String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(dir);
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {}", dir.display());
    let mut failures = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let fixture = Fixture::parse(&text);
        let got = f(&fixture);
        let exp_path = path.with_extension(ext);
        let expected = std::fs::read_to_string(&exp_path).unwrap_or_default();
        if got != expected {
            if update {
                std::fs::write(&exp_path, &got).unwrap();
            } else {
                failures.push(format!(
                    "{} differs from {}\n--- expected\n{expected}\n--- got\n{got}",
                    path.display(),
                    exp_path.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The source line holding `at`, with a marker line under `range` (or a `|` at `at`
/// when the range is empty or elsewhere): the heading of one result.
pub fn heading(text: &str, at: u32, range: Option<TextRange>) -> String {
    let at = at as usize;
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = &text[start..end];
    let line_no = text[..start].matches('\n').count() + 1;
    let col = |o: usize| text[start..o.clamp(start, end)].chars().count();
    let marker = match range {
        Some(r) if !r.is_empty() && (r.start as usize) <= end && (r.end as usize) >= start => {
            let s = col(r.start as usize);
            let e = col(r.end as usize).max(s + 1);
            format!("{}{}", " ".repeat(s), "^".repeat(e - s))
        }
        _ => format!("{}|", " ".repeat(col(at))),
    };
    format!("── line {line_no} ──\n{line}\n{marker}\n")
}

/// The cursors of a fixture, in order.
pub fn cursors(f: &Fixture) -> Vec<u32> {
    f.markers
        .iter()
        .filter(|m| m.cursor)
        .map(|m| m.range.start)
        .collect()
}

/// The shared test corpus beside the repository (`../shared/corpus`).
pub const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

/// The text of every file of the corpus's `realworld/` and `edgecases/` folders, in path
/// order (empty when the corpus is absent: callers say they skipped).
pub fn corpus_texts() -> Vec<String> {
    let sorted = |dir: &Path| -> Vec<std::path::PathBuf> {
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        paths.sort();
        paths
    };
    let mut out = Vec::new();
    for sub in ["realworld", "edgecases"] {
        for repo in sorted(Path::new(&format!("{CORPUS}/{sub}"))) {
            for f in sorted(&repo) {
                if let Ok(b) = std::fs::read(&f) {
                    out.push(String::from_utf8_lossy(&b).into_owned());
                }
            }
        }
    }
    out
}

/// A small deterministic random number generator (an LCG).
pub struct Lcg(pub u64);

impl Lcg {
    /// A number in `0..n` (0 when `n` is 0).
    pub fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// `i`, clamped to `s` and moved back to a character boundary.
pub fn boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
