//! Docksmith's Dockerfile syntax layer (API skeleton; the parser lands next).
#![forbid(unsafe_code)]

/// A half-open byte range `[start, end)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub const fn new(start: u32, end: u32) -> Self {
        Self { start, end }
    }
    pub const fn len(self) -> u32 {
        self.end - self.start
    }
    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }
    /// Shift by `base` (relative -> absolute).
    pub const fn offset(self, base: u32) -> Self {
        Self { start: self.start + base, end: self.end + base }
    }
}

/// A syntax error: a message and the byte range it applies to (absolute).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

/// A parsed Dockerfile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dockerfile {
    text: String,
}

impl Dockerfile {
    pub fn parse(text: &str) -> Self {
        Self { text: text.to_owned() }
    }
    /// Replace the bytes in `start..end` with `new_text` and reparse incrementally.
    pub fn apply_edit(&mut self, start: usize, end: usize, new_text: &str) {
        let start = start.min(self.text.len());
        let end = end.clamp(start, self.text.len());
        self.text.replace_range(start..end, new_text);
    }
    pub fn text(&self) -> String {
        self.text.clone()
    }
    pub fn errors(&self) -> Vec<SyntaxError> {
        Vec::new()
    }
}

/// Textual dumps of a parse, used by `docksmith parse`.
pub mod dump {
    use super::{Dockerfile, SyntaxError};

    /// BuildKit's `Node.Dump()` format (one line per instruction, newline-terminated),
    /// or the errors that make BuildKit's parser reject the file.
    pub fn buildkit(df: &Dockerfile) -> Result<String, Vec<SyntaxError>> {
        let _ = df;
        Ok(String::new())
    }

    /// Our own tree with byte ranges, one node per line, indented.
    pub fn tree(df: &Dockerfile) -> String {
        format!("{df:?}\n")
    }
}
