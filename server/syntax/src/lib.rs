//! Docksmith's Dockerfile syntax layer: a lossless, error-tolerant, incremental parser
//! that reads Dockerfiles the way BuildKit does. No IO, no LSP types.
//!
//! * **Lossless**: the file is a sequence of [`Node`]s that tile it; each node is a
//!   sequence of [`Token`]s that tile the node. Concatenated, they give the input back
//!   byte for byte.
//! * **Error-tolerant**: parsing never fails. Errors are data ([`SyntaxError`]) kept in
//!   the node they belong to; the next node is read as if nothing happened.
//! * **Incremental**: [`Dockerfile::apply_edit`] reparses only the nodes an edit
//!   touches, and the result always equals a full parse of the new text.
//! * **Typed**: every instruction node has an [`Instruction`] with its keyword, flags,
//!   arguments, heredocs and variable references, each with its range.
//!
//! Ranges stored inside a node are relative to the node's start (so that nodes after
//! an edit are kept as they are); the accessors here give absolute ones.
#![forbid(unsafe_code)]

pub mod dump;
mod instruction;
mod json;
mod logical;
mod model;
mod parser;
mod text;
mod vars;
pub mod views;
mod words;

pub use model::{
    Args, Directive, ErrorKind, Flag, Heredoc, Instruction, InstructionKind, KeyValue, Node,
    NodeKind, SyntaxError, Token, TokenKind, VarContext, VarModifier, VarRef, Word,
};
pub use text::TextRange;

use std::sync::Arc;

use text::u32_of;

/// The largest input parsed: offsets are `u32`. Longer inputs are cut at a character
/// boundary below this size and get an error saying so.
pub const MAX_LEN: usize = (u32::MAX - 1) as usize;

/// A parsed Dockerfile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dockerfile {
    /// Shared so that cloning a parse (a snapshot for a reader) is cheap and an edit
    /// moves pointers, not nodes.
    nodes: Vec<Arc<Node>>,
    /// Absolute start of each node.
    starts: Vec<u32>,
    len: u32,
    escape: char,
    /// End of the byte-order mark, the directive lines and the node after them; edits
    /// up to here reparse all (they can add, remove or change a directive).
    prologue_end: u32,
    instruction_count: usize,
    truncated: bool,
}

/// A node with its absolute start.
#[derive(Clone, Copy, Debug)]
pub struct NodeRef<'a> {
    pub start: u32,
    pub node: &'a Node,
}

impl NodeRef<'_> {
    pub fn range(&self) -> TextRange {
        TextRange::new(self.start, self.start + self.node.len())
    }
}

/// An instruction with the absolute start of its node: `abs` turns the instruction's
/// relative ranges into absolute ones.
#[derive(Clone, Copy, Debug)]
pub struct InstructionRef<'a> {
    /// Index of the node in [`Dockerfile::nodes`].
    pub index: usize,
    /// Absolute start of the node.
    pub base: u32,
    pub node: &'a Node,
    pub inst: &'a Instruction,
}

impl InstructionRef<'_> {
    /// A relative range made absolute.
    pub fn abs(&self, r: TextRange) -> TextRange {
        r.offset(self.base)
    }

    /// The text of a relative range.
    pub fn text(&self, r: TextRange) -> &str {
        self.node.slice(r)
    }

    /// The node's absolute range (the instruction with its heredoc bodies and final
    /// newline).
    pub fn node_range(&self) -> TextRange {
        TextRange::new(self.base, self.base + self.node.len())
    }

    /// The instruction's absolute range (keyword to last argument).
    pub fn range(&self) -> TextRange {
        self.abs(self.inst.range)
    }
}

impl Dockerfile {
    /// Parse a whole file.
    pub fn parse(text: &str) -> Self {
        let (text, truncated) = if text.len() > MAX_LEN {
            let mut cut = MAX_LEN;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            (&text[..cut], true)
        } else {
            (text, false)
        };
        let pro = parser::prologue(text);
        let mut df = Dockerfile {
            nodes: pro.nodes.into_iter().map(Arc::new).collect(),
            starts: Vec::new(),
            len: u32_of(text.len()),
            escape: pro.escape,
            prologue_end: u32_of(pro.end),
            instruction_count: 0,
            truncated,
        };
        let mut pos = pro.end;
        let mut first = true;
        let mut scratch = parser::Scratch::default();
        while pos < text.len() {
            let (node, end) = node_at(text, pos, df.escape, true, &mut scratch);
            df.nodes.push(node);
            pos = end;
            if first {
                // The line that ended the directives could become one: edits up to
                // the end of its node reparse everything.
                df.prologue_end = u32_of(end);
                first = false;
            }
        }
        df.recount();
        df
    }

    fn recount(&mut self) {
        self.starts.clear();
        self.starts.reserve_exact(self.nodes.len());
        let mut at = 0u32;
        for n in &self.nodes {
            self.starts.push(at);
            at += n.len();
        }
        self.instruction_count = self
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Instruction)
            .count();
    }

    /// The whole text.
    pub fn text(&self) -> String {
        let mut s = String::with_capacity(self.len as usize);
        for n in &self.nodes {
            s.push_str(n.text());
        }
        s
    }

    /// Length in bytes.
    pub fn len(&self) -> u32 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The escape character in force (`\` or `` ` ``).
    pub fn escape(&self) -> char {
        self.escape
    }

    /// The top-level nodes with their absolute starts.
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = NodeRef<'_>> + '_ {
        self.nodes
            .iter()
            .zip(&self.starts)
            .map(|(node, &start)| NodeRef { start, node })
    }

    /// The nodes as shared pointers, parallel to [`Dockerfile::nodes`]. A node that
    /// [`Dockerfile::apply_edit`] did not reparse stays the same `Arc`, so callers can
    /// cache per-node work by pointer identity (holding a clone keeps the pointer from
    /// being reused).
    pub fn shared_nodes(&self) -> &[Arc<Node>] {
        &self.nodes
    }

    /// The node at `index`.
    pub fn node(&self, index: usize) -> Option<NodeRef<'_>> {
        Some(NodeRef {
            start: *self.starts.get(index)?,
            node: &**self.nodes.get(index)?,
        })
    }

    /// Index of the node holding byte `offset` (the last node for `offset == len`).
    pub fn node_index_at(&self, offset: u32) -> Option<usize> {
        if self.nodes.is_empty() {
            return None;
        }
        let i = self.starts.partition_point(|&s| s <= offset);
        Some(i.saturating_sub(1))
    }

    /// The instructions, in order.
    pub fn instructions(&self) -> impl Iterator<Item = InstructionRef<'_>> + '_ {
        self.nodes.iter().enumerate().filter_map(|(index, node)| {
            let node = &**node;
            node.instruction.as_deref().map(|inst| InstructionRef {
                index,
                base: self.starts[index],
                node,
                inst,
            })
        })
    }

    /// The instruction whose node holds `offset`.
    pub fn instruction_at(&self, offset: u32) -> Option<InstructionRef<'_>> {
        let index = self.node_index_at(offset)?;
        let node = &*self.nodes[index];
        node.instruction.as_deref().map(|inst| InstructionRef {
            index,
            base: self.starts[index],
            node,
            inst,
        })
    }

    /// The number of instructions.
    pub fn instruction_count(&self) -> usize {
        self.instruction_count
    }

    /// The parser directives, with absolute ranges.
    pub fn directives(&self) -> impl Iterator<Item = (TextRange, Directive)> + '_ {
        self.nodes().filter_map(|n| {
            n.node.directive.as_ref().map(|d| {
                let mut d = Directive::clone(d);
                d.name_range = d.name_range.offset(n.start);
                d.value_range = d.value_range.offset(n.start);
                (n.range(), d)
            })
        })
    }

    /// Every token, with absolute ranges.
    pub fn tokens(&self) -> impl Iterator<Item = Token> + '_ {
        self.nodes().flat_map(|n| {
            n.node.tokens.iter().map(move |t| Token {
                kind: t.kind,
                range: t.range.offset(n.start),
            })
        })
    }

    /// All syntax errors, with absolute ranges, in file order.
    pub fn errors(&self) -> Vec<SyntaxError> {
        let mut out = Vec::new();
        for n in self.nodes() {
            for e in &n.node.errors {
                out.push(SyntaxError {
                    range: e.range.offset(n.start),
                    ..e.clone()
                });
            }
        }
        if self.instruction_count == 0 {
            out.push(SyntaxError::parse(
                TextRange::empty(0),
                "file with no instructions",
            ));
        }
        if self.truncated {
            out.push(SyntaxError::parse(
                TextRange::empty(self.len),
                format!("file too large: only the first {MAX_LEN} bytes were read"),
            ));
        }
        out
    }

    /// Replace the bytes in `start..end` with `new_text` and reparse what changed.
    ///
    /// Offsets past the end are clamped and offsets inside a character move back to
    /// its start; `start > end` is read as an insertion at `start`.
    pub fn apply_edit(&mut self, start: usize, end: usize, new_text: &str) {
        let len = self.len as usize;
        let start = self.snap(start.min(len));
        let end = self.snap(end.clamp(start, len));
        let new_len = len - (end - start) + new_text.len();
        if self.nodes.is_empty()
            || start <= self.prologue_end as usize
            || new_len > MAX_LEN
            || self.truncated
        {
            let mut text = self.text();
            text.replace_range(start..end, new_text);
            *self = Dockerfile::parse(&text);
            return;
        }
        let i = self.node_index_at(u32_of(start)).unwrap_or(0);
        let j = if end > start {
            self.node_index_at(u32_of(end - 1)).unwrap_or(i)
        } else {
            i
        };
        let base = self.starts[i] as usize;
        let mut window = String::new();
        for n in &self.nodes[i..=j] {
            window.push_str(n.text());
        }
        window.replace_range(start - base..end - base, new_text);
        let edit_end = start - base + new_text.len();
        let mut next_old = j + 1;
        let mut new_nodes = Vec::new();
        let mut wpos = 0usize;
        // When a node runs past the window (a continuation, a heredoc), the window
        // grows by a doubling number of old nodes, so that a node swallowing the rest
        // of the file (an unterminated heredoc) costs O(n), not O(n^2).
        let mut grow = 1usize;
        let mut scratch = parser::Scratch::default();
        loop {
            let at_eof = next_old == self.nodes.len();
            if wpos >= window.len() {
                break;
            }
            match parser::parse_node(&window, wpos, self.escape, at_eof, &mut scratch) {
                Some((node, e)) => {
                    new_nodes.push(node);
                    wpos = e;
                    if wpos >= edit_end && wpos == window.len() {
                        break;
                    }
                }
                None if !at_eof => {
                    let upto = (next_old + grow).min(self.nodes.len());
                    for n in &self.nodes[next_old..upto] {
                        window.push_str(n.text());
                    }
                    next_old = upto;
                    grow = grow.saturating_mul(2);
                }
                None => {
                    let (node, e) = node_at(&window, wpos, self.escape, true, &mut scratch);
                    new_nodes.push(node);
                    wpos = e;
                }
            }
        }
        let removed_instr = self.nodes[i..next_old]
            .iter()
            .filter(|n| n.kind == NodeKind::Instruction)
            .count();
        let added_instr = new_nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Instruction)
            .count();
        // Starts: the kept tail shifted in place, then the new nodes' starts from `base`.
        let (added, removed) = (u32_of(new_text.len()), u32_of(end - start));
        for s in &mut self.starts[next_old..] {
            *s = *s + added - removed;
        }
        let mut at = u32_of(base);
        let new_starts: Vec<u32> = new_nodes
            .iter()
            .map(|n| {
                let s = at;
                at += n.len();
                s
            })
            .collect();
        self.starts.splice(i..next_old, new_starts);
        self.nodes.splice(i..next_old, new_nodes);
        self.len = u32_of(new_len);
        self.instruction_count = self.instruction_count + added_instr - removed_instr;
    }

    /// Move an offset back to a character boundary.
    fn snap(&self, offset: usize) -> usize {
        let Some(i) = self.node_index_at(u32_of(offset)) else {
            return 0;
        };
        let base = self.starts[i] as usize;
        let text = self.nodes[i].text();
        let mut rel = offset.saturating_sub(base).min(text.len());
        while rel > 0 && !text.is_char_boundary(rel) {
            rel -= 1;
        }
        base + rel
    }
}

/// Parse a node at `pos`; with `at_eof` this always succeeds.
fn node_at(
    text: &str,
    pos: usize,
    escape: char,
    at_eof: bool,
    scratch: &mut parser::Scratch,
) -> (Arc<Node>, usize) {
    match parser::parse_node(text, pos, escape, at_eof, scratch) {
        Some(r) => r,
        None => {
            // Not reachable with `at_eof`; keep the text (lossless) if it ever is.
            let rest = &text[pos..];
            let node = Node {
                kind: NodeKind::Comment,
                text: rest.into(),
                tokens: vec![Token {
                    kind: TokenKind::Comment,
                    range: TextRange::new(0, u32_of(rest.len())),
                }],
                instruction: None,
                directive: None,
                errors: vec![SyntaxError::parse(
                    TextRange::new(0, u32_of(rest.len())),
                    "internal parser error: text could not be read",
                )],
            };
            (Arc::new(node), text.len())
        }
    }
}
