//! Run every rule once over a generated file of N lines (default 10,000); for profiling
//! with `valgrind --tool=callgrind`.

// The system allocator, as the `docksmith` binary: `valgrind --tool=dhat` sees every
// allocation, and the figures are the server's.

fn main() {
    let lines = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let text = docksmith_testgen::dockerfile(lines, 1);
    let df = docksmith_syntax::Dockerfile::parse(&text);
    let m = docksmith_analysis::Model::build(&df);
    let opts = docksmith_analysis::diagnostics::Options::default();
    let d = docksmith_analysis::diagnostics::check(&df, &m, &opts);
    eprintln!("{} diagnostics", d.len());
}
