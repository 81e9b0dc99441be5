//! Docksmith's analysis layer: the semantic model of a Dockerfile and the features
//! built on it. Plain data in byte offsets, pure, never panics on user input; no LSP
//! types, no IO.
#![forbid(unsafe_code)]

pub mod catalog;
pub mod completion;
pub mod expand;
pub mod fixture;
pub mod hover;
pub mod image;
pub mod semantic_tokens;
pub mod semantics;
pub mod signature;

pub use semantics::Model;
