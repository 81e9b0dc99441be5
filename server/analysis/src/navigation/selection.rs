//! Selection ranges: word -> argument -> instruction -> stage -> file.

use docksmith_syntax::{Args, Dockerfile, Instruction, TextRange};

use super::symbols::{instruction, instruction_extent};
use crate::semantics::Model;

/// For each offset, the ranges that contain it, innermost first, each one containing
/// the one before: the name or word under the cursor, the variable reference or flag
/// holding it, the instruction's arguments, the instruction (with its heredocs), its
/// stage, the whole file.
pub fn selection_ranges(df: &Dockerfile, m: &Model, offsets: &[u32]) -> Vec<Vec<TextRange>> {
    offsets.iter().map(|&o| chain(df, m, o)).collect()
}

fn chain(df: &Dockerfile, m: &Model, offset: u32) -> Vec<TextRange> {
    let offset = offset.min(df.len());
    let mut cands: Vec<TextRange> = Vec::new();
    if let Some(i) = df.instruction_at(offset) {
        let mut rel = Vec::new();
        parts(i.inst, &mut rel);
        cands.extend(rel.into_iter().map(|r| i.abs(r)));
        if let Some(w) = raw_word(i.node.text(), (offset - i.base) as usize) {
            cands.push(i.abs(w));
        }
        cands.push(i.range());
        cands.push(instruction_extent(&i));
    }
    if let Some(s) = m.stage_at(offset).and_then(|s| m.stages.get(s)) {
        let end = s
            .instructions
            .last()
            .and_then(|&n| instruction(df, n))
            .map_or(s.from_range.end, |i| instruction_extent(&i).end);
        cands.push(TextRange::new(
            s.from_range.start,
            end.max(s.from_range.end),
        ));
    }
    cands.push(TextRange::new(0, df.len()));
    cands.retain(|r| r.touches(offset));
    cands.sort_by_key(|r| (r.len(), std::cmp::Reverse(r.start)));
    let mut out: Vec<TextRange> = Vec::new();
    for r in cands {
        if out.last().is_none_or(|l| r != *l && r.contains_range(*l)) {
            out.push(r);
        }
    }
    out
}

/// The pieces of an instruction (relative ranges), any order.
fn parts(inst: &Instruction, out: &mut Vec<TextRange>) {
    for v in &inst.vars {
        out.push(v.name_range);
        out.push(v.range);
    }
    for f in &inst.flags {
        out.push(f.range);
        out.push(f.name_range);
        if let Some(v) = f.value_range {
            out.push(v);
        }
    }
    for m in inst.mounts() {
        for f in m.fields {
            out.push(f.key_range);
            if let Some(v) = f.value_range {
                out.push(v);
                out.push(f.key_range.cover(v));
            }
        }
    }
    for h in &inst.heredocs {
        out.push(h.marker);
        out.push(h.name_range);
        if !h.body.is_empty() {
            out.push(h.body);
        }
    }
    out.push(inst.keyword.range);
    if let Some(a) = inst.args_range {
        out.push(a);
    }
    args_parts(&inst.args, out);
}

fn args_parts(args: &Args, out: &mut Vec<TextRange>) {
    match args {
        Args::None => {}
        Args::Words(ws) => out.extend(ws.iter().map(|w| w.range)),
        Args::Json { range, elements } => {
            out.push(*range);
            out.extend(elements.iter().map(|w| w.range));
        }
        Args::Text(w) => out.push(w.range),
        Args::Pairs { pairs, .. } => {
            for p in pairs {
                out.push(p.range);
                out.push(p.key.range);
                if let Some(v) = &p.value {
                    out.push(v.range);
                }
            }
        }
        Args::Healthcheck { kind, command } => {
            out.push(kind.range);
            args_parts(command, out);
        }
        Args::Onbuild(inner) => parts(inner, out),
    }
}

/// The run of non-blank characters around `rel` in a node's text.
fn raw_word(text: &str, rel: usize) -> Option<TextRange> {
    let b = text.as_bytes();
    let rel = rel.min(b.len());
    let blank = |c: u8| c.is_ascii_whitespace();
    let mut s = rel;
    while s > 0 && !blank(b[s - 1]) {
        s -= 1;
    }
    let mut e = rel;
    while e < b.len() && !blank(b[e]) {
        e += 1;
    }
    (e > s).then(|| TextRange::new(s as u32, e as u32))
}
