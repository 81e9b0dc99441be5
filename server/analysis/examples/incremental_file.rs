//! Open a generated file of N lines (default 10,000) and type 30 characters at the end
//! of a one-line RUN in the middle, updating an `Incremental` after each; for profiling
//! the incremental path with `valgrind --tool=callgrind` (compare `Incremental::patch`
//! with `Incremental::full`).

// The system allocator, as the `docksmith` binary: `valgrind --tool=dhat` sees every
// allocation, and the figures are the server's.

fn main() {
    let lines = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let text = docksmith_testgen::dockerfile(lines, 1);
    let mut df = docksmith_syntax::Dockerfile::parse(&text);
    let opts = docksmith_analysis::diagnostics::Options::default();
    let mut inc = docksmith_analysis::incremental::Incremental::new();
    inc.update(&df, &opts);
    for (line, col, s) in docksmith_testgen::edit_script(&text, 30, 1) {
        // ASCII text: UTF-16 columns are bytes.
        let cur = df.text();
        let start: usize = cur.split_inclusive('\n').take(line).map(str::len).sum();
        df.apply_edit(start + col, start + col, &s);
        inc.update(&df, &opts);
    }
    eprintln!(
        "{} diagnostics, last update {:?}",
        inc.diagnostics().len(),
        inc.last_update()
    );
}
