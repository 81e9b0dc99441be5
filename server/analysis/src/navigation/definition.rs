//! Go to definition, find references, document highlights.

use docksmith_syntax::{Dockerfile, TextRange};

use super::{Symbol, occurrences, symbol_at};
use crate::semantics::Model;

/// Where a definition is: the whole construct (`range`: the FROM, ARG or ENV
/// instruction, the heredoc marker) and the name in it (`focus`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    pub range: TextRange,
    pub focus: TextRange,
}

/// The definition of the symbol at `offset`: for a stage its `AS name` (or its FROM
/// when it has no name, for `--from=0`); for a variable the ARG or ENV in scope where
/// it is used (not the global ARG a stage `ARG V` brings in); for a heredoc delimiter
/// its marker. Empty when the cursor is on nothing that has a definition in the file
/// (an image, an undefined variable, a predefined argument).
pub fn definition(df: &Dockerfile, m: &Model, offset: u32) -> Vec<Target> {
    let Some((sym, _)) = symbol_at(df, m, offset) else {
        return Vec::new();
    };
    match sym {
        Symbol::Stage(s) => m
            .stages
            .get(s)
            .map(|st| Target {
                range: st.from_range,
                focus: st.name.as_ref().map_or(st.from_range, |n| n.range),
            })
            .into_iter()
            .collect(),
        Symbol::Var(_) => {
            // The declaration in scope here, not the root of its chain.
            let direct = m
                .uses
                .iter()
                .find(|u| u.name_range.touches(offset))
                .or_else(|| m.uses.iter().find(|u| u.range.contains(offset)))
                .and_then(|u| u.decl)
                .or_else(|| {
                    m.decls
                        .iter()
                        .find(|d| d.name_range.is_some_and(|r| r.touches(offset)))
                        .map(|d| d.id)
                });
            let Some(d) = direct.and_then(|id| m.decls.get(id)) else {
                return Vec::new();
            };
            let Some(focus) = d.name_range else {
                return Vec::new();
            };
            let range = d
                .node
                .and_then(|n| df.node(n))
                .and_then(|n| {
                    n.node
                        .instruction
                        .as_deref()
                        .map(|inst| inst.range.offset(n.start))
                })
                .unwrap_or(focus);
            vec![Target {
                range,
                focus: super::name_range(df, focus, &d.name, false).unwrap_or(focus),
            }]
        }
        Symbol::Heredoc { .. } => occurrences(df, m, sym)
            .into_iter()
            .filter(|o| o.definition)
            .map(|o| Target {
                range: o.range,
                focus: o.range,
            })
            .collect(),
    }
}

/// Every place the symbol at `offset` is written, in file order; with
/// `include_declaration` false, definitions (`AS name`, ARG/ENV names, heredoc markers)
/// are left out.
pub fn references(
    df: &Dockerfile,
    m: &Model,
    offset: u32,
    include_declaration: bool,
) -> Vec<TextRange> {
    let Some((sym, _)) = symbol_at(df, m, offset) else {
        return Vec::new();
    };
    occurrences(df, m, sym)
        .into_iter()
        .filter(|o| include_declaration || !o.definition)
        .map(|o| o.range)
        .collect()
}

/// How a highlighted occurrence uses its symbol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HighlightKind {
    /// A definition (`AS name`, `ARG NAME`, `ENV NAME=`): the name is written.
    Write,
    /// A use.
    Read,
    /// A textual match (heredoc delimiters).
    Text,
}

/// One highlighted occurrence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Highlight {
    pub range: TextRange,
    pub kind: HighlightKind,
}

/// The occurrences of the symbol at `offset`, for the editor to highlight.
pub fn highlights(df: &Dockerfile, m: &Model, offset: u32) -> Vec<Highlight> {
    let Some((sym, _)) = symbol_at(df, m, offset) else {
        return Vec::new();
    };
    let heredoc = matches!(sym, Symbol::Heredoc { .. });
    occurrences(df, m, sym)
        .into_iter()
        .map(|o| Highlight {
            range: o.range,
            kind: if heredoc {
                HighlightKind::Text
            } else if o.definition {
                HighlightKind::Write
            } else {
                HighlightKind::Read
            },
        })
        .collect()
}
