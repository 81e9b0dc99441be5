//! Where the cursor is, decided once: the classifier behind completion.
//!
//! The classifier reads the text of the cursor's instruction up to the cursor as BuildKit
//! would join it (line continuations and comment lines inside it removed), so it works
//! on half-typed lines whatever the parser made of them.

use docksmith_syntax::{Dockerfile, InstructionKind, NodeKind, TextRange, TokenKind};

/// What can be completed at the cursor. `range` is always the text to replace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Context {
    /// Nothing to complete here (inside a shell command, a heredoc body, a comment).
    None,
    /// An instruction keyword. `onbuild`: the trigger of an ONBUILD.
    Keyword { range: TextRange, onbuild: bool },
    /// A parser directive name at the top of the file (`# |`).
    Directive { range: TextRange },
    /// The value of a directive (`# syntax=|`).
    DirectiveValue { name: String, range: TextRange },
    /// A rule name in `# check=skip=`, `# hadolint ignore=`, `# docksmith ignore=`.
    Rule { range: TextRange },
    /// A `--flag` name.
    Flag {
        kind: InstructionKind,
        range: TextRange,
        present: Vec<String>,
    },
    /// The value of `--flag=`.
    FlagValue {
        kind: InstructionKind,
        flag: String,
        range: TextRange,
    },
    /// A key inside `--mount=` (after `=` or `,`).
    MountKey {
        mount_type: String,
        range: TextRange,
        present: Vec<String>,
    },
    /// A value inside `--mount=...,key=`.
    MountValue {
        key: String,
        mount_type: String,
        range: TextRange,
    },
    /// A variable name after `$` or `${`.
    Variable {
        kind: InstructionKind,
        braced: bool,
        range: TextRange,
    },
    /// The image (or earlier stage) of a FROM.
    FromImage { range: TextRange },
    /// `AS` after a FROM image.
    FromAs { range: TextRange },
    /// A name after ARG: predefined arguments and global ARGs to bring into the stage.
    ArgName { range: TextRange },
    /// `CMD` or `NONE` after HEALTHCHECK's options.
    HealthcheckKind { range: TextRange },
    /// A STOPSIGNAL signal.
    Signal { range: TextRange },
    /// An EXPOSE protocol after `port/`.
    Protocol { range: TextRange },
}

/// Classify the cursor at `offset`.
pub fn classify(df: &Dockerfile, offset: u32) -> Context {
    let Some(index) = df.node_index_at(offset) else {
        return Context::Keyword {
            range: TextRange::empty(offset),
            onbuild: false,
        };
    };
    let Some(node) = df.node(index) else {
        return Context::None;
    };
    let text = node.node.text();
    let rel = ((offset - node.start) as usize).min(text.len());
    // A cursor after the node's final newline is on a new, empty line (end of file).
    if rel == text.len() && text.ends_with('\n') {
        return Context::Keyword {
            range: TextRange::empty(offset),
            onbuild: false,
        };
    }
    let line_start = text[..rel].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..rel];
    let line_abs = node.start + line_start as u32;
    match node.node.kind {
        NodeKind::Directive | NodeKind::Comment => {
            // Directives come first; half-typed ones (`# syntax=`) are comments so far.
            let prologue = (0..index).all(|k| {
                df.node(k).is_some_and(|n| match n.node.kind {
                    NodeKind::Bom | NodeKind::Directive => true,
                    NodeKind::Comment => looks_like_directive(n.node.text()),
                    _ => false,
                })
            });
            comment(line, line_abs, prologue)
        }
        NodeKind::Blank | NodeKind::Bom => keyword_or_none(line, line_abs),
        NodeKind::Instruction => {
            let token = node
                .node
                .tokens
                .iter()
                .find(|t| t.range.contains(rel as u32))
                .or_else(|| {
                    node.node
                        .tokens
                        .iter()
                        .find(|t| t.range.touches(rel as u32))
                });
            match token.map(|t| t.kind) {
                Some(TokenKind::HeredocBody | TokenKind::HeredocEnd) => return Context::None,
                Some(TokenKind::Comment) => return comment(line, line_abs, false),
                _ => {}
            }
            let logical = logical_prefix(node.node, rel as u32);
            // The partial word must lie on the cursor's line.
            instruction(&logical, offset, line.len() as u32)
        }
    }
}

/// The logical text of an instruction node up to `rel` (relative to the node): keyword
/// and text tokens, with continuations and comment lines removed, as BuildKit joins them.
pub(crate) fn logical_prefix(node: &docksmith_syntax::Node, rel: u32) -> String {
    let mut logical = String::new();
    for t in &node.tokens {
        if t.range.start >= rel {
            break;
        }
        if matches!(
            t.kind,
            TokenKind::Keyword | TokenKind::Text | TokenKind::Whitespace
        ) {
            let end = t.range.end.min(rel);
            logical.push_str(node.slice(TextRange::new(t.range.start, end)));
        }
    }
    logical
}

/// Split on white space, keeping quoted runs together (pub for signature help).
pub(crate) fn split_words(s: &str) -> Vec<&str> {
    words(s)
}

fn looks_like_directive(line: &str) -> bool {
    line.trim_start()
        .strip_prefix('#')
        .and_then(|b| b.split_once('='))
        .is_some_and(|(name, _)| {
            let n = name.trim();
            !n.is_empty() && n.bytes().all(|c| c.is_ascii_alphabetic())
        })
}

fn keyword_or_none(line: &str, line_abs: u32) -> Context {
    let trimmed = line.trim_start();
    if trimmed.bytes().all(|b| b.is_ascii_alphabetic()) {
        let start = line_abs + (line.len() - trimmed.len()) as u32;
        Context::Keyword {
            range: TextRange::new(start, line_abs + line.len() as u32),
            onbuild: false,
        }
    } else {
        Context::None
    }
}

fn comment(line: &str, line_abs: u32, prologue: bool) -> Context {
    let end = line_abs + line.len() as u32;
    let Some(body) = line.trim_start().strip_prefix('#') else {
        return Context::None;
    };
    let lower = body.to_ascii_lowercase();
    // Rule names after ignore= / skip=.
    for key in [
        "hadolint ignore=",
        "docksmith ignore=",
        "check=skip=",
        "skip=",
    ] {
        if let Some(k) = lower.find(key) {
            if key == "skip=" && !lower.trim_start().starts_with("check") {
                continue;
            }
            let after = &body[k + key.len()..];
            let last = after.rsplit([',', ';']).next().unwrap_or("");
            if last.contains([' ', '\t']) {
                return Context::None;
            }
            return Context::Rule {
                range: TextRange::new(end - last.len() as u32, end),
            };
        }
    }
    if !prologue {
        return Context::None;
    }
    let trimmed = body.trim_start();
    match trimmed.split_once('=') {
        None if trimmed.bytes().all(|b| b.is_ascii_alphabetic()) => Context::Directive {
            range: TextRange::new(end - trimmed.len() as u32, end),
        },
        None => Context::None,
        Some((name, value)) => {
            let name = name.trim().to_ascii_lowercase();
            let value = value.trim_start();
            if name == "check" {
                // `# check=skip=a,b` handled above; `error=true` after `;`.
                let last = value.rsplit(';').next().unwrap_or("");
                return Context::DirectiveValue {
                    name,
                    range: TextRange::new(end - last.len() as u32, end),
                };
            }
            Context::DirectiveValue {
                name,
                range: TextRange::new(end - value.len() as u32, end),
            }
        }
    }
}

/// Split on white space, keeping quoted runs together.
fn words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                start.get_or_insert(i);
            }
            None if c.is_whitespace() => {
                if let Some(st) = start.take() {
                    out.push(&s[st..i]);
                }
            }
            None => {
                start.get_or_insert(i);
            }
        }
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

fn instruction(logical: &str, offset: u32, line_len: u32) -> Context {
    let ends_in_space = logical.ends_with(|c: char| c.is_whitespace()) || logical.is_empty();
    let all = words(logical);
    let (done, partial): (&[&str], &str) = if ends_in_space {
        (&all, "")
    } else {
        match all.split_last() {
            Some((p, rest)) => (rest, p),
            None => (&[], ""),
        }
    };
    let plen = (partial.len() as u32).min(line_len);
    let range_of = |len: u32| TextRange::new(offset - len.min(plen), offset);
    let whole = range_of(plen);
    let Some((first, mut rest)) = done.split_first() else {
        return Context::Keyword {
            range: whole,
            onbuild: false,
        };
    };
    let mut kind = InstructionKind::from_keyword(first);
    if kind == InstructionKind::Onbuild {
        match rest.split_first() {
            None => {
                return Context::Keyword {
                    range: whole,
                    onbuild: true,
                };
            }
            Some((trigger, r)) => {
                kind = InstructionKind::from_keyword(trigger);
                rest = r;
            }
        }
    }
    // Variables: `$NAME` or `${NAME` at the end of the partial word.
    if let Some(d) = partial.rfind('$') {
        let after = &partial[d + 1..];
        let (braced, name) = match after.strip_prefix('{') {
            Some(n) => (true, n),
            None => (false, after),
        };
        let escaped = d > 0 && partial.as_bytes()[d - 1] == b'\\';
        if !escaped && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Context::Variable {
                kind,
                braced,
                range: range_of(name.len() as u32),
            };
        }
    }
    let flags_only = rest.iter().all(|w| w.starts_with("--"));
    let present: Vec<String> = rest
        .iter()
        .filter_map(|w| w.strip_prefix("--"))
        .map(|w| w.split('=').next().unwrap_or("").to_string())
        .collect();
    if flags_only && partial.starts_with('-') {
        let body = partial.trim_start_matches('-');
        return match body.split_once('=') {
            None => Context::Flag {
                kind,
                range: whole,
                present,
            },
            Some((name, value)) if name == "mount" && kind == InstructionKind::Run => {
                mount(value, range_of)
            }
            Some((name, value)) => Context::FlagValue {
                kind,
                flag: name.to_string(),
                range: range_of(value.len() as u32),
            },
        };
    }
    let positional = rest.iter().filter(|w| !w.starts_with("--")).count();
    match kind {
        InstructionKind::From => match positional {
            0 => Context::FromImage { range: whole },
            1 => Context::FromAs { range: whole },
            _ => Context::None,
        },
        InstructionKind::Healthcheck if positional == 0 => {
            Context::HealthcheckKind { range: whole }
        }
        InstructionKind::Stopsignal if positional == 0 => Context::Signal { range: whole },
        InstructionKind::Expose => match partial.split_once('/') {
            Some((_, proto)) => Context::Protocol {
                range: range_of(proto.len() as u32),
            },
            None => Context::None,
        },
        InstructionKind::Arg if !partial.contains('=') => Context::ArgName { range: whole },
        InstructionKind::Copy | InstructionKind::Add | InstructionKind::Run
            if positional == 0 && partial.is_empty() =>
        {
            Context::Flag {
                kind,
                range: whole,
                present,
            }
        }
        _ => Context::None,
    }
}

fn mount(value: &str, range_of: impl Fn(u32) -> TextRange) -> Context {
    let fields: Vec<&str> = value.split(',').collect();
    let (last, before) = fields.split_last().map_or(("", &[][..]), |(l, b)| (*l, b));
    let mount_type = before
        .iter()
        .find_map(|f| f.strip_prefix("type="))
        .unwrap_or("bind")
        .to_string();
    match last.split_once('=') {
        None => Context::MountKey {
            mount_type,
            range: range_of(last.len() as u32),
            present: before
                .iter()
                .map(|f| f.split('=').next().unwrap_or("").to_string())
                .collect(),
        },
        Some((key, v)) => Context::MountValue {
            key: key.to_ascii_lowercase(),
            mount_type,
            range: range_of(v.len() as u32),
        },
    }
}
