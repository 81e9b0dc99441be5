//! The `docksmith` binary: CLI and language server.

fn main() {
    eprintln!("docksmith: not yet implemented");
    std::process::exit(2);
}
