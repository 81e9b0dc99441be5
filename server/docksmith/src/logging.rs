//! Logging: `tracing` to stderr (stdout carries the protocol in `docksmith lsp`).
//!
//! The filter comes from `--log-level` if given, else `RUST_LOG`, else `warn`. When neither
//! was given, the LSP `logLevel` setting may change it at run time.

use std::sync::Arc;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, fmt, reload};

use crate::lsp::LogControl;

pub const DEFAULT_FILTER: &str = "warn";

/// Installs the global subscriber. Returns a handle that changes the filter, or `None` when
/// the user fixed it on the command line or with `RUST_LOG` (their choice wins over the
/// client's settings). An invalid `--log-level` is an error (a usage error for the CLI); an
/// invalid `RUST_LOG` is reported and replaced by the default.
pub fn init(cli_level: Option<&str>) -> Result<Option<LogControl>, String> {
    let env = std::env::var("RUST_LOG")
        .ok()
        .filter(|s| !s.trim().is_empty());
    let (filter, fixed) = match (cli_level, env.as_deref()) {
        (Some(level), _) => (
            EnvFilter::try_new(level).map_err(|e| format!("invalid --log-level {level:?}: {e}"))?,
            true,
        ),
        (None, Some(env)) => (
            EnvFilter::try_new(env).unwrap_or_else(|e| {
                eprintln!("docksmith: invalid RUST_LOG {env:?} ({e}); using {DEFAULT_FILTER:?}");
                EnvFilter::new(DEFAULT_FILTER)
            }),
            true,
        ),
        (None, None) => (EnvFilter::new(DEFAULT_FILTER), false),
    };
    let (filter, handle) = reload::Layer::new(filter);
    let installed = tracing_subscriber::registry()
        .with(filter)
        .with(
            fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(false)
                .with_target(false),
        )
        .try_init();
    if installed.is_err() || fixed {
        return Ok(None);
    }
    Ok(Some(Arc::new(move |level: &str| {
        let filter = EnvFilter::try_new(level).map_err(|e| e.to_string())?;
        handle.reload(filter).map_err(|e| e.to_string())
    })))
}

/// Routes panic messages through `tracing` (they still go to stderr), with the location.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("(non-string payload)");
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!("panic at {at}: {msg}");
    }));
}
