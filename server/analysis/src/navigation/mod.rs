//! Navigation over a Dockerfile: what the symbol under the cursor is (a build stage, a
//! variable, a heredoc delimiter), where it is defined and used, and the IDE features
//! built on that (definition, references, highlights, rename, document symbols,
//! folding, selection ranges, code lenses, inlay hints).
//!
//! Every function is pure and takes the parse and its [`Model`]; results are plain data
//! with absolute byte ranges. None of them panics on any input, and none does more than
//! a linear pass over the model.

mod code_lens;
mod definition;
mod folding;
mod inlay_hints;
mod rename;
mod selection;
mod symbols;
mod targets;

pub use code_lens::{CodeLens, LensKind, code_lenses};
pub use definition::{Highlight, HighlightKind, Target, definition, highlights, references};
pub use folding::{Fold, FoldKind, folding_ranges};
pub use inlay_hints::{InlayHint, InlayHintKind, inlay_hints};
pub use rename::{RenameError, TextEdit, prepare_rename, rename};
pub use selection::selection_ranges;
pub use symbols::{
    DocumentSymbol, SymbolKind, WorkspaceSymbol, document_symbols, instruction,
    instruction_symbols, stage_symbol, workspace_symbols,
};
pub use targets::{TargetInfo, targets};

use docksmith_syntax::{Dockerfile, TextRange};

use crate::semantics::{DeclId, DeclKind, Model, StageId, StageRefKind};

/// What a name in the file refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Symbol {
    /// A build stage.
    Stage(StageId),
    /// A variable: the root of its declaration chain (a stage `ARG V` that brings in a
    /// global `ARG V=1` is the same symbol as the global one).
    Var(DeclId),
    /// A heredoc delimiter: the node of its instruction and its index there.
    Heredoc { node: usize, index: usize },
}

/// One place a symbol is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub range: TextRange,
    /// A definition: `AS name`, the name of an ARG/ENV, a heredoc marker.
    pub definition: bool,
    /// The text at `range` is the name itself (not a variable standing for a stage, nor
    /// a numeric `--from=0`): rename can rewrite it.
    pub literal: bool,
}

/// The text of an absolute range, when it lies inside one node ("" otherwise).
pub(crate) fn slice(df: &Dockerfile, range: TextRange) -> &str {
    let Some(i) = df.node_index_at(range.start) else {
        return "";
    };
    let Some(n) = df.node(i) else {
        return "";
    };
    if range.start < n.start || range.end > n.start + n.node.len() {
        return "";
    }
    n.node
        .slice(TextRange::new(range.start - n.start, range.end - n.start))
}

/// The range of `name` inside `range`: the range itself when its text is the name
/// (case-insensitively when `fold_case`), or the inside of quotes around it.
pub(crate) fn name_range(
    df: &Dockerfile,
    range: TextRange,
    name: &str,
    fold_case: bool,
) -> Option<TextRange> {
    let text = slice(df, range);
    let same = |a: &str| {
        if fold_case {
            a.eq_ignore_ascii_case(name)
        } else {
            a == name
        }
    };
    if same(text) {
        return Some(range);
    }
    let b = text.as_bytes();
    if b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0] {
        let inner = &text[1..text.len() - 1];
        if same(inner) {
            return Some(TextRange::new(range.start + 1, range.end - 1));
        }
    }
    None
}

/// The symbol at `offset` (a cursor touching a name from either side counts) and the
/// range of the name under the cursor.
pub fn symbol_at(df: &Dockerfile, m: &Model, offset: u32) -> Option<(Symbol, TextRange)> {
    // Stage mentions.
    if let Some(r) = m.stage_refs.iter().find(|r| r.range.touches(offset)) {
        // A reference through a variable (`--from=$S`) is the variable's, unless the
        // cursor sits outside the variable's name.
        let var_here = m
            .uses
            .iter()
            .any(|u| u.range.touches(offset) && r.range.contains_range(u.range));
        if !var_here || r.kind == StageRefKind::Definition {
            return Some((Symbol::Stage(r.stage), r.range));
        }
    }
    // Variable uses and declarations.
    if let Some(u) = m
        .uses
        .iter()
        .find(|u| u.name_range.touches(offset))
        .or_else(|| m.uses.iter().find(|u| u.range.contains(offset)))
    {
        return u.decl.map(|d| (Symbol::Var(m.root_decl(d)), u.name_range));
    }
    if let Some(d) = m
        .decls
        .iter()
        .find(|d| d.name_range.is_some_and(|r| r.touches(offset)))
    {
        let r = d.name_range.unwrap_or_default();
        let r = name_range(df, r, &d.name, false).unwrap_or(r);
        return Some((Symbol::Var(m.root_decl(d.id)), r));
    }
    // Heredoc delimiters.
    let i = df.instruction_at(offset)?;
    for (index, h) in i.inst.heredocs.iter().enumerate() {
        let marker = heredoc_name_range(df, i.abs(h.name_range), &h.name);
        let term = h
            .terminator
            .map(|t| heredoc_terminator_range(df, i.abs(t), &h.name));
        if marker.touches(offset) || term.is_some_and(|t| t.touches(offset)) {
            let at = if marker.touches(offset) {
                marker
            } else {
                term.unwrap_or(marker)
            };
            return Some((
                Symbol::Heredoc {
                    node: i.index,
                    index,
                },
                at,
            ));
        }
    }
    None
}

fn heredoc_name_range(df: &Dockerfile, r: TextRange, name: &str) -> TextRange {
    name_range(df, r, name, false).unwrap_or(r)
}

/// The delimiter on a terminator line (leading tabs of `<<-` left out).
fn heredoc_terminator_range(df: &Dockerfile, r: TextRange, name: &str) -> TextRange {
    let text = slice(df, r);
    match text.find(name) {
        Some(k) if !name.is_empty() => {
            let s = r.start + k as u32;
            TextRange::new(s, s + name.len() as u32)
        }
        _ => r,
    }
}

/// Every place `sym` is written, in file order.
pub fn occurrences(df: &Dockerfile, m: &Model, sym: Symbol) -> Vec<Occurrence> {
    let mut out = Vec::new();
    match sym {
        Symbol::Stage(s) => {
            let Some(stage) = m.stages.get(s) else {
                return out;
            };
            let name = stage.name.as_ref().map(|n| n.text.as_str());
            for r in m.stage_refs.iter().filter(|r| r.stage == s) {
                let lit = name.and_then(|n| name_range(df, r.range, n, true));
                out.push(Occurrence {
                    range: lit.unwrap_or(r.range),
                    definition: r.kind == StageRefKind::Definition,
                    literal: lit.is_some() && !r.by_index,
                });
            }
        }
        Symbol::Var(root) => {
            for d in &m.decls {
                if d.name_range.is_some() && m.root_decl(d.id) == root {
                    let r = d.name_range.unwrap_or_default();
                    let lit = name_range(df, r, &d.name, false);
                    out.push(Occurrence {
                        range: lit.unwrap_or(r),
                        definition: true,
                        literal: lit.is_some(),
                    });
                }
            }
            for u in &m.uses {
                if u.decl.is_some_and(|d| m.root_decl(d) == root) {
                    out.push(Occurrence {
                        range: u.name_range,
                        definition: false,
                        literal: slice(df, u.name_range) == u.name,
                    });
                }
            }
        }
        Symbol::Heredoc { node, index } => {
            let Some(i) = df
                .node(node)
                .and_then(|n| n.node.instruction.as_deref().map(|inst| (n.start, inst)))
            else {
                return out;
            };
            let (base, inst) = i;
            if let Some(h) = inst.heredocs.get(index) {
                out.push(Occurrence {
                    range: heredoc_name_range(df, h.name_range.offset(base), &h.name),
                    definition: true,
                    literal: true,
                });
                if let Some(t) = h.terminator {
                    out.push(Occurrence {
                        range: heredoc_terminator_range(df, t.offset(base), &h.name),
                        definition: false,
                        literal: true,
                    });
                }
            }
        }
    }
    out.sort_by_key(|o| (o.range.start, o.range.end));
    out.dedup_by_key(|o| o.range);
    out
}

/// Whether a declaration is BuildKit's own (not written in the file).
pub(crate) fn is_predefined(m: &Model, id: DeclId) -> bool {
    m.decls
        .get(id)
        .is_some_and(|d| d.kind == DeclKind::Predefined)
}
