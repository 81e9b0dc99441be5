//! Parse a generated file of N lines (default 10,000) once; for profiling with
//! `valgrind --tool=callgrind`. `cargo run --release -p docksmith-syntax --example parse_file -- 10000`

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let lines = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let text = docksmith_testgen::dockerfile(lines, 42);
    let df = docksmith_syntax::Dockerfile::parse(&text);
    eprintln!(
        "{} nodes, {} instructions",
        df.nodes().len(),
        df.instruction_count()
    );
}
