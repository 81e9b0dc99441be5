//! Folding ranges: stages, multi-line instructions, heredoc bodies, comment blocks.

use docksmith_syntax::{Dockerfile, NodeKind, TextRange};

use super::symbols::{instruction, instruction_extent};
use crate::semantics::Model;

/// What folds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FoldKind {
    /// A stage: its FROM to its last instruction.
    Stage,
    /// An instruction continued over several lines.
    Instruction,
    /// A heredoc: the marker's line to the terminator.
    Heredoc,
    /// Two or more consecutive comment lines.
    Comment,
}

/// A folding range: from a point on its first line to a point on its last line (the
/// editor folds whole lines).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fold {
    pub range: TextRange,
    pub kind: FoldKind,
}

/// The folding ranges of the file, in order of their start. Only ranges spanning two
/// lines or more; of several starting on the same line, the largest.
pub fn folding_ranges(df: &Dockerfile, m: &Model) -> Vec<Fold> {
    let mut folds = Vec::new();
    // Comment blocks.
    let mut block: Option<(TextRange, usize)> = None;
    let flush = |block: &mut Option<(TextRange, usize)>, folds: &mut Vec<Fold>| {
        if let Some((r, n)) = block.take()
            && n >= 2
        {
            folds.push(Fold {
                range: r,
                kind: FoldKind::Comment,
            });
        }
    };
    for n in df.nodes() {
        if n.node.kind == NodeKind::Comment {
            let text = n.node.text().trim_end_matches(['\n', '\r']);
            let r = TextRange::new(n.start, n.start + text.len() as u32);
            block = Some(match block {
                Some((b, k)) => (b.cover(r), k + 1),
                None => (r, 1),
            });
        } else {
            flush(&mut block, &mut folds);
        }
    }
    flush(&mut block, &mut folds);
    // Instructions and heredocs. An instruction lies in its node: a line break in its
    // text is a line break in the file.
    for i in df.instructions() {
        let r = i.range();
        if i.text(i.inst.range)
            .bytes()
            .any(|b| b == b'\n' || b == b'\r')
        {
            folds.push(Fold {
                range: r,
                kind: FoldKind::Instruction,
            });
        }
        for h in &i.inst.heredocs {
            let end = h
                .terminator
                .map(|t| i.abs(t))
                .or_else(|| (!h.body.is_empty()).then(|| i.abs(h.body)));
            if let Some(end) = end {
                let r = i.abs(h.marker).cover(end);
                let r = TextRange::new(r.start, trim_newline(df, r));
                if spans_lines(df, r) {
                    folds.push(Fold {
                        range: r,
                        kind: FoldKind::Heredoc,
                    });
                }
            }
        }
    }
    // Stages.
    for st in &m.stages {
        let end = st
            .instructions
            .last()
            .and_then(|&n| instruction(df, n))
            .map_or(st.from_range.end, |i| instruction_extent(&i).end);
        let r = TextRange::new(st.from_range.start, end.max(st.from_range.end));
        if spans_lines(df, r) {
            folds.push(Fold {
                range: r,
                kind: FoldKind::Stage,
            });
        }
    }
    // One per start line: the largest. (Instructions and comments start their node, and
    // nodes start at line starts.)
    let mut keyed: Vec<(u32, Fold)> = folds
        .into_iter()
        .map(|f| match f.kind {
            FoldKind::Instruction | FoldKind::Comment => match df.node_index_at(f.range.start) {
                Some(i) if df.node(i).is_some_and(|n| n.start == f.range.start) => {
                    (f.range.start, f)
                }
                _ => (line_start(df, f.range.start), f),
            },
            _ => (line_start(df, f.range.start), f),
        })
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.range.end.cmp(&a.1.range.end)));
    keyed.dedup_by_key(|k| k.0);
    keyed.into_iter().map(|(_, f)| f).collect()
}

/// The end of a range without a final newline.
fn trim_newline(df: &Dockerfile, r: TextRange) -> u32 {
    let text = super::slice(df, r);
    r.end - (text.len() - text.trim_end_matches(['\n', '\r']).len()) as u32
}

/// The offset where the line holding `off` starts.
fn line_start(df: &Dockerfile, off: u32) -> u32 {
    let Some(i) = df.node_index_at(off) else {
        return 0;
    };
    let Some(n) = df.node(i) else { return 0 };
    let rel = (off - n.start).min(n.node.len()) as usize;
    match n.node.text().as_bytes()[..rel]
        .iter()
        .rposition(|&b| b == b'\n')
    {
        Some(k) => n.start + k as u32 + 1,
        // Nodes start at line starts.
        None => n.start,
    }
}

/// Whether a range holds a line break (it spans two lines or more).
fn spans_lines(df: &Dockerfile, r: TextRange) -> bool {
    if r.is_empty() {
        return false;
    }
    let (Some(a), Some(b)) = (df.node_index_at(r.start), df.node_index_at(r.end - 1)) else {
        return false;
    };
    if a != b {
        return true;
    }
    super::slice(df, r).contains('\n')
}
