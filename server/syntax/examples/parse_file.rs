//! Parse a generated file of N lines (default 10,000) once and drop the result; for
//! profiling with `valgrind --tool=callgrind`. Count only the parse (and the drop, as the
//! `full_parse` bench does) with `--toggle-collect=parse_file::parse_and_drop`:
//!
//! ```sh
//! cargo build --release -p docksmith-syntax --example parse_file
//! valgrind --tool=callgrind --toggle-collect=parse_file::parse_and_drop \
//!     target/release/examples/parse_file 10000
//! ```

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Parse and drop; returns (nodes, instructions).
#[inline(never)]
fn parse_and_drop(text: &str) -> (usize, usize) {
    let df = docksmith_syntax::Dockerfile::parse(std::hint::black_box(text));
    (df.nodes().len(), df.instruction_count())
}

fn main() {
    let lines = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let text = docksmith_testgen::dockerfile(lines, 42);
    let (nodes, instructions) = parse_and_drop(&text);
    eprintln!("{nodes} nodes, {instructions} instructions");
}
