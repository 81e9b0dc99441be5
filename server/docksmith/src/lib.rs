//! Docksmith's binary crate: the only place that knows LSP, JSON, tokio, ropey and files.
//! `main.rs` is a thin wrapper over [`cli::main`]; the library exists so that the protocol
//! tests under `tests/` can run the server in-process.
#![forbid(unsafe_code)]

pub mod check;
pub mod cli;
pub mod fmt;
pub mod logging;
pub mod lsp;
pub mod project;
pub mod stages;
