//! Reading physical lines into top-level nodes, the way BuildKit's `Parse` reads them.

use std::sync::Arc;

use crate::instruction;
use crate::logical::LogicalMap;
use crate::model::{
    Args, Directive, Heredoc, Instruction, InstructionKind, Node, NodeKind, SyntaxError, Token,
    TokenKind, VarContext, VarRef,
};
use crate::text::u32_of;
use crate::words::{heredoc_line_words, parse_heredoc_word};
use crate::{TextRange, vars};

/// One physical line: `[start, content_end)` is the content, `[content_end, end)` the
/// newline (`\r*\n`, or trailing `\r`s at the end of the file).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Line {
    pub start: usize,
    pub content_end: usize,
    pub end: usize,
    pub has_newline: bool,
}

pub(crate) fn line_at(text: &str, start: usize) -> Line {
    let b = text.as_bytes();
    let (end, has_newline) = match memchr_nl(&b[start..]) {
        Some(i) => (start + i + 1, true),
        None => (b.len(), false),
    };
    // The newline token: `\r*\n`, or trailing `\r`s at the end of the text.
    let mut content_end = if has_newline { end - 1 } else { end };
    while content_end > start && b[content_end - 1] == b'\r' {
        content_end -= 1;
    }
    Line {
        start,
        content_end,
        end,
        has_newline,
    }
}

fn memchr_nl(b: &[u8]) -> Option<usize> {
    crate::text::find_in(b, b'\n')
}

fn ws_len(s: &str) -> usize {
    crate::text::lead_ws(s)
}

/// Tokens of a line that is only white space and a newline.
fn push_ws_newline(tokens: &mut Vec<Token>, base: usize, l: &Line, from: usize) {
    if l.content_end > from {
        tokens.push(tok(
            TokenKind::Whitespace,
            from - base,
            l.content_end - base,
        ));
    }
    if l.end > l.content_end {
        tokens.push(tok(TokenKind::Newline, l.content_end - base, l.end - base));
    }
}

fn tok(kind: TokenKind, start: usize, end: usize) -> Token {
    Token {
        kind,
        range: TextRange::new(u32_of(start), u32_of(end)),
    }
}

/// The directive regex `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` on a left-trimmed
/// line; returns (name range, value range) as offsets into `s`.
fn match_directive(s: &str) -> Option<((usize, usize), (usize, usize))> {
    let b = s.as_bytes();
    let is_ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r');
    if b.first() != Some(&b'#') {
        return None;
    }
    let mut i = 1;
    while i < b.len() && is_ws(b[i]) {
        i += 1;
    }
    let ns = i;
    if i >= b.len() || !b[i].is_ascii_alphabetic() {
        return None;
    }
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    let ne = i;
    while i < b.len() && is_ws(b[i]) {
        i += 1;
    }
    if b.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    while i < b.len() && is_ws(b[i]) {
        i += 1;
    }
    let mut ve = b.len();
    while ve > i && is_ws(b[ve - 1]) {
        ve -= 1;
    }
    if ve <= i {
        return None;
    }
    Some(((ns, ne), (i, ve)))
}

/// The result of reading the top of the file.
pub(crate) struct Prologue {
    pub nodes: Vec<Node>,
    pub end: usize,
    pub escape: char,
}

/// Read the byte-order mark and the parser directives.
pub(crate) fn prologue(text: &str) -> Prologue {
    let mut nodes = Vec::new();
    let mut pos = 0;
    if text.starts_with('\u{feff}') {
        nodes.push(Node {
            kind: NodeKind::Bom,
            text: text[..3].into(),
            tokens: vec![tok(TokenKind::Bom, 0, 3)],
            instruction: None,
            directive: None,
            errors: Vec::new(),
        });
        pos = 3;
    }
    let mut escape = '\\';
    let mut seen: Vec<String> = Vec::new();
    while pos < text.len() {
        let l = line_at(text, pos);
        let content = &text[l.start..l.content_end];
        let lead = ws_len(content);
        let Some(((ns, ne), (vs, ve))) = match_directive(&content[lead..]) else {
            break;
        };
        let name = content[lead + ns..lead + ne].to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            break;
        }
        let value = content[lead + vs..lead + ve].to_string();
        let rel = |a: usize| u32_of(lead + a);
        let mut errors = Vec::new();
        let mut applied = true;
        if seen.contains(&name) {
            errors.push(SyntaxError::parse(
                TextRange::new(0, u32_of(l.content_end - l.start)),
                format!("only one {name} parser directive can be used"),
            ));
            applied = false;
        } else if name == "escape" {
            if value == "`" || value == "\\" {
                escape = value.chars().next().unwrap_or('\\');
            } else {
                errors.push(SyntaxError::parse(
                    TextRange::new(rel(vs), rel(ve)),
                    format!("invalid escape token '{value}' does not match ` or \\"),
                ));
                applied = false;
            }
        }
        seen.push(name.clone());
        let mut tokens = Vec::new();
        if lead > 0 {
            tokens.push(tok(TokenKind::Whitespace, 0, lead));
        }
        tokens.push(tok(TokenKind::Directive, lead, l.content_end - l.start));
        if l.end > l.content_end {
            tokens.push(tok(
                TokenKind::Newline,
                l.content_end - l.start,
                l.end - l.start,
            ));
        }
        nodes.push(Node {
            kind: NodeKind::Directive,
            text: text[l.start..l.end].into(),
            tokens,
            instruction: None,
            directive: Some(Box::new(Directive {
                name,
                name_range: TextRange::new(rel(ns), rel(ne)),
                value,
                value_range: TextRange::new(rel(vs), rel(ve)),
                applied,
            })),
            errors,
        });
        pos = l.end;
    }
    Prologue {
        nodes,
        end: pos,
        escape,
    }
}

/// Whether the content of a line (newline excluded) ends with the escape character
/// followed only by spaces and tabs; returns the escape's offset.
fn continuation_at(text: &str, start: usize, content_end: usize, escape: char) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = content_end;
    while i > start && matches!(b[i - 1], b' ' | b'\t') {
        i -= 1;
    }
    let esc = escape as u8;
    // BuildKit: `([^E])E[ \t]*$|^E[ \t]*$` — an escape preceded by another escape is
    // an escaped escape, not a continuation.
    if i > start && b[i - 1] == esc && (i - 1 == start || b[i - 2] != esc) {
        Some(i - 1)
    } else {
        None
    }
}

/// Parse the node that starts at `pos` (a line start). Returns the node and its end,
/// or `None` when the text ends before the node does and `at_eof` is false (the caller
/// then gives more text).
pub(crate) fn parse_node(
    text: &str,
    pos: usize,
    escape: char,
    at_eof: bool,
    scratch: &mut Scratch,
) -> Option<(Arc<Node>, usize)> {
    let first = line_at(text, pos);
    if !first.has_newline && !at_eof {
        return None;
    }
    let content = &text[first.start..first.content_end];
    let lead = ws_len(content);
    let rest = &content[lead..];
    if rest.is_empty() || (rest.starts_with('#')) {
        let kind = if rest.is_empty() {
            NodeKind::Blank
        } else {
            NodeKind::Comment
        };
        let mut tokens = Vec::new();
        if kind == NodeKind::Comment {
            if lead > 0 {
                tokens.push(tok(TokenKind::Whitespace, 0, lead));
            }
            tokens.push(tok(TokenKind::Comment, lead, first.content_end - pos));
            if first.end > first.content_end {
                tokens.push(tok(
                    TokenKind::Newline,
                    first.content_end - pos,
                    first.end - pos,
                ));
            }
        } else {
            push_ws_newline(&mut tokens, pos, &first, pos);
        }
        let node = Node {
            kind,
            text: text[pos..first.end].into(),
            tokens,
            instruction: None,
            directive: None,
            errors: Vec::new(),
        };
        return Some((Arc::new(node), first.end));
    }
    parse_instruction_node(text, pos, &first, lead, escape, at_eof, scratch)
}

/// Buffers reused from node to node, so that a parse allocates only what it keeps.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    tokens: Vec<Token>,
    map: LogicalMap,
    logical: String,
    vars: Vec<VarRef>,
}

/// An instruction node from its first line (`first`, starting at `pos`, with `lead`
/// bytes of white space before the keyword).
fn parse_instruction_node(
    text: &str,
    pos: usize,
    first: &Line,
    lead: usize,
    escape: char,
    at_eof: bool,
    scratch: &mut Scratch,
) -> Option<(Arc<Node>, usize)> {
    let Scratch {
        tokens,
        map,
        logical: logical_buf,
        vars: vars_buf,
    } = scratch;
    tokens.clear();
    map.clear();
    let mut empty_lines = Vec::new();
    // Node-relative helper.
    let rel = |a: usize| a - pos;

    // First line: left-trimmed.
    if lead > 0 {
        tokens.push(tok(TokenKind::Whitespace, 0, lead));
    }
    let mut continuing =
        push_content_line(text, pos, first.start + lead, first, escape, tokens, map, 0);
    let mut cur = first.end;
    // Continuation lines.
    while continuing {
        if cur >= text.len() {
            if !at_eof {
                return None;
            }
            break;
        }
        let l = line_at(text, cur);
        if !l.has_newline && !at_eof {
            return None;
        }
        let content = &text[l.start..l.content_end];
        let lead = ws_len(content);
        if content[lead..].starts_with('#') {
            if lead > 0 {
                tokens.push(tok(
                    TokenKind::Whitespace,
                    rel(l.start),
                    rel(l.start + lead),
                ));
            }
            tokens.push(tok(
                TokenKind::Comment,
                rel(l.start + lead),
                rel(l.content_end),
            ));
            if l.end > l.content_end {
                tokens.push(tok(TokenKind::Newline, rel(l.content_end), rel(l.end)));
            }
        } else if lead == content.len() {
            empty_lines.push(TextRange::new(u32_of(rel(l.start)), u32_of(rel(l.end))));
            push_ws_newline(tokens, pos, &l, l.start);
        } else {
            continuing = push_content_line(text, pos, l.start, &l, escape, tokens, map, lead);
        }
        cur = l.end;
    }

    // The logical line. One piece of text (no continuation, the common case): the node
    // text itself, read with node-relative offsets, so nothing is copied or remapped.
    // Otherwise the pieces joined, read from 0, and the ranges mapped back.
    let rest_text = &text[pos..];
    let single = map.segments() == 1;
    let (ltext, lfrom): (&str, usize) = if single {
        let seg = map.first();
        (&rest_text[..seg.end as usize], seg.start as usize)
    } else {
        map.write(rest_text, logical_buf);
        (logical_buf.as_str(), 0)
    };
    let logical = &ltext[lfrom..];
    let to_node = |r: TextRange| if single { r } else { map.range(r) };

    let mut errors = Vec::new();
    let mut inst = instruction::parse(ltext, lfrom, escape, &mut errors, vars_buf);

    // Heredocs.
    let mut heredoc_specs = Vec::new();
    let target_kind = match &inst.args {
        Args::Onbuild(inner) if inst.kind == InstructionKind::Onbuild => {
            (inner.kind, inner.is_json())
        }
        _ => (inst.kind, inst.is_json()),
    };
    if matches!(
        target_kind.0,
        InstructionKind::Run | InstructionKind::Copy | InstructionKind::Add
    ) && !target_kind.1
        && memchr::memchr_iter(b'<', logical.as_bytes())
            .any(|i| logical.as_bytes().get(i + 1) == Some(&b'<'))
        && let Some(words) = heredoc_line_words(logical)
    {
        for wr in words {
            let word = &logical[wr.as_usize()];
            let wr = wr.offset(u32_of(lfrom));
            match parse_heredoc_word(word) {
                Ok(Some(h)) => heredoc_specs.push((wr, h)),
                Ok(None) => {}
                Err(msg) => errors.push(SyntaxError::parse(wr, msg)),
            }
        }
    }

    // Map everything to node-relative ranges.
    if !single {
        remap_instruction(&mut inst, map);
        for e in &mut errors {
            e.range = map.range(e.range);
        }
    }
    inst.empty_continuation_lines = empty_lines;

    // Read the bodies.
    let mut heredocs = Vec::new();
    for (wr, h) in heredoc_specs {
        let body_start = cur;
        let mut terminator = None;
        loop {
            if cur >= text.len() {
                if !at_eof {
                    return None;
                }
                break;
            }
            let l = line_at(text, cur);
            if !l.has_newline && !at_eof {
                return None;
            }
            let mut cand = &text[l.start..l.content_end];
            if h.chomp {
                cand = cand.trim_start_matches('\t');
            }
            if cand == h.name {
                tokens.push(tok(TokenKind::HeredocEnd, rel(l.start), rel(l.content_end)));
                if l.end > l.content_end {
                    tokens.push(tok(TokenKind::Newline, rel(l.content_end), rel(l.end)));
                }
                terminator = Some(TextRange::new(
                    u32_of(rel(l.start)),
                    u32_of(rel(l.content_end)),
                ));
                cur = l.end;
                break;
            }
            if l.content_end > l.start {
                tokens.push(tok(
                    TokenKind::HeredocBody,
                    rel(l.start),
                    rel(l.content_end),
                ));
            }
            if l.end > l.content_end {
                tokens.push(tok(TokenKind::Newline, rel(l.content_end), rel(l.end)));
            }
            cur = l.end;
        }
        let body_end = terminator.map_or(cur, |t| t.start as usize + pos);
        let marker = to_node(wr);
        let name_off = u32_of(h.name_offset).min(marker.len());
        let heredoc = Heredoc {
            marker,
            name: h.name,
            name_range: TextRange::new(marker.start + name_off, marker.end),
            chomp: h.chomp,
            expand: h.expand,
            fd: h.fd,
            body: TextRange::new(u32_of(rel(body_start)), u32_of(rel(body_end))),
            terminator,
        };
        if heredoc.terminator.is_none() {
            errors.push(SyntaxError::parse(heredoc.marker, "unterminated heredoc"));
        }
        heredocs.push(heredoc);
    }

    // Variables in heredoc bodies: RUN bodies are shell scripts; COPY/ADD bodies are
    // expanded by BuildKit unless the delimiter was quoted.
    let node_text = &text[pos..cur];
    if !heredocs.is_empty() {
        for h in &heredocs {
            let body = &node_text[h.body.as_usize()];
            if target_kind.0 == InstructionKind::Run {
                vars::scan(body, h.body.start, '\\', VarContext::Shell, &mut inst.vars);
            } else if h.expand {
                // Shell quoting rules (`\\`) as BuildKit's raw expansion of heredoc bodies.
                vars::scan(
                    body,
                    h.body.start,
                    '\\',
                    VarContext::Dockerfile,
                    &mut inst.vars,
                );
            }
        }
        inst.vars.sort_by_key(|v| (v.range.start, v.range.end));
    }
    attach_heredocs(&mut inst, heredocs);
    inst.logical = logical.to_string();

    if inst.kind == InstructionKind::Unknown {
        errors.push(SyntaxError {
            range: inst.keyword.range,
            message: if inst.keyword.text.is_empty() {
                "missing instruction".to_string()
            } else {
                format!("unknown instruction: {}", inst.keyword.text)
            },
            kind: crate::model::ErrorKind::Instruction,
        });
    }

    // A Keyword token when the keyword sits on the first line.
    split_keyword_token(tokens, inst.keyword.range);

    let node = Node {
        kind: NodeKind::Instruction,
        text: node_text.into(),
        tokens: tokens.as_slice().to_vec(),
        instruction: Some(inst),
        directive: None,
        errors,
    };
    Some((Arc::new(node), cur))
}

fn attach_heredocs(inst: &mut Instruction, heredocs: Vec<Heredoc>) {
    if let Args::Onbuild(inner) = &mut inst.args {
        inner.heredocs.clone_from(&heredocs);
    }
    inst.heredocs = heredocs;
}

/// Push the tokens of one content line (from `from`, which is after any leading white
/// space the caller handled; `lead` bytes of white space after `from` become a
/// Whitespace token but stay in the logical line) and add it to the logical line. Returns whether the line
/// continues.
#[allow(clippy::too_many_arguments)]
fn push_content_line(
    text: &str,
    pos: usize,
    from: usize,
    l: &Line,
    escape: char,
    tokens: &mut Vec<Token>,
    map: &mut LogicalMap,
    lead: usize,
) -> bool {
    let rel = |a: usize| a - pos;
    let cont = continuation_at(text, from, l.content_end, escape);
    let text_end = cont.unwrap_or(l.content_end);
    if text_end > from {
        // Leading white space of a continuation line belongs to the logical line; keep
        // it a Whitespace token all the same.
        let lead = lead.min(text_end - from);
        if lead > 0 {
            tokens.push(tok(TokenKind::Whitespace, rel(from), rel(from + lead)));
        }
        if text_end > from + lead {
            tokens.push(tok(TokenKind::Text, rel(from + lead), rel(text_end)));
        }
        map.push(TextRange::new(u32_of(rel(from)), u32_of(rel(text_end))));
    }
    if let Some(c) = cont {
        tokens.push(tok(TokenKind::Continuation, rel(c), rel(l.content_end)));
    }
    if l.end > l.content_end {
        tokens.push(tok(TokenKind::Newline, rel(l.content_end), rel(l.end)));
    }
    cont.is_some()
}

/// Split the first Text token into Keyword + Whitespace + Text when it starts with
/// the keyword.
fn split_keyword_token(tokens: &mut Vec<Token>, kw: TextRange) {
    if kw.is_empty() {
        return;
    }
    let Some(i) = tokens.iter().position(|t| t.kind == TokenKind::Text) else {
        return;
    };
    let t = tokens[i];
    if t.range.start != kw.start || kw.end > t.range.end {
        return;
    }
    tokens[i] = Token {
        kind: TokenKind::Keyword,
        range: kw,
    };
    if kw.end < t.range.end {
        tokens.insert(
            i + 1,
            Token {
                kind: TokenKind::Text,
                range: TextRange::new(kw.end, t.range.end),
            },
        );
    }
}

fn remap_instruction(inst: &mut Instruction, map: &LogicalMap) {
    let m = |r: &mut TextRange| *r = map.range(*r);
    m(&mut inst.range);
    m(&mut inst.keyword.range);
    for f in &mut inst.flags {
        m(&mut f.range);
        m(&mut f.name_range);
        if let Some(v) = &mut f.value_range {
            m(v);
        }
    }
    if let Some(a) = &mut inst.args_range {
        m(a);
    }
    remap_args(&mut inst.args, map);
    for v in &mut inst.vars {
        m(&mut v.range);
        m(&mut v.name_range);
        if let Some(md) = &mut v.modifier {
            m(&mut md.op_range);
            m(&mut md.word);
        }
    }
}

fn remap_args(args: &mut Args, map: &LogicalMap) {
    let m = |r: &mut TextRange| *r = map.range(*r);
    match args {
        Args::None => {}
        Args::Words(ws) => ws.iter_mut().for_each(|w| m(&mut w.range)),
        Args::Json { range, elements } => {
            m(range);
            elements.iter_mut().for_each(|w| m(&mut w.range));
        }
        Args::Text(w) => m(&mut w.range),
        Args::Pairs { pairs, .. } => {
            for p in pairs {
                m(&mut p.range);
                m(&mut p.key.range);
                if let Some(e) = &mut p.equals {
                    m(e);
                }
                if let Some(v) = &mut p.value {
                    m(&mut v.range);
                }
            }
        }
        Args::Healthcheck { kind, command } => {
            m(&mut kind.range);
            remap_args(command, map);
        }
        Args::Onbuild(inner) => remap_instruction(inner, map),
    }
}
