//! `lsp-bench`: drives any language server over stdio on generated Dockerfiles and prints
//! what an editor user would feel, side by side, as a Markdown table (and JSON on request).
//!
//! It prints figures; it asserts nothing about them. See `docs/performance.md`.

mod args;
mod machine;
mod report;
mod rpc;
mod scenario;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use serde_json::json;

use args::{Options, Parsed};

fn main() -> ExitCode {
    let options = match args::parse(std::env::args().skip(1)) {
        Ok(Parsed::Run(options)) => options,
        Ok(Parsed::Help) => {
            let _ = std::io::stdout().write_all(args::USAGE.as_bytes());
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("lsp-bench: {message}");
            return ExitCode::from(2);
        }
    };
    if let Some(argv) = &options.probe {
        return probe(argv, options.timeout);
    }
    match bench(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lsp-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Does `argv` start and answer `initialize` within `timeout`?
fn probe(argv: &[String], timeout: Duration) -> ExitCode {
    let dir = std::env::temp_dir().join(format!("lsp-bench-probe-{}", std::process::id()));
    let result = std::fs::create_dir_all(&dir)
        .and_then(|()| rpc::Server::spawn(argv, &dir.join("stderr.log")))
        .map_err(|e| e.to_string())
        .and_then(|mut server| {
            let params =
                json!({"processId": std::process::id(), "rootUri": null, "capabilities": {}});
            let reply = server.request("initialize", params, timeout);
            server.shutdown(Duration::from_secs(2));
            match reply {
                Ok(rpc::Reply {
                    outcome: Ok(result),
                    ..
                }) if result["capabilities"].is_object() => Ok(()),
                Ok(_) => Err("answered initialize without capabilities".to_owned()),
                Err(rpc::Failure::Timeout) => Err("no answer to initialize".to_owned()),
                Err(rpc::Failure::Crashed) => {
                    let log = std::fs::read_to_string(dir.join("stderr.log")).unwrap_or_default();
                    let first = log.lines().next().unwrap_or("").trim().to_owned();
                    Err(format!("exited before answering initialize {first}"))
                }
            }
        });
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lsp-bench: probe {:?}: {e}", argv.join(" "));
            ExitCode::FAILURE
        }
    }
}

fn bench(options: &Options) -> std::io::Result<()> {
    let machine = machine::Machine::current();
    eprintln!(
        "lsp-bench: {} CPUs ({}), {}",
        machine.cpus, machine.cpu_model, machine.date
    );
    let root: PathBuf = std::env::temp_dir().join(format!("lsp-bench-{}", std::process::id()));
    let mut runs = Vec::new();
    for &size in &options.lines {
        let text = docksmith_testgen::dockerfile(size, options.seed);
        for (i, spec) in options.servers.iter().enumerate() {
            // A directory per server, so that no server sees another's files or logs.
            let dir = root.join(format!("{size}-{i}"));
            std::fs::create_dir_all(&dir)?;
            std::fs::write(dir.join("Dockerfile"), &text)?;
            let mut run = scenario::run(spec, &text, &dir, options);
            run.requested = size;
            runs.push(run);
        }
    }
    let table = report::markdown(&machine, options, &runs);
    std::io::stdout().write_all(table.as_bytes())?;
    if let Some(path) = &options.json {
        let value = report::json(&machine, options, &runs);
        std::fs::write(path, serde_json::to_string_pretty(&value)? + "\n")?;
        eprintln!("lsp-bench: wrote {}", path.display());
    }
    if options.keep || runs.iter().any(|r| r.note.is_some()) {
        eprintln!("lsp-bench: kept {}", root.display());
    } else {
        let _ = std::fs::remove_dir_all(&root);
    }
    Ok(())
}
