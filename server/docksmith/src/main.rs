//! The `docksmith` binary: CLI and language server.

fn main() {
    std::process::exit(docksmith::cli::main());
}
