//! Build the semantic model of a generated file of N lines (default 10,000) once; for
//! profiling with `valgrind --tool=callgrind`.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let lines = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let text = docksmith_testgen::dockerfile(lines, 42);
    let df = docksmith_syntax::Dockerfile::parse(&text);
    let t = std::time::Instant::now();
    let m = docksmith_analysis::Model::build(&df);
    eprintln!(
        "{} stages, {} uses, {:?}",
        m.stages.len(),
        m.uses.len(),
        t.elapsed()
    );
}
