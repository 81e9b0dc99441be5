//! Docksmith's analysis layer: the semantic model of a Dockerfile and the features
//! built on it. Plain data in byte offsets, pure, never panics on user input; no LSP
//! types, no IO.
#![forbid(unsafe_code)]

pub mod catalog;
pub mod completion;
pub mod compose;
pub mod config;
pub mod diagnostics;
pub mod expand;
pub mod fix;
pub mod fixture;
pub mod format;
pub mod hover;
pub mod image;
pub mod incremental;
pub mod navigation;
pub mod rules;
pub mod semantic_tokens;
pub mod semantics;
pub mod shell;
pub mod signature;
pub mod suppress;

pub use semantics::Model;
