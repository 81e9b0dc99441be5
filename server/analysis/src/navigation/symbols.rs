//! Document symbols (the outline) and workspace symbols.

use docksmith_syntax::{Dockerfile, InstructionKind, InstructionRef, TextRange};

use crate::semantics::Model;
use crate::semantics::Stage;

/// What a symbol is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    /// A build stage.
    Stage,
    /// A build argument (ARG).
    Arg,
    /// An environment variable (ENV).
    Env,
    /// Any other instruction.
    Instruction,
}

/// One entry of the outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentSymbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole construct.
    pub range: TextRange,
    /// The part to select and reveal (the name), inside `range`.
    pub selection_range: TextRange,
    pub children: Vec<DocumentSymbol>,
}

/// The outline: global ARGs first, then each stage (its name or `stage N`, with the
/// base image as detail) holding its instructions; ARG and ENV instructions appear as
/// one symbol per variable.
pub fn document_symbols(df: &Dockerfile, m: &Model) -> Vec<DocumentSymbol> {
    let mut out = Vec::new();
    for &n in &m.global_instructions {
        if let Some(i) = instruction(df, n) {
            instruction_symbols(&i, df.escape(), &mut out);
        }
    }
    for st in &m.stages {
        let mut children = Vec::new();
        for &n in &st.instructions {
            if let Some(i) = instruction(df, n) {
                instruction_symbols(&i, df.escape(), &mut children);
            }
        }
        let mut symbol = stage_symbol(st, children.last().map(|c| c.range.end));
        symbol.children = children;
        out.push(symbol);
    }
    out
}

/// The symbol of a stage, without its children; `last_child_end` is where the range of
/// its last child ends (the stage's range covers it).
pub fn stage_symbol(st: &Stage, last_child_end: Option<u32>) -> DocumentSymbol {
    let end = last_child_end
        .unwrap_or(st.from_range.end)
        .max(st.from_range.end);
    DocumentSymbol {
        name: stage_label(st),
        detail: stage_detail(st),
        kind: SymbolKind::Stage,
        range: TextRange::new(st.from_range.start, end),
        selection_range: st
            .name
            .as_ref()
            .map(|n| n.range)
            .or(st.image_word.as_ref().map(|w| w.1))
            .unwrap_or(st.from_range),
        children: Vec::new(),
    }
}

/// `name` for named stages, `stage N` otherwise.
pub fn stage_label(st: &Stage) -> String {
    st.name
        .as_ref()
        .map_or_else(|| format!("stage {}", st.index), |n| n.text.clone())
}

/// The base image as written, with its resolved form when variables changed it.
pub fn stage_detail(st: &Stage) -> Option<String> {
    let (w, _) = st.image_word.as_ref()?;
    match &st.image {
        Some(img) if img.text != *w => Some(format!("{w} = {}", img.text)),
        _ => Some(w.clone()),
    }
}

/// The instruction of node `node`, if it holds one.
pub fn instruction(df: &Dockerfile, node: usize) -> Option<InstructionRef<'_>> {
    let n = df.node(node)?;
    let inst = n.node.instruction.as_deref()?;
    Some(InstructionRef {
        index: node,
        base: n.start,
        node: n.node,
        inst,
    })
}

/// An instruction's range with its heredoc bodies, without the final newline.
pub(crate) fn instruction_extent(i: &InstructionRef<'_>) -> TextRange {
    let mut r = i.range();
    for h in &i.inst.heredocs {
        if let Some(t) = h.terminator {
            r = r.cover(i.abs(t));
        } else if !h.body.is_empty() {
            r = r.cover(i.abs(h.body));
        }
    }
    r
}

fn first_line(s: &str, max: usize) -> String {
    let line = s.split('\n').next().unwrap_or("").trim();
    if line.len() > max && line.chars().count() > max {
        let cut: String = line.chars().take(max).collect();
        format!("{cut}…")
    } else {
        line.to_string()
    }
}

/// The symbols of one instruction, as [`document_symbols`] lists them (one per variable
/// for ARG and ENV): they depend on the instruction's node and the escape character only,
/// so a client can keep them per node.
pub fn instruction_symbols(i: &InstructionRef<'_>, escape: char, out: &mut Vec<DocumentSymbol>) {
    let kind = i.inst.kind;
    let extent = instruction_extent(i);
    if matches!(kind, InstructionKind::Arg | InstructionKind::Env) {
        let owned;
        let pairs: &[docksmith_syntax::KeyValue] = match &i.inst.args {
            docksmith_syntax::Args::Pairs { pairs, .. } => pairs,
            _ => {
                owned = i.inst.pairs();
                &owned
            }
        };
        if !pairs.is_empty() {
            for p in pairs {
                let range = i.abs(p.range);
                out.push(DocumentSymbol {
                    name: docksmith_syntax::views::unquote(&p.key.text, escape),
                    detail: Some(match &p.value {
                        Some(v) => format!("{} = {}", kind.name(), first_line(&v.text, 60)),
                        None => kind.name().to_string(),
                    }),
                    kind: if kind == InstructionKind::Arg {
                        SymbolKind::Arg
                    } else {
                        SymbolKind::Env
                    },
                    range,
                    selection_range: i.abs(p.key.range),
                    children: Vec::new(),
                });
            }
            return;
        }
    }
    let detail = i
        .inst
        .args_range
        .map(|r| first_line(i.text(r), 60))
        .filter(|d| !d.is_empty());
    out.push(DocumentSymbol {
        name: if kind == InstructionKind::Unknown {
            i.text(i.inst.keyword.range).to_ascii_uppercase()
        } else {
            kind.name().to_string()
        },
        detail,
        kind: SymbolKind::Instruction,
        range: extent,
        selection_range: i.abs(i.inst.keyword.range),
        children: Vec::new(),
    });
}

/// A symbol for workspace-wide search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: SymbolKind,
    /// The name's range.
    pub range: TextRange,
    /// The stage holding it (for stage ARGs).
    pub container: Option<String>,
}

/// Whether every character of `query` appears in `name` in order, ignoring case (an
/// empty query matches everything).
pub fn fuzzy_match(query: &str, name: &str) -> bool {
    let mut it = name.chars().flat_map(char::to_lowercase);
    query
        .chars()
        .flat_map(char::to_lowercase)
        .all(|q| it.by_ref().any(|c| c == q))
}

/// The stages and ARGs of one file whose names match `query` (see [`fuzzy_match`]).
pub fn workspace_symbols(m: &Model, query: &str) -> Vec<WorkspaceSymbol> {
    let mut out = Vec::new();
    for st in &m.stages {
        let name = stage_label(st);
        if fuzzy_match(query, &name) {
            out.push(WorkspaceSymbol {
                name,
                kind: SymbolKind::Stage,
                range: st.name.as_ref().map_or(st.from_range, |n| n.range),
                container: None,
            });
        }
    }
    for d in &m.decls {
        let Some(r) = d.name_range else { continue };
        if !matches!(
            d.kind,
            crate::semantics::DeclKind::GlobalArg | crate::semantics::DeclKind::StageArg
        ) || !fuzzy_match(query, &d.name)
        {
            continue;
        }
        out.push(WorkspaceSymbol {
            name: d.name.clone(),
            kind: SymbolKind::Arg,
            range: r,
            container: d.stage.and_then(|s| m.stages.get(s)).map(stage_label),
        });
    }
    out
}
