//! The command line: `docksmith lsp` and `docksmith parse`.
//!
//! Exit codes: 0 success, 1 findings (parse errors) or an LSP session that ended without
//! `shutdown`, 2 usage or I/O errors.

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use docksmith_syntax::{Dockerfile, SyntaxError, dump};
use ropey::Rope;

use crate::logging;
use crate::lsp::position::{PositionEncoding, offset_to_position};
use crate::lsp::{self, ServeOptions};

pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

/// Environment variable that enables the `docksmith.debug.*` LSP commands.
pub const DEBUG_COMMANDS_ENV: &str = "DOCKSMITH_DEBUG_COMMANDS";

#[derive(Debug, Parser)]
#[command(
    name = "docksmith",
    version,
    about = "A fast, error-tolerant language server and linter for Dockerfiles"
)]
pub struct Cli {
    /// Log filter for stderr: error, warn, info, debug, trace, off, or a tracing directive.
    /// Overrides RUST_LOG; the default is warn.
    #[arg(long, global = true, value_name = "LEVEL")]
    pub log_level: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the Language Server Protocol on stdin/stdout.
    Lsp {
        /// Accepted and ignored (stdio is the only transport); some clients always pass it.
        #[arg(long)]
        stdio: bool,
        /// Accepted and ignored (vscode-languageclient may pass it); the server exits when
        /// its input ends.
        #[arg(long = "clientProcessId", value_name = "PID", hide = true)]
        client_process_id: Option<String>,
    },
    /// Lint Dockerfiles: files, directories, `-` for stdin (`docksmith check --help`).
    #[command(disable_help_flag = true)]
    Check {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Parse a Dockerfile and print the parse.
    Parse {
        /// The Dockerfile to read; `-` reads standard input.
        file: PathBuf,
        /// What to print.
        #[arg(long, value_enum, default_value_t = Format::Buildkit)]
        format: Format,
    },
    /// List the stages (build targets) of a Dockerfile: index, name, base image, line and
    /// the stages each one uses.
    Stages {
        /// The Dockerfile to read; `-` reads standard input.
        file: PathBuf,
        /// Print JSON (an array of objects) instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// BuildKit's parser dump (one line per instruction), or the errors that make BuildKit
    /// reject the file.
    Buildkit,
    /// Docksmith's syntax tree with byte ranges.
    Tree,
}

/// Runs the command line; returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    let log_control = match logging::init(cli.log_level.as_deref()) {
        Ok(control) => control,
        Err(e) => {
            eprintln!("docksmith: {e}");
            return EXIT_USAGE;
        }
    };
    match cli.command {
        Command::Lsp { .. } => {
            logging::install_panic_hook();
            let debug_commands = std::env::var(DEBUG_COMMANDS_ENV).is_ok_and(|v| v == "1");
            lsp::run_stdio(ServeOptions {
                debug_commands,
                log_control,
            })
        }
        Command::Parse { file, format } => parse(&file, format),
        Command::Stages { file, json } => crate::stages::run(&file, json),
        Command::Check { args } => crate::check::run(&args),
    }
}

fn parse(file: &std::path::Path, format: Format) -> i32 {
    let (name, bytes) = if file.as_os_str() == "-" {
        let mut buf = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut buf) {
            eprintln!("docksmith: cannot read standard input: {e}");
            return EXIT_USAGE;
        }
        ("<stdin>".to_owned(), buf)
    } else {
        match std::fs::read(file) {
            Ok(b) => (file.display().to_string(), b),
            Err(e) => {
                eprintln!("docksmith: cannot read {}: {e}", file.display());
                return EXIT_USAGE;
            }
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!("{name} is not valid UTF-8; invalid bytes read as U+FFFD");
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    let df = Dockerfile::parse(&text);
    let (out, errors) = match format {
        Format::Buildkit => match dump::buildkit(&df) {
            Ok(out) => (out, Vec::new()),
            Err(errors) => (String::new(), errors),
        },
        Format::Tree => (dump::tree(&df), df.errors()),
    };
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return EXIT_USAGE;
    }
    if errors.is_empty() {
        return EXIT_OK;
    }
    let rope = Rope::from_str(&text);
    let mut stderr = std::io::stderr().lock();
    for e in &errors {
        let _ = writeln!(stderr, "{}", format_error(&name, &rope, e));
    }
    EXIT_FINDINGS
}

/// `FILE:LINE:COL: error: message`, with 1-based line and column (the column counts
/// characters, not bytes).
pub fn format_error(name: &str, rope: &Rope, e: &SyntaxError) -> String {
    let p = offset_to_position(rope, e.range.start as usize, PositionEncoding::Utf8);
    let line = rope.line(p.line as usize);
    let col = line.byte_to_char((p.character as usize).min(line.len_bytes()));
    format!("{name}:{}:{}: error: {}", p.line + 1, col + 1, e.message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use docksmith_syntax::TextRange;

    #[test]
    fn error_lines_are_one_based_and_count_chars() {
        let rope = Rope::from_str("FROM a\nRUN é😀 x\n");
        let e = |start| SyntaxError {
            range: TextRange::new(start, start),
            message: "m".into(),
            kind: docksmith_syntax::ErrorKind::Parse,
        };
        assert_eq!(
            format_error("Dockerfile", &rope, &e(0)),
            "Dockerfile:1:1: error: m"
        );
        assert_eq!(
            format_error("Dockerfile", &rope, &e(7)),
            "Dockerfile:2:1: error: m"
        );
        // "RUN é😀 " is 4 + 2 + 4 + 1 bytes; the x is character 8 of line 2
        assert_eq!(format_error("-", &rope, &e(18)), "-:2:8: error: m");
    }

    #[test]
    fn cli_shape() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
        let cli =
            Cli::try_parse_from(["docksmith", "lsp", "--stdio", "--log-level", "debug"]).unwrap();
        assert!(matches!(cli.command, Command::Lsp { stdio: true, .. }));
        assert_eq!(cli.log_level.as_deref(), Some("debug"));
        let cli =
            Cli::try_parse_from(["docksmith", "lsp", "--stdio", "--clientProcessId=42"]).unwrap();
        assert!(matches!(cli.command, Command::Lsp { stdio: true, .. }));
        let cli = Cli::try_parse_from(["docksmith", "parse", "-", "--format", "tree"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Parse {
                format: Format::Tree,
                ..
            }
        ));
        assert!(Cli::try_parse_from(["docksmith", "parse", "x", "--format", "json"]).is_err());
        assert!(Cli::try_parse_from(["docksmith"]).is_err());
    }
}
