//! Applying fixes: edits to text, and `--fix` / `source.fixAll` (safe fixes only,
//! repeated until nothing more applies).

use crate::diagnostics::{Diagnostic, Edit, Options, Safety, check_text};

/// Apply edits to `text`. Edits are sorted by position; an edit that overlaps one
/// already taken, or whose range is not on character boundaries, is dropped.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0usize;
    for e in sorted {
        let (s, t) = (e.range.start as usize, e.range.end as usize);
        if s < pos || t > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(t) {
            continue;
        }
        out.push_str(&text[pos..s]);
        out.push_str(&e.new_text);
        pos = t;
    }
    out.push_str(&text[pos..]);
    out
}

/// The edits of the preferred safe fix of each diagnostic, skipping fixes that
/// overlap one taken before (they apply on the next round).
pub fn safe_edits(diags: &[Diagnostic]) -> Vec<Edit> {
    let mut taken: Vec<Edit> = Vec::new();
    for d in diags {
        let Some(fix) = d.fixes.iter().find(|f| f.safety == Safety::Safe) else {
            continue;
        };
        let overlaps = fix.edits.iter().any(|e| {
            taken.iter().any(|t| {
                e.range.start < t.range.end && t.range.start < e.range.end
                    || e.range.start == t.range.start
            })
        });
        if !overlaps {
            taken.extend(fix.edits.iter().cloned());
        }
    }
    taken
}

/// Apply safe fixes until none is left (at most `rounds` rounds). Returns the new
/// text and the number of fixes applied.
pub fn fix_all(text: &str, opts: &Options<'_>, rounds: usize) -> (String, usize) {
    let mut text = text.to_string();
    let mut applied = 0;
    for _ in 0..rounds {
        let diags = check_text(&text, opts);
        let edits = safe_edits(&diags);
        if edits.is_empty() {
            break;
        }
        let new = apply(&text, &edits);
        if new == text {
            break;
        }
        applied += edits.len();
        text = new;
    }
    (text, applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use docksmith_syntax::TextRange;

    #[test]
    fn apply_sorts_and_drops_overlaps() {
        let edits = [
            Edit::replace(TextRange::new(4, 5), "X"),
            Edit::replace(TextRange::new(0, 1), "Y"),
            Edit::replace(TextRange::new(4, 6), "Z"),
            Edit::insert(99, "!"),
        ];
        assert_eq!(apply("abcdefg", &edits), "YbcdXfg");
    }
}
