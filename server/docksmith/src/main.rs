//! The `docksmith` binary: CLI and language server.
//!
//! It uses the system allocator. With mimalloc, in the LSP benchmark at 10,000 lines
//! (docs/performance.md), peak memory was 55-63 MiB instead of 19-20 MiB and opening the
//! file took 16-57 ms instead of 18 ms, for the same typing latency (second session; in the
//! first, 93 instead of 60 MiB and 104 instead of 44 ms).

fn main() {
    std::process::exit(docksmith::cli::main());
}
