//! The `docksmith` binary: CLI and language server.

mod check;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("check") {
        std::process::exit(check::run(&args[1..]));
    }
    eprintln!("docksmith: not yet implemented");
    std::process::exit(2);
}
