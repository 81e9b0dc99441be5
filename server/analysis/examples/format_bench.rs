//! Formatter timings on generated Dockerfiles (1k, 10k, 50k lines):
//! `cargo run --release -p docksmith-analysis --example format_bench`.
//!
//! Prints, per size, the median and p95 of: whole-document formatting (`format`), a
//! range of 20 lines in the middle (`format_range`), and on-type formatting after a
//! newline (`format_on_type`), over an already parsed file (the server keeps the parse).
//! Also the time to format an unformatted variant (lower-case keywords, indentation
//! removed), where every instruction gets edits.

use std::time::{Duration, Instant};

use docksmith_analysis::format::{FormatOptions, format, format_on_type, format_range};
use docksmith_syntax::{Dockerfile, TextRange};

fn stats(mut v: Vec<Duration>) -> String {
    v.sort();
    let med = v[v.len() / 2];
    let p95 = v[(v.len() * 95 / 100).min(v.len() - 1)];
    format!(
        "median {:>8.1} µs  p95 {:>8.1} µs",
        med.as_secs_f64() * 1e6,
        p95.as_secs_f64() * 1e6
    )
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect()
}

#[allow(clippy::print_stdout)]
fn main() {
    let opts = FormatOptions::default();
    for lines in [1_000, 10_000, 50_000] {
        let text = docksmith_testgen::dockerfile(lines, 7);
        let messy: String = text
            .lines()
            .map(|l| {
                let t = l.trim_start();
                match t.split_once(' ') {
                    Some((k, rest)) if k.chars().all(|c| c.is_ascii_uppercase()) => {
                        format!("{}  {rest}\n", k.to_ascii_lowercase())
                    }
                    _ => format!("{t}\n"),
                }
            })
            .collect();
        let df = Dockerfile::parse(&text);
        let dm = Dockerfile::parse(&messy);
        let mid = (text.len() / 2) as u32;
        let mid = text[..mid as usize].rfind('\n').map_or(0, |p| p as u32 + 1);
        let end20 = text[mid as usize..]
            .match_indices('\n')
            .nth(19)
            .map_or(text.len() as u32, |(p, _)| mid + p as u32);
        let runs = if lines > 10_000 { 20 } else { 100 };
        println!(
            "{lines} lines ({} bytes, {} instructions):",
            text.len(),
            df.instruction_count()
        );
        println!(
            "  format (formatted file)   {}  edits {}",
            stats(time(runs, || format(&df, &opts))),
            format(&df, &opts).len()
        );
        println!(
            "  format (unformatted file) {}  edits {}",
            stats(time(runs, || format(&dm, &opts))),
            format(&dm, &opts).len()
        );
        println!(
            "  format_range (20 lines)   {}",
            stats(time(runs * 10, || format_range(
                &dm,
                &opts,
                TextRange::new(mid, end20)
            )))
        );
        println!(
            "  format_on_type (newline)  {}",
            stats(time(runs * 10, || format_on_type(&dm, &opts, mid, '\n')))
        );
    }
}
