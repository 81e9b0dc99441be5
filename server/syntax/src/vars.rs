//! Variable references (`$V`, `${V}`, `${V:-word}`, ...) with their ranges.

use crate::TextRange;
use crate::model::{VarContext, VarModifier, VarRef};
use crate::text::u32_of;

/// The modifiers, longest first so that `:-` wins over `:`.
const OPS: [&str; 16] = [
    ":-", ":+", ":?", ":=", "##", "%%", "//", "-", "+", "?", "=", "#", "%", "/", ":", "^",
];

fn is_name_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn is_special(c: char) -> bool {
    matches!(c, '*' | '#' | '@' | '?' | '-' | '$' | '!' | '0')
}

/// The bytes `scan` stops at: `$`, quotes and both escape characters.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'$' as usize] = true;
    t[b'\'' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t[b'`' as usize] = true;
    t
};

/// Scan `s` for references; ranges are `base + offset in s`. `escape` is the escape
/// character of the context (the Dockerfile's for BuildKit-expanded text, `\` in the
/// shell). Single quotes stop expansion in both contexts.
pub(crate) fn scan(s: &str, base: u32, escape: char, context: VarContext, out: &mut Vec<VarRef>) {
    // Most text has no `$` at all.
    if crate::text::find_in(s.as_bytes(), b'$').is_none() {
        return;
    }
    // Every character that matters here is ASCII (the escape is `\\` or `` ` ``), so
    // the scan goes byte by byte: a byte of a multi-byte character never matches one,
    // and skipping only the first byte of an escaped character is the same as skipping
    // the character.
    let b = s.as_bytes();
    let esc = u8::try_from(escape).unwrap_or(0xff);
    let mut in_double = false;
    let mut i = 0usize;
    while i < b.len() {
        let c = b[i];
        if !SPECIAL[usize::from(c)] {
            i += 1;
            continue;
        }
        if c == esc {
            i += 2;
            continue;
        }
        match c {
            b'\'' if !in_double => {
                // Up to the closing quote (or the end).
                i = crate::text::find_in(&b[i + 1..], b'\'').map_or(b.len(), |j| i + 1 + j + 1);
                continue;
            }
            b'"' => in_double = !in_double,
            b'$' => {
                if let Some(end) = reference(s, i, base, escape, context, out) {
                    // Skip what the reference covered.
                    i = end.max(i + 1);
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// Read a reference starting at the `$` at `i`; push it (and those nested in its
/// modifier word) and return the offset just after it.
fn reference(
    s: &str,
    i: usize,
    base: u32,
    escape: char,
    context: VarContext,
    out: &mut Vec<VarRef>,
) -> Option<usize> {
    let rest = &s[i + 1..];
    let mut chars = rest.char_indices();
    let (_, first) = chars.next()?;
    let at = |off: usize| base + u32_of(off);
    if first != '{' {
        // $NAME, $1, $@ ...
        let name_len = if first.is_ascii_digit() {
            rest.find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len())
        } else if is_name_start(first) {
            rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len())
        } else if is_special(first) && context == VarContext::Shell {
            first.len_utf8()
        } else {
            return None;
        };
        let name_start = i + 1;
        let end = name_start + name_len;
        out.push(VarRef {
            range: TextRange::new(at(i), at(end)),
            name: s[name_start..end].to_string(),
            name_range: TextRange::new(at(name_start), at(end)),
            braced: false,
            modifier: None,
            unterminated: false,
            context,
        });
        return Some(end);
    }
    // ${...}
    let open = i + 2;
    let inner = &s[open..];
    let mut name_start = open;
    // ${#NAME}: length.
    let mut length_op = false;
    if inner.starts_with('#') && inner[1..].starts_with(is_name_start) {
        length_op = true;
        name_start += 1;
    }
    let after = &s[name_start..];
    let name_len = match after.chars().next() {
        Some(c) if c.is_ascii_digit() => after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len()),
        Some(c) if is_name_start(c) => after
            .find(|c: char| !is_name_char(c))
            .unwrap_or(after.len()),
        Some(c) if is_special(c) => c.len_utf8(),
        _ => 0,
    };
    let name_end = name_start + name_len;
    // Find the closing brace, honouring nested ${...} and escapes.
    // (Byte by byte, as in `scan`.)
    let b = s.as_bytes();
    let esc = u8::try_from(escape).unwrap_or(0xff);
    let mut depth = 0usize;
    let mut close = None;
    let mut j = name_end;
    while j < b.len() {
        let c = b[j];
        if c == esc {
            j += 2;
            continue;
        }
        if c == b'$' && b.get(j + 1) == Some(&b'{') {
            depth += 1;
            j += 2;
            continue;
        }
        if c == b'}' {
            if depth == 0 {
                close = Some(j);
                break;
            }
            depth -= 1;
        }
        j += 1;
    }
    let end = close.map_or(s.len(), |c| c + 1);
    let body_end = close.unwrap_or(s.len());
    let modifier = if length_op {
        Some(VarModifier {
            op: "#".into(),
            op_range: TextRange::new(at(open), at(open + 1)),
            word: TextRange::empty(at(open + 1)),
        })
    } else if name_end < body_end {
        let tail = &s[name_end..body_end];
        let op = OPS
            .iter()
            .find(|op| tail.starts_with(**op))
            .copied()
            .unwrap_or_else(|| {
                // An unknown operator: take one character so it can be reported.
                let c = tail.chars().next().map_or(0, char::len_utf8);
                &tail[..c]
            });
        let word_start = name_end + op.len();
        // Nested references in the word.
        scan(
            &s[word_start..body_end],
            at(word_start),
            escape,
            context,
            out,
        );
        Some(VarModifier {
            op: op.to_string(),
            op_range: TextRange::new(at(name_end), at(word_start)),
            word: TextRange::new(at(word_start), at(body_end)),
        })
    } else {
        None
    };
    out.push(VarRef {
        range: TextRange::new(at(i), at(end)),
        name: s[name_start..name_end].to_string(),
        name_range: TextRange::new(at(name_start), at(name_end)),
        braced: true,
        modifier,
        unterminated: close.is_none(),
        context,
    });
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        scan(s, 0, '\\', VarContext::Dockerfile, &mut out);
        out.sort_by_key(|v| v.range.start);
        out.iter()
            .map(|v| {
                let m = v.modifier.as_ref().map_or(String::new(), |m| {
                    format!(" op={} word={:?}", m.op, &s[m.word.as_usize()])
                });
                format!(
                    "{} name={}{}{}",
                    &s[v.range.as_usize()],
                    v.name,
                    m,
                    if v.unterminated { " unterminated" } else { "" }
                )
            })
            .collect()
    }

    #[test]
    fn forms() {
        assert_eq!(
            refs("$A ${B} x$C_1y"),
            vec!["$A name=A", "${B} name=B", "$C_1y name=C_1y"]
        );
        assert_eq!(refs("${V:-x}"), vec!["${V:-x} name=V op=:- word=\"x\""]);
        assert_eq!(
            refs("${V#p}${V%%s}"),
            vec![
                "${V#p} name=V op=# word=\"p\"",
                "${V%%s} name=V op=%% word=\"s\""
            ]
        );
        assert_eq!(
            refs("${A:-$B}"),
            vec!["${A:-$B} name=A op=:- word=\"$B\"", "$B name=B"]
        );
        assert_eq!(refs("'$A' \"$B\" \\$C"), vec!["$B name=B"]);
        assert_eq!(refs("${A"), vec!["${A name=A unterminated"]);
        assert_eq!(
            refs("$ $1 ${#A}"),
            vec!["$1 name=1", "${#A} name=A op=# word=\"\""]
        );
    }
}

/// The char-by-char version this byte scan replaced, kept as an oracle.
#[cfg(test)]
mod oracle {
    use super::*;
    use proptest::prelude::*;

    const CHARS: &str = " \t'\"\\`${}#%:-+?/_aZ9\u{e9}\u{1f600}@*!";

    fn old_scan(s: &str, base: u32, escape: char, context: VarContext, out: &mut Vec<VarRef>) {
        // Most text has no `$` at all.
        if crate::text::find_in(s.as_bytes(), b'$').is_none() {
            return;
        }
        let mut in_single = false;
        let mut in_double = false;
        let mut it = s.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            if in_single {
                if c == '\'' {
                    in_single = false;
                }
                continue;
            }
            if c == escape {
                it.next();
                continue;
            }
            match c {
                '\'' if !in_double => in_single = true,
                '"' => in_double = !in_double,
                '$' => {
                    if let Some(end) = old_reference(s, i, base, escape, context, out) {
                        // Skip what the reference covered.
                        while it.peek().is_some_and(|&(j, _)| j < end) {
                            it.next();
                        }
                    }
                }
                _ => {}
            }
        }
    }
    fn old_reference(
        s: &str,
        i: usize,
        base: u32,
        escape: char,
        context: VarContext,
        out: &mut Vec<VarRef>,
    ) -> Option<usize> {
        let rest = &s[i + 1..];
        let mut chars = rest.char_indices();
        let (_, first) = chars.next()?;
        let at = |off: usize| base + u32_of(off);
        if first != '{' {
            // $NAME, $1, $@ ...
            let name_len = if first.is_ascii_digit() {
                rest.find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(rest.len())
            } else if is_name_start(first) {
                rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len())
            } else if is_special(first) && context == VarContext::Shell {
                first.len_utf8()
            } else {
                return None;
            };
            let name_start = i + 1;
            let end = name_start + name_len;
            out.push(VarRef {
                range: TextRange::new(at(i), at(end)),
                name: s[name_start..end].to_string(),
                name_range: TextRange::new(at(name_start), at(end)),
                braced: false,
                modifier: None,
                unterminated: false,
                context,
            });
            return Some(end);
        }
        // ${...}
        let open = i + 2;
        let inner = &s[open..];
        let mut name_start = open;
        // ${#NAME}: length.
        let mut length_op = false;
        if inner.starts_with('#') && inner[1..].starts_with(is_name_start) {
            length_op = true;
            name_start += 1;
        }
        let after = &s[name_start..];
        let name_len = match after.chars().next() {
            Some(c) if c.is_ascii_digit() => after
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after.len()),
            Some(c) if is_name_start(c) => after
                .find(|c: char| !is_name_char(c))
                .unwrap_or(after.len()),
            Some(c) if is_special(c) => c.len_utf8(),
            _ => 0,
        };
        let name_end = name_start + name_len;
        // Find the closing brace, honouring nested ${...} and escapes.
        let mut depth = 0usize;
        let mut close = None;
        let mut it = s[name_end..].char_indices().peekable();
        while let Some((j, c)) = it.next() {
            let abs = name_end + j;
            if c == escape {
                it.next();
                continue;
            }
            if c == '$' && s[abs + 1..].starts_with('{') {
                depth += 1;
                it.next();
                continue;
            }
            if c == '}' {
                if depth == 0 {
                    close = Some(abs);
                    break;
                }
                depth -= 1;
            }
        }
        let end = close.map_or(s.len(), |c| c + 1);
        let body_end = close.unwrap_or(s.len());
        let modifier = if length_op {
            Some(VarModifier {
                op: "#".into(),
                op_range: TextRange::new(at(open), at(open + 1)),
                word: TextRange::empty(at(open + 1)),
            })
        } else if name_end < body_end {
            let tail = &s[name_end..body_end];
            let op = OPS
                .iter()
                .find(|op| tail.starts_with(**op))
                .copied()
                .unwrap_or_else(|| {
                    // An unknown operator: take one character so it can be reported.
                    let c = tail.chars().next().map_or(0, char::len_utf8);
                    &tail[..c]
                });
            let word_start = name_end + op.len();
            // Nested references in the word.
            old_scan(
                &s[word_start..body_end],
                at(word_start),
                escape,
                context,
                out,
            );
            Some(VarModifier {
                op: op.to_string(),
                op_range: TextRange::new(at(name_end), at(word_start)),
                word: TextRange::new(at(word_start), at(body_end)),
            })
        } else {
            None
        };
        out.push(VarRef {
            range: TextRange::new(at(i), at(end)),
            name: s[name_start..name_end].to_string(),
            name_range: TextRange::new(at(name_start), at(name_end)),
            braced: true,
            modifier,
            unterminated: close.is_none(),
            context,
        });
        Some(end)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

        #[test]
        fn scan_as_before(v in proptest::collection::vec(proptest::sample::select(CHARS.chars().collect::<Vec<_>>()), 0..24), backtick in any::<bool>(), shell in any::<bool>()) {
            let s: String = v.into_iter().collect();
            let esc = if backtick { '`' } else { '\\' };
            let ctx = if shell { VarContext::Shell } else { VarContext::Dockerfile };
            let (mut new, mut old) = (Vec::new(), Vec::new());
            scan(&s, 3, esc, ctx, &mut new);
            old_scan(&s, 3, esc, ctx, &mut old);
            prop_assert_eq!(new, old);
        }
    }
}
