//! Diagnostics timing: parse + model + all rules on generated files (10,000 lines by
//! default) and on every real-world corpus file. Prints figures; asserts nothing.
//!
//! `cargo run --release -p docksmith-analysis --example diagnostics_bench [LINES]`

#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

// The system allocator, as the `docksmith` binary (see its main.rs): its figures are
// the server's, and `valgrind --tool=dhat` sees every allocation.

use docksmith_analysis::diagnostics::{Options, check};
use docksmith_analysis::semantics::Model;
use docksmith_syntax::Dockerfile;

/// Median and minimum (the minimum is the least disturbed by other processes on a
/// shared machine).
fn median(mut v: Vec<Duration>) -> String {
    v.sort();
    format!("median {:>9.3?}  min {:>9.3?}", v[v.len() / 2], v[0])
}

fn main() {
    let lines: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let text = docksmith_testgen::dockerfile(lines, 1);
    let opts = Options::default();
    let runs = 30;
    let (mut parse, mut model, mut rules, mut total) = (vec![], vec![], vec![], vec![]);
    let mut count = 0;
    for _ in 0..runs {
        let t0 = Instant::now();
        let df = Dockerfile::parse(&text);
        let t1 = Instant::now();
        let m = Model::build(&df);
        let t2 = Instant::now();
        let d = check(&df, &m, &opts);
        let t3 = Instant::now();
        count = d.len();
        parse.push(t1 - t0);
        model.push(t2 - t1);
        rules.push(t3 - t2);
        total.push(t3 - t0);
    }
    println!(
        "generated file: {lines} lines, {} bytes, {count} diagnostics; median of {runs} runs",
        text.len()
    );
    println!("  parse             {}", median(parse));
    println!("  semantic model    {}", median(model));
    println!(
        "  rules (check)     {}   <- diagnostics of an open (parsed) file",
        median(rules)
    );
    println!("  total             {}", median(total));
    // The same on two threads (`check_parallel`, `Incremental::set_parallel`).
    let df = Dockerfile::parse(&text);
    let m = Model::build(&df);
    let (mut serial, mut two) = (vec![], vec![]);
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(check(&df, &m, &opts).len());
        serial.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(docksmith_analysis::diagnostics::check_parallel(&df, &m, &opts).len());
        two.push(t.elapsed());
    }
    println!("  rules, serial     {}", median(serial));
    println!("  rules, 2 threads  {}   <- check_parallel", median(two));
    let (mut serial, mut two) = (vec![], vec![]);
    for _ in 0..runs {
        let t = Instant::now();
        let mut inc = docksmith_analysis::incremental::Incremental::new();
        std::hint::black_box(inc.update(&df, &opts).len());
        serial.push(t.elapsed());
        let t = Instant::now();
        let mut inc = docksmith_analysis::incremental::Incremental::new();
        inc.set_parallel(true);
        std::hint::black_box(inc.update(&df, &opts).len());
        two.push(t.elapsed());
    }
    println!(
        "  open: Incremental::new().update (model + rules), serial     {}",
        median(serial)
    );
    println!(
        "  open: Incremental::new().update (model + rules), 2 threads  {}   <- set_parallel(true)",
        median(two)
    );
    println!("  slowest rules (min of 10):");

    // Per rule, to find the expensive ones.
    let df = Dockerfile::parse(&text);
    let m = Model::build(&df);
    let ctx = docksmith_analysis::rules::Ctx::new(&df, &m, &opts);
    let t = Instant::now();
    let runs = ctx.scripts().iter().flatten().count();
    println!(
        "  shell analysis of {runs} RUNs (once per check, shared by the rules): {:.3?}",
        t.elapsed()
    );
    let mut per: Vec<(Duration, &str)> = docksmith_analysis::rules::RULES
        .iter()
        .map(|r| {
            let best = (0..10)
                .map(|_| {
                    let t = Instant::now();
                    let mut out = Vec::new();
                    (r.check)(&ctx, &mut out);
                    t.elapsed()
                })
                .min()
                .unwrap_or_default();
            (best, r.meta.name)
        })
        .collect();
    per.sort_by(|a, b| b.cmp(a));
    let top: usize = std::env::var("TOP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    for (t, n) in per.iter().take(top) {
        println!("    {n:<32} {t:>10.3?}");
    }

    // Incremental: typing at the end of a one-line RUN in the middle of the file
    // (docksmith_testgen::edit_script), model + diagnostics after each character.
    let edits = docksmith_testgen::edit_script(&text, 30, 1);
    let mut df = Dockerfile::parse(&text);
    let mut inc = docksmith_analysis::incremental::Incremental::new();
    let t = Instant::now();
    inc.update(&df, &opts);
    let first = t.elapsed();
    let mut times = Vec::new();
    let mut patched = 0;
    for (line, col, s) in &edits {
        // ASCII text: UTF-16 columns are bytes.
        let cur = df.text();
        let start: usize = cur.split_inclusive('\n').take(*line).map(str::len).sum();
        df.apply_edit(start + col, start + col, s);
        let t = Instant::now();
        let n = inc.update(&df, &opts).len();
        times.push(t.elapsed());
        std::hint::black_box(n);
        if std::env::var_os("VERBOSE").is_some() {
            eprintln!("{:?} {:?}", times.last(), inc.last_update());
        }
        patched += usize::from(
            inc.last_update() == Some(docksmith_analysis::incremental::Update::Patched),
        );
    }
    times.sort();
    // A fresh Incremental on the edited parse: the full path again (opening a file).
    let full = (0..10)
        .map(|_| {
            let t = Instant::now();
            let mut fresh = docksmith_analysis::incremental::Incremental::new();
            std::hint::black_box(fresh.update(&df, &opts).len());
            t.elapsed()
        })
        .min()
        .unwrap_or_default();
    println!(
        "  incremental: first update (full) {first:.3?}, min of 10 more {full:.3?}; one character typed in a RUN in the middle, model + diagnostics ({} diagnostics), {} edits ({patched} patched): median {:.3?}  p95 {:.3?}  min {:.3?}",
        inc.diagnostics().len(),
        times.len(),
        times[times.len() / 2],
        times[(times.len() * 95).div_ceil(100) - 1],
        times[0]
    );

    // Incremental: Enter at the end of a one-line RUN, then `RUN x` typed on the new
    // line, one keystroke at a time (6 keystrokes), at 10 RUNs from the middle of the
    // file on; model + diagnostics after each keystroke.
    let mut df = Dockerfile::parse(&text);
    let mut inc = docksmith_analysis::incremental::Incremental::new();
    inc.update(&df, &opts);
    let mut times = Vec::new();
    let mut patched = 0;
    let half = text.len() / 2;
    for n in 0..10 {
        let cur = df.text();
        let Some(eol) = cur[half..]
            .match_indices('\n')
            .map(|(i, _)| half + i)
            .filter(|&e| {
                let s = cur[..e].rfind('\n').map_or(0, |p| p + 1);
                let l = &cur[s..e];
                l.starts_with("RUN ") && !l.ends_with('\\') && !l.contains("<<")
            })
            .nth(n * 7)
        else {
            break;
        };
        let mut at = eol;
        for key in ["\n", "R", "U", "N", " ", "x"] {
            df.apply_edit(at, at, key);
            at += key.len();
            let t = Instant::now();
            let k = inc.update(&df, &opts).len();
            times.push(t.elapsed());
            std::hint::black_box(k);
            if std::env::var_os("VERBOSE").is_some() {
                eprintln!("{key:?} {:?} {:?}", times.last(), inc.last_update());
            }
            patched += usize::from(
                inc.last_update() == Some(docksmith_analysis::incremental::Update::Patched),
            );
        }
    }
    times.sort();
    if !times.is_empty() {
        println!(
            "  incremental: Enter at the end of a RUN, then `RUN x` typed, model + diagnostics per keystroke, {} keystrokes ({patched} patched): median {:.3?}  p95 {:.3?}  min {:.3?}",
            times.len(),
            times[times.len() / 2],
            times[(times.len() * 95).div_ceil(100) - 1],
            times[0]
        );
    }

    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/realworld"
    );
    let Ok(rd) = std::fs::read_dir(dir) else {
        println!("SKIPPED: corpus not found at {dir}");
        return;
    };
    let mut files = Vec::new();
    for repo in rd.flatten() {
        if let Ok(inner) = std::fs::read_dir(repo.path()) {
            for f in inner.flatten() {
                if let Ok(t) = std::fs::read_to_string(f.path()) {
                    files.push(t);
                }
            }
        }
    }
    let t0 = Instant::now();
    let mut n = 0;
    for t in &files {
        n += docksmith_analysis::diagnostics::check_text(t, &opts).len();
    }
    let el = t0.elapsed();
    println!(
        "real-world corpus: {} files, {n} diagnostics, {el:.2?} in one thread ({:.1?} per file)",
        files.len(),
        el / files.len().max(1) as u32
    );
}
