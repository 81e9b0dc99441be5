//! Inlay hints: the values of variables in FROM lines, and the stage behind a
//! numeric `--from=<index>`.

use docksmith_syntax::{Dockerfile, InstructionKind, TextRange, VarContext};

use crate::expand::{Lookup, expand};
use crate::semantics::{Model, Value};

/// What a hint shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InlayHintKind {
    /// The value a variable reference expands to.
    Value,
    /// The stage a numeric reference points at.
    Stage,
}

/// One hint, shown at `offset` (after the thing it explains).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlayHint {
    pub offset: u32,
    pub label: String,
    pub kind: InlayHintKind,
}

/// Longest value shown; longer ones are cut with `…`.
const MAX_LABEL: usize = 40;

/// The hints whose position lies in `range`, in file order:
/// * after each variable reference of a FROM line whose value is known here, `= value`
///   (modifiers applied: `${V:-1.22}` shows what it expands to);
/// * after each numeric stage reference (`COPY --from=0`), the stage's name (or its base
///   image when it has none).
pub fn inlay_hints(df: &Dockerfile, m: &Model, range: TextRange) -> Vec<InlayHint> {
    let mut out = Vec::new();
    let first = m.uses.partition_point(|u| u.range.end < range.start);
    for u in &m.uses[first..] {
        if u.range.start > range.end {
            break;
        }
        if u.context != VarContext::Dockerfile || !range.touches(u.range.end) {
            continue;
        }
        let is_from = df
            .node(u.node)
            .and_then(|n| n.node.instruction.as_deref())
            .is_some_and(|i| i.kind == InstructionKind::From);
        if !is_from {
            continue;
        }
        // The uses of the same instruction (contiguous: uses are sorted by start).
        let node = df.node(u.node).map_or(u.range, |n| n.range());
        let lo = m.uses.partition_point(|o| o.range.start < node.start);
        let same: Vec<_> = m.uses[lo..]
            .iter()
            .take_while(|o| o.range.start < node.end)
            .collect();
        // Skip references nested in another one's modifier: the outer one is shown.
        if same
            .iter()
            .any(|o| o.range != u.range && o.range.contains_range(u.range))
        {
            continue;
        }
        let lookup = |name: &str| {
            let decl = same.iter().filter(|o| o.name == name).find_map(|o| o.decl);
            match decl.and_then(|d| m.decls.get(d)).map(|d| &d.value) {
                Some(Value::Known(v)) => Lookup::Set(v.clone()),
                Some(Value::NoDefault) => Lookup::Set(String::new()),
                Some(Value::Unknown) => Lookup::Unknown,
                None => Lookup::Unset,
            }
        };
        let text = super::slice(df, u.range);
        let Some(v) = expand(text, df.escape(), &lookup) else {
            continue;
        };
        out.push(InlayHint {
            offset: u.range.end,
            label: format!("= {}", shorten(&v)),
            kind: InlayHintKind::Value,
        });
    }
    for r in m.stage_refs.iter().filter(|r| r.by_index) {
        if !range.touches(r.range.end) {
            continue;
        }
        let Some(st) = m.stages.get(r.stage) else {
            continue;
        };
        let label = match (&st.name, &st.image_word) {
            (Some(n), _) => n.text.clone(),
            (None, Some((w, _))) => format!("FROM {}", shorten(w)),
            (None, None) => continue,
        };
        out.push(InlayHint {
            offset: r.range.end,
            label,
            kind: InlayHintKind::Stage,
        });
    }
    out.sort_by_key(|h| h.offset);
    out
}

fn shorten(v: &str) -> String {
    if v.is_empty() {
        return "\"\"".to_string();
    }
    if v.chars().count() > MAX_LABEL {
        let cut: String = v.chars().take(MAX_LABEL).collect();
        format!("{cut}…")
    } else {
        v.to_string()
    }
}
