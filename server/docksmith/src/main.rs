//! The `docksmith` binary: CLI and language server.

// Parsing and analysis allocate many small objects; mimalloc is markedly faster at that
// than the system allocator (measured in docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(docksmith::cli::main());
}
