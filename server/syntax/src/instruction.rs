//! Reading one logical line into an [`Instruction`] (BuildKit's `newNodeFromLine` and
//! its dispatch table). Ranges here are offsets into the logical line; the caller maps
//! them back to the node's text.

use crate::json::{self, Json};
use crate::model::{
    Args, Flag, Instruction, InstructionKind, KeyValue, SyntaxError, VarContext, VarRef, Word,
};
use crate::text::{find_byte, lead_ws, trim_end_len, u32_of};
use crate::words::{extract_flags, find_split_ws, parse_words, skip_split_ws, split_ws};
use crate::{TextRange, vars};

/// Parse `logical[from..]` as one instruction. Errors are pushed to `errors` with
/// logical ranges. `vars` is a buffer for the variable references (left empty).
pub(crate) fn parse(
    logical: &str,
    from: usize,
    escape: char,
    errors: &mut Vec<SyntaxError>,
    vars: &mut Vec<VarRef>,
) -> Box<Instruction> {
    let line = &logical[from..];
    let base = u32_of(from);
    let r = |a: usize, b: usize| TextRange::new(base + u32_of(a), base + u32_of(b));

    // splitCommand: trim, then split once on [\t\v\f\r ]+.
    let t_start = lead_ws(line);
    let t_end = trim_end_len(line).max(t_start);
    let trimmed = &line[t_start..t_end];
    let kw_len = find_split_ws(trimmed).unwrap_or(trimmed.len());
    let keyword = Word {
        range: r(t_start, t_start + kw_len),
        text: trimmed[..kw_len].to_string(),
    };
    let kind = InstructionKind::from_keyword(&keyword.text);
    let rest_start = t_start + skip_split_ws(trimmed, kw_len);

    let mut flags = Vec::new();
    let mut args_start = t_end;
    if kw_len < trimmed.len() {
        let a = extract_flags(&line[rest_start..t_end], |fr, processed| {
            flags.push(make_flag(line, rest_start, fr, processed, base));
        });
        args_start = rest_start + a;
    }
    // strings.TrimSpace on the arguments.
    let args_text = &line[args_start..t_end];
    let a0 = args_start + lead_ws(args_text);
    let a1 = (args_start + trim_end_len(args_text)).max(a0);
    let args_range = (a1 > a0).then(|| r(a0, a1));

    let args = if a1 == a0 {
        Args::None
    } else {
        dispatch(kind, logical, from + a0, from + a1, escape, errors, vars)
    };

    // Boxed here, as the node keeps it: not moved again.
    let mut inst = Box::new(Instruction {
        range: r(t_start, t_end),
        keyword,
        kind,
        flags,
        args_range,
        args,
        heredocs: Vec::new(),
        vars: Vec::new(),
        logical: String::new(),
        empty_continuation_lines: Vec::new(),
    });
    collect_vars(&mut inst, logical, escape, vars);
    inst
}

fn make_flag(line: &str, rest_start: usize, fr: TextRange, processed: String, base: u32) -> Flag {
    let ws = rest_start + fr.start as usize;
    let we = rest_start + fr.end as usize;
    let raw = &line[ws..we];
    let abs = |a: usize| base + u32_of(a);
    let body = processed.strip_prefix("--").unwrap_or(&processed);
    let (name, value) = match find_byte(body, b'=') {
        Some(eq) => (body[..eq].to_string(), Some(body[eq + 1..].to_string())),
        None => (body.to_string(), None),
    };
    let name_start = ws + raw.len().min(2);
    let (name_range, value_range) = match find_byte(raw, b'=') {
        Some(eq) if value.is_some() => (
            TextRange::new(abs(name_start), abs(ws + eq)),
            Some(TextRange::new(abs(ws + eq + 1), abs(we))),
        ),
        _ if value.is_some() => (
            TextRange::new(abs(name_start), abs(we)),
            Some(TextRange::empty(abs(we))),
        ),
        _ => (TextRange::new(abs(name_start), abs(we)), None),
    };
    Flag {
        range: TextRange::new(abs(ws), abs(we)),
        name,
        name_range,
        value,
        value_range,
        processed,
    }
}

/// Words split on [\t\v\f\r ]+ with absolute (logical) ranges.
fn ws_words(logical: &str, a0: usize, a1: usize) -> Vec<Word> {
    slice_words(logical, a0, split_ws(&logical[a0..a1]))
}

/// Words from ranges relative to `a0`.
fn slice_words(logical: &str, a0: usize, ranges: impl IntoIterator<Item = TextRange>) -> Vec<Word> {
    ranges
        .into_iter()
        .map(|wr| {
            let range = wr.offset(u32_of(a0));
            Word {
                range,
                text: logical[range.as_usize()].to_string(),
            }
        })
        .collect()
}

fn json_or<F>(
    logical: &str,
    a0: usize,
    a1: usize,
    errors: &mut Vec<SyntaxError>,
    fallback: F,
) -> Args
where
    F: FnOnce() -> Args,
{
    match json::parse(&logical[a0..a1]) {
        Json::Array(range, elems) => Args::Json {
            range: range.offset(u32_of(a0)),
            elements: elems
                .into_iter()
                .map(|(er, v)| Word {
                    range: er.offset(u32_of(a0)),
                    text: v,
                })
                .collect(),
        },
        Json::NotStringArray => {
            errors.push(SyntaxError::parse(
                TextRange::new(u32_of(a0), u32_of(a1)),
                "when using JSON array syntax, arrays must be comprised of strings only",
            ));
            fallback()
        }
        Json::Invalid => fallback(),
    }
}

fn text_arg(logical: &str, a0: usize, a1: usize) -> Args {
    Args::Text(Word {
        range: TextRange::new(u32_of(a0), u32_of(a1)),
        text: logical[a0..a1].to_string(),
    })
}

fn dispatch(
    kind: InstructionKind,
    logical: &str,
    a0: usize,
    a1: usize,
    escape: char,
    errors: &mut Vec<SyntaxError>,
    vars: &mut Vec<VarRef>,
) -> Args {
    use InstructionKind as K;
    match kind {
        K::From | K::Expose => Args::Words(ws_words(logical, a0, a1)),
        K::Add | K::Copy | K::Volume => json_or(logical, a0, a1, errors, || {
            Args::Words(ws_words(logical, a0, a1))
        }),
        K::Run | K::Cmd | K::Entrypoint | K::Shell => {
            json_or(logical, a0, a1, errors, || text_arg(logical, a0, a1))
        }
        K::Env | K::Label => name_val(kind, logical, a0, a1, escape, errors),
        K::Arg => Args::Words(slice_words(
            logical,
            a0,
            parse_words(&logical[a0..a1], escape),
        )),
        K::Maintainer | K::User | K::Workdir | K::Stopsignal | K::Unknown => {
            text_arg(logical, a0, a1)
        }
        K::Healthcheck => {
            let s = &logical[a0..a1];
            let sep = s.find(char::is_whitespace).unwrap_or(s.len());
            let next = sep + lead_ws(&s[sep..]);
            let kind_word = Word {
                range: TextRange::new(u32_of(a0), u32_of(a0 + sep)),
                text: s[..sep].to_string(),
            };
            let command = if next >= s.len() {
                Args::None
            } else {
                json_or(logical, a0 + next, a1, errors, || {
                    text_arg(logical, a0 + next, a1)
                })
            };
            Args::Healthcheck {
                kind: kind_word,
                command: Box::new(command),
            }
        }
        K::Onbuild => {
            let mut inner = parse(&logical[..a1], a0, escape, errors, vars);
            inner.logical = logical[a0..a1].to_string();
            Args::Onbuild(inner)
        }
    }
}

/// BuildKit's `parseNameVal` for ENV and LABEL.
fn name_val(
    kind: InstructionKind,
    logical: &str,
    a0: usize,
    a1: usize,
    escape: char,
    errors: &mut Vec<SyntaxError>,
) -> Args {
    let rest = &logical[a0..a1];
    let words = parse_words(rest, escape);
    if words.is_empty() {
        return Args::None;
    }
    let abs = |r: TextRange| r.offset(u32_of(a0));
    if find_byte(&rest[words[0].as_usize()], b'=').is_none() {
        // Legacy `ENV key value`.
        let Some(sep) = find_split_ws(rest) else {
            errors.push(SyntaxError::parse(
                abs(TextRange::new(0, u32_of(rest.len()))),
                format!("{} must have two arguments", kind.name()),
            ));
            return Args::Pairs {
                pairs: vec![KeyValue {
                    range: abs(TextRange::new(0, u32_of(rest.len()))),
                    key: Word {
                        range: abs(TextRange::new(0, u32_of(rest.len()))),
                        text: rest.to_string(),
                    },
                    equals: None,
                    value: None,
                }],
                legacy: true,
            };
        };
        let vstart = skip_split_ws(rest, sep);
        let key = Word {
            range: abs(TextRange::new(0, u32_of(sep))),
            text: rest[..sep].to_string(),
        };
        let value = Word {
            range: abs(TextRange::new(u32_of(vstart), u32_of(rest.len()))),
            text: rest[vstart..].to_string(),
        };
        return Args::Pairs {
            pairs: vec![KeyValue {
                range: abs(TextRange::new(0, u32_of(rest.len()))),
                key,
                equals: None,
                value: Some(value),
            }],
            legacy: true,
        };
    }
    let mut pairs = Vec::with_capacity(words.len());
    for r in words {
        let w = &rest[r.as_usize()];
        let wr = abs(r);
        match find_byte(w, b'=') {
            Some(eq) => {
                let eq32 = wr.start + u32_of(eq);
                pairs.push(KeyValue {
                    range: wr,
                    key: Word {
                        range: TextRange::new(wr.start, eq32),
                        text: w[..eq].to_string(),
                    },
                    equals: Some(TextRange::new(eq32, eq32 + 1)),
                    value: Some(Word {
                        range: TextRange::new(eq32 + 1, wr.end),
                        text: w[eq + 1..].to_string(),
                    }),
                });
            }
            None => {
                errors.push(SyntaxError::parse(
                    wr,
                    format!(
                        "Syntax error - can't find = in {}. Must be of the form: name=value",
                        crate::dump::go_quote(w)
                    ),
                ));
                pairs.push(KeyValue {
                    range: wr,
                    key: Word {
                        range: wr,
                        text: w.to_string(),
                    },
                    equals: None,
                    value: None,
                });
            }
        }
    }
    Args::Pairs {
        pairs,
        legacy: false,
    }
}

/// Split an ARG word into a pair (`name` or `name=value`).
pub(crate) fn arg_pair(w: &Word) -> KeyValue {
    match find_byte(&w.text, b'=') {
        Some(eq) => {
            let eq32 = w.range.start + u32_of(eq);
            KeyValue {
                range: w.range,
                key: Word {
                    range: TextRange::new(w.range.start, eq32),
                    text: w.text[..eq].to_string(),
                },
                equals: Some(TextRange::new(eq32, eq32 + 1)),
                value: Some(Word {
                    range: TextRange::new(eq32 + 1, w.range.end),
                    text: w.text[eq + 1..].to_string(),
                }),
            }
        }
        None => KeyValue {
            range: w.range,
            key: w.clone(),
            equals: None,
            value: None,
        },
    }
}

/// Variable references in flag values and arguments (logical ranges).
fn collect_vars(inst: &mut Instruction, logical: &str, escape: char, out: &mut Vec<VarRef>) {
    out.clear();
    // Every text scanned below lies inside the instruction (a JSON element's decoded
    // text keeps its references only when it equals the literal), so without a `$`
    // there there is nothing to find: most instructions.
    if crate::text::find_byte(&logical[inst.range.as_usize()], b'$').is_none() {
        return;
    }
    let dockerfile = |r: TextRange, out: &mut Vec<_>| {
        vars::scan(
            &logical[r.as_usize()],
            r.start,
            escape,
            VarContext::Dockerfile,
            out,
        );
    };
    for f in &inst.flags {
        if let Some(vr) = f.value_range {
            dockerfile(vr, out);
        }
    }
    let kind = inst.kind;
    match &inst.args {
        Args::Words(ws) => {
            if kind.expands_variables() {
                for w in ws {
                    if kind == InstructionKind::Arg {
                        // The value of `name=value` (as `arg_pair` splits it).
                        if let Some(eq) = find_byte(&w.text, b'=') {
                            let v = TextRange::new(w.range.start + u32_of(eq) + 1, w.range.end);
                            dockerfile(v, out);
                        }
                    } else {
                        dockerfile(w.range, out);
                    }
                }
            }
        }
        Args::Json { elements, .. } => {
            if matches!(
                kind,
                InstructionKind::Add | InstructionKind::Copy | InstructionKind::Volume
            ) {
                // BuildKit expands the JSON elements of these too.
                for e in elements {
                    let mut tmp = Vec::new();
                    vars::scan(&e.text, 0, escape, VarContext::Dockerfile, &mut tmp);
                    // Positions inside an escaped JSON string do not map 1:1; keep the
                    // references only when the literal has no escapes.
                    let lit = &logical[e.range.as_usize()];
                    if lit.len() == e.text.len() + 2 {
                        for mut v in tmp {
                            shift_var(&mut v, e.range.start + 1);
                            out.push(v);
                        }
                    }
                }
            }
        }
        Args::Text(w) => match kind {
            InstructionKind::Run | InstructionKind::Cmd | InstructionKind::Entrypoint => {
                vars::scan(
                    &logical[w.range.as_usize()],
                    w.range.start,
                    '\\',
                    VarContext::Shell,
                    out,
                );
            }
            InstructionKind::User | InstructionKind::Workdir | InstructionKind::Stopsignal => {
                dockerfile(w.range, out);
            }
            _ => {}
        },
        Args::Pairs { pairs, .. } => {
            for v in pairs.iter().filter_map(|p| p.value.as_ref()) {
                dockerfile(v.range, out);
            }
        }
        Args::Healthcheck { command, .. } => {
            if let Args::Text(w) = &**command {
                vars::scan(
                    &logical[w.range.as_usize()],
                    w.range.start,
                    '\\',
                    VarContext::Shell,
                    out,
                );
            }
        }
        Args::Onbuild(inner) => out.extend(inner.vars.iter().cloned()),
        Args::None => {}
    }
    out.sort_by_key(|v| (v.range.start, v.range.end));
    // Moved out at their exact number (none allocates nothing); `out` keeps its buffer.
    let mut vars = Vec::with_capacity(out.len());
    vars.append(out);
    inst.vars = vars;
}

fn shift_var(v: &mut crate::model::VarRef, by: u32) {
    v.range = v.range.offset(by);
    v.name_range = v.name_range.offset(by);
    if let Some(m) = &mut v.modifier {
        m.op_range = m.op_range.offset(by);
        m.word = m.word.offset(by);
    }
}
