//! Timing of the IDE features on a generated 10,000-line Dockerfile (or `--lines N`):
//! hover, completion and signature help at many positions, semantic tokens full and for
//! one screen. Prints figures; run with
//! `cargo run --release -p docksmith-analysis --example ide_bench [-- --lines 10000]`.
//!
//! The model is built once per document version (as the server caches it); its build
//! time is printed separately.

#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use docksmith_analysis::Model;
use docksmith_analysis::completion::complete;
use docksmith_analysis::hover::hover;
use docksmith_analysis::semantic_tokens::semantic_tokens;
use docksmith_analysis::signature::signature_help;
use docksmith_syntax::{Dockerfile, TextRange};

fn stats(name: &str, mut times: Vec<Duration>, answered: usize) {
    times.sort();
    let n = times.len().max(1);
    let at = |q: f64| times[((n as f64 - 1.0) * q) as usize];
    println!(
        "{name:<22} n={:<6} answered={answered:<6} median={:>9.1?} p99={:>9.1?} max={:>9.1?}",
        times.len(),
        at(0.5),
        at(0.99),
        times.last().copied().unwrap_or_default()
    );
}

fn main() {
    let mut lines = 10_000usize;
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--lines") {
        lines = args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .unwrap_or(lines);
    }
    let text = docksmith_testgen::dockerfile(lines, 42);
    println!("file: {lines} lines, {} bytes", text.len());
    let t = Instant::now();
    let df = Dockerfile::parse(&text);
    println!("parse                  {:?}", t.elapsed());
    let t = Instant::now();
    let model = Model::build(&df);
    println!("model build            {:?}", t.elapsed());

    // Positions: the keyword, every flag, every variable use, line ends.
    let mut positions: Vec<u32> = Vec::new();
    for i in df.instructions() {
        positions.push(i.abs(i.inst.keyword.range).start + 1);
        for f in &i.inst.flags {
            positions.push(i.abs(f.range).start + 3);
            if let Some(v) = f.value_range {
                positions.push(i.abs(v).end);
            }
        }
        for v in &i.inst.vars {
            positions.push(i.abs(v.name_range).end);
        }
        positions.push(i.range().end);
    }
    // Spread over the whole file, at most 5000.
    let step = (positions.len() / 5000).max(1);
    let positions: Vec<u32> = positions.into_iter().step_by(step).collect();

    let mut times = Vec::new();
    let mut answered = 0;
    for &p in &positions {
        let t = Instant::now();
        let h = hover(&df, &model, p);
        times.push(t.elapsed());
        answered += usize::from(h.is_some());
    }
    stats("hover", times, answered);

    let mut times = Vec::new();
    let mut answered = 0;
    for &p in &positions {
        let t = Instant::now();
        let (_, items) = complete(&df, &model, p);
        times.push(t.elapsed());
        answered += usize::from(!items.is_empty());
    }
    stats("completion", times, answered);

    let mut times = Vec::new();
    let mut answered = 0;
    for &p in &positions {
        let t = Instant::now();
        let h = signature_help(&df, p);
        times.push(t.elapsed());
        answered += usize::from(h.is_some());
    }
    stats("signature help", times, answered);

    let mut times = Vec::new();
    let mut count = 0;
    for _ in 0..20 {
        let t = Instant::now();
        count = semantic_tokens(&df, &model, None).len();
        times.push(t.elapsed());
    }
    stats("semantic tokens full", times, count);

    let mut times = Vec::new();
    let mut count = 0;
    let mid = df.len() / 2;
    for k in 0..200u32 {
        let start = (mid + k * 97).min(df.len());
        let t = Instant::now();
        count = semantic_tokens(
            &df,
            &model,
            Some(TextRange::new(start, (start + 3000).min(df.len()))),
        )
        .len();
        times.push(t.elapsed());
    }
    stats("semantic tokens range", times, count);
}
