//! Navigation requests on a generated 10,000-line Dockerfile: prints the time of each
//! request kind (median, 99th percentile and maximum over many cursor positions).
//!
//! `cargo run --release -p docksmith-analysis --example nav_bench [LINES]`
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use docksmith_analysis::Model;
use docksmith_analysis::navigation;
use docksmith_syntax::{Dockerfile, TextRange};

fn stats(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let n = times.len();
    let pick = |q: f64| times[((n as f64 - 1.0) * q) as usize];
    println!(
        "{name:<28} n={n:<6} min {:>9.1?}  median {:>9.1?}  p99 {:>9.1?}  max {:>9.1?}",
        times[0],
        pick(0.5),
        pick(0.99),
        times[n - 1]
    );
}

fn time<T>(f: impl FnOnce() -> T) -> Duration {
    let t = Instant::now();
    std::hint::black_box(f());
    t.elapsed()
}

fn main() {
    let lines: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let text = docksmith_testgen::dockerfile(lines, 42);
    println!("{lines} lines, {} bytes", text.len());
    let df = Dockerfile::parse(&text);
    let mut builds = Vec::new();
    for _ in 0..20 {
        builds.push(time(|| Model::build(&df)));
    }
    stats("Model::build (once per edit)", builds);
    let m = Model::build(&df);
    println!(
        "{} stages, {} variable uses, {} stage references",
        m.stages.len(),
        m.uses.len(),
        m.stage_refs.len()
    );
    // Cursor positions: every variable use, stage reference and declaration, plus an
    // even spread over the file.
    let mut at: Vec<u32> = m.uses.iter().map(|u| u.name_range.start + 1).collect();
    at.extend(m.stage_refs.iter().map(|r| r.range.start + 1));
    at.extend(m.decls.iter().filter_map(|d| d.name_range).map(|r| r.start));
    at.extend((0..2000).map(|k| (df.len() as u64 * k / 2000) as u32));
    at.sort_unstable();
    at.dedup();
    let step = (at.len() / 3000).max(1);
    let at: Vec<u32> = at.into_iter().step_by(step).collect();

    let per = |name: &str, f: &dyn Fn(u32)| {
        stats(name, at.iter().map(|&o| time(|| f(o))).collect());
    };
    per("definition", &|o| {
        std::hint::black_box(navigation::definition(&df, &m, o));
    });
    per("references (+decl)", &|o| {
        std::hint::black_box(navigation::references(&df, &m, o, true));
    });
    per("documentHighlight", &|o| {
        std::hint::black_box(navigation::highlights(&df, &m, o));
    });
    per("prepareRename", &|o| {
        std::hint::black_box(navigation::prepare_rename(&df, &m, o).ok());
    });
    per("rename", &|o| {
        std::hint::black_box(navigation::rename(&df, &m, o, "renamed_x").ok());
    });
    per("selectionRange", &|o| {
        std::hint::black_box(navigation::selection_ranges(&df, &m, &[o]));
    });
    // A screenful of inlay hints around each position.
    per("inlayHint (60 lines)", &|o| {
        let r = TextRange::new(o, (o + 60 * 40).min(df.len()));
        std::hint::black_box(navigation::inlay_hints(&df, &m, r));
    });
    let whole = |name: &str, f: &dyn Fn()| {
        stats(name, (0..50).map(|_| time(f)).collect());
    };
    whole("documentSymbol", &|| {
        std::hint::black_box(navigation::document_symbols(&df, &m));
    });
    whole("foldingRange", &|| {
        std::hint::black_box(navigation::folding_ranges(&df, &m));
    });
    whole("codeLens", &|| {
        std::hint::black_box(navigation::code_lenses(&m));
    });
    whole("workspace/symbol ('st')", &|| {
        std::hint::black_box(navigation::workspace_symbols(&m, "st"));
    });
}
