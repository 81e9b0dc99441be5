//! Writes a generated Dockerfile to standard output.
//!
//! `cargo run -p docksmith-testgen --example dockerfile -- LINES [SEED] > Dockerfile`

use std::io::Write;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let lines = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let seed = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    std::io::stdout().write_all(docksmith_testgen::dockerfile(lines, seed).as_bytes())
}
