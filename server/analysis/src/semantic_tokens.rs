//! Semantic tokens: what each piece of the file is, for highlighting that understands
//! Dockerfiles (keywords, flags and their values, stage names, variables, strings,
//! comments, heredoc bodies, directives, deprecated instructions).
//!
//! Each node is painted byte by byte (outer things first, inner ones over them), then
//! read back as runs: tokens never overlap and never span a line break. Every token
//! carries its line and its column and length in UTF-8 bytes and UTF-16 units, so the
//! LSP glue does no position conversion.

use docksmith_syntax::{
    Args, Dockerfile, Instruction, InstructionKind, NodeKind, TextRange, TokenKind,
};

use crate::semantics::{Model, PLATFORM_ARGS, PROXY_ARGS, StageRefKind};

/// Token types; the legend is [`TokenType::LEGEND`], in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum TokenType {
    Keyword = 0,
    /// A `--flag` name.
    Parameter = 1,
    /// A flag value or a value from a fixed set.
    EnumMember = 2,
    /// A `--mount` key.
    Property = 3,
    /// A stage name.
    Class = 4,
    Variable = 5,
    String = 6,
    Comment = 7,
    /// A parser directive's name.
    Macro = 8,
    Number = 9,
    /// Heredoc markers and terminators.
    Operator = 10,
    /// An image reference.
    Type = 11,
}

impl TokenType {
    /// The LSP standard names, indexed by the enum's value.
    pub const LEGEND: [&'static str; 12] = [
        "keyword",
        "parameter",
        "enumMember",
        "property",
        "class",
        "variable",
        "string",
        "comment",
        "macro",
        "number",
        "operator",
        "type",
    ];

    const ALL: [TokenType; 12] = [
        Self::Keyword,
        Self::Parameter,
        Self::EnumMember,
        Self::Property,
        Self::Class,
        Self::Variable,
        Self::String,
        Self::Comment,
        Self::Macro,
        Self::Number,
        Self::Operator,
        Self::Type,
    ];
}

/// Modifier bits; the legend is [`MODIFIER_LEGEND`].
pub const DECLARATION: u32 = 1;
pub const DEPRECATED: u32 = 2;
pub const DEFAULT_LIBRARY: u32 = 4;
pub const MODIFIER_LEGEND: [&str; 3] = ["declaration", "deprecated", "defaultLibrary"];

/// One token, on one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SemanticToken {
    pub range: TextRange,
    /// 0-based line.
    pub line: u32,
    pub col_utf8: u32,
    pub len_utf8: u32,
    pub col_utf16: u32,
    pub len_utf16: u32,
    pub ty: TokenType,
    pub modifiers: u32,
}

fn code(ty: TokenType, modifiers: u32) -> u8 {
    (ty as u8 + 1) | ((modifiers as u8 & 7) << 4)
}

fn decode(c: u8) -> (TokenType, u32) {
    let ty = TokenType::ALL[((c & 15) - 1) as usize];
    (ty, u32::from(c >> 4))
}

struct Painter<'a> {
    buf: &'a mut Vec<u8>,
}

impl Painter<'_> {
    fn paint(&mut self, r: TextRange, ty: TokenType, modifiers: u32) {
        let c = code(ty, modifiers);
        let end = (r.end as usize).min(self.buf.len());
        let start = (r.start as usize).min(end);
        self.buf[start..end].fill(c);
    }

    fn clear(&mut self, r: TextRange) {
        let end = (r.end as usize).min(self.buf.len());
        let start = (r.start as usize).min(end);
        self.buf[start..end].fill(0);
    }
}

/// The tokens of the whole file (`range: None`) or of the nodes overlapping `range`.
pub fn semantic_tokens(
    df: &Dockerfile,
    model: &Model,
    range: Option<TextRange>,
) -> Vec<SemanticToken> {
    let mut out = Vec::new();
    each_semantic_token(df, model, range, |t| out.push(t));
    out
}

/// [`semantic_tokens`], each handed to `f` in order instead of collected (a 10,000-line
/// file has some 15,000 tokens: a caller that converts them need not hold them all).
pub fn each_semantic_token(
    df: &Dockerfile,
    model: &Model,
    range: Option<TextRange>,
    mut f: impl FnMut(SemanticToken),
) {
    let (first, last) = match range {
        None => (0, df.nodes().len()),
        Some(r) => (
            df.node_index_at(r.start).unwrap_or(0),
            df.node_index_at(r.end.saturating_sub(1).max(r.start))
                .map_or(0, |i| i + 1),
        ),
    };
    // Stage mentions, by node.
    let mut refs: Vec<(usize, TextRange, bool)> = model
        .stage_refs
        .iter()
        .map(|r| (r.node, r.range, r.kind == StageRefKind::Definition))
        .collect();
    refs.sort_by_key(|r| (r.0, r.1.start));
    let mut line = model.node_lines.get(first).copied().unwrap_or(0);
    let mut buf = Vec::new();
    for index in first..last {
        let Some(n) = df.node(index) else { break };
        let node = n.node;
        buf.clear();
        buf.resize(node.text().len(), 0);
        let mut p = Painter { buf: &mut buf };
        match node.kind {
            NodeKind::Comment => p.paint(TextRange::new(0, node.len()), TokenType::Comment, 0),
            NodeKind::Directive => {
                p.paint(TextRange::new(0, node.len()), TokenType::Comment, 0);
                if let Some(d) = &node.directive {
                    p.paint(d.name_range, TokenType::Macro, 0);
                    p.paint(d.value_range, TokenType::String, 0);
                }
            }
            NodeKind::Instruction => {
                if let Some(inst) = &node.instruction {
                    paint_instruction(&mut p, inst);
                    let lo = refs.partition_point(|r| r.0 < index);
                    for (_, r, def) in refs[lo..].iter().take_while(|r| r.0 == index) {
                        let rel = TextRange::new(r.start - n.start, r.end - n.start);
                        p.paint(rel, TokenType::Class, if *def { DECLARATION } else { 0 });
                    }
                }
                for t in &node.tokens {
                    match t.kind {
                        TokenKind::Comment => p.paint(t.range, TokenType::Comment, 0),
                        TokenKind::Continuation | TokenKind::Newline => p.clear(t.range),
                        _ => {}
                    }
                }
            }
            NodeKind::Blank | NodeKind::Bom => {}
        }
        emit(node.text(), n.start, &buf, &mut line, &mut f);
    }
}

fn paint_instruction(p: &mut Painter<'_>, inst: &Instruction) {
    let kind = inst.kind;
    // Strings and values first; what lies inside them is painted over.
    match &inst.args {
        Args::Json { elements, .. } => {
            for e in elements {
                p.paint(e.range, TokenType::String, 0);
            }
        }
        Args::Healthcheck { kind: k, command } => {
            p.paint(k.range, TokenType::Keyword, 0);
            if let Args::Json { elements, .. } = &**command {
                for e in elements {
                    p.paint(e.range, TokenType::String, 0);
                }
            }
        }
        Args::Onbuild(t) => paint_instruction(p, t),
        _ => {}
    }
    for kv in inst.pairs() {
        if let Some(v) = &kv.value {
            p.paint(v.range, TokenType::String, 0);
        }
        if matches!(kind, InstructionKind::Arg | InstructionKind::Env) {
            p.paint(kv.key.range, TokenType::Variable, DECLARATION);
        } else {
            p.paint(kv.key.range, TokenType::Property, 0);
        }
    }
    for h in &inst.heredocs {
        p.paint(h.marker, TokenType::Operator, 0);
        p.paint(h.body, TokenType::String, 0);
        if let Some(t) = h.terminator {
            p.paint(t, TokenType::Operator, 0);
        }
    }
    if let Some(from) = inst.as_from() {
        if let Some(img) = from.image {
            p.paint(img.range, TokenType::Type, 0);
        }
        if let Some(a) = from.as_keyword {
            p.paint(a.range, TokenType::Keyword, 0);
        }
    }
    if kind == InstructionKind::Expose {
        for w in inst.words() {
            let digits = w.text.find('/').unwrap_or(w.text.len());
            p.paint(
                TextRange::new(w.range.start, w.range.start + digits as u32),
                TokenType::Number,
                0,
            );
            if digits < w.text.len() && w.range.len() as usize == w.text.len() {
                p.paint(
                    TextRange::new(w.range.start + digits as u32 + 1, w.range.end),
                    TokenType::EnumMember,
                    0,
                );
            }
        }
    }
    if kind == InstructionKind::Stopsignal
        && let Some(w) = inst.text_arg()
    {
        p.paint(w.range, TokenType::EnumMember, 0);
    }
    for f in &inst.flags {
        p.paint(
            TextRange::new(f.range.start, f.name_range.end),
            TokenType::Parameter,
            0,
        );
        if let Some(v) = f.value_range {
            p.paint(v, TokenType::EnumMember, 0);
        }
    }
    for m in inst.mounts() {
        let exact = m.flag.value_range.is_some_and(|v| {
            m.flag
                .value
                .as_ref()
                .is_some_and(|s| s.len() == v.len() as usize)
        });
        if !exact {
            continue;
        }
        for field in &m.fields {
            p.paint(field.key_range, TokenType::Property, 0);
        }
    }
    for v in &inst.vars {
        let name = v.name.as_str();
        let lib = if PLATFORM_ARGS.contains(&name) || PROXY_ARGS.contains(&name) {
            DEFAULT_LIBRARY
        } else {
            0
        };
        p.paint(v.range, TokenType::Variable, lib);
    }
    let deprecated = if crate::catalog::deprecated(kind) {
        DEPRECATED
    } else {
        0
    };
    p.paint(inst.keyword.range, TokenType::Keyword, deprecated);
}

/// Read the painted buffer back as tokens, splitting at line breaks.
fn emit(text: &str, base: u32, buf: &[u8], line: &mut u32, out: &mut impl FnMut(SemanticToken)) {
    let bytes = text.as_bytes();
    let mut line_start = 0usize;
    // UTF-16 column of `utf16_at` within the current line, advanced lazily.
    let mut utf16_pos = 0usize;
    let mut utf16_col = 0u32;
    let mut i = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            *line += 1;
            line_start = i + 1;
            utf16_pos = line_start;
            utf16_col = 0;
            i += 1;
            continue;
        }
        let c = buf[i];
        if c == 0 || b == b'\r' {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && buf[i] == c && bytes[i] != b'\n' && bytes[i] != b'\r' {
            i += 1;
        }
        // Never cut a character in two.
        while i < bytes.len() && !text.is_char_boundary(i) {
            i += 1;
        }
        let col16 = utf16_col + utf16_len(&text[utf16_pos..start]);
        let len16 = utf16_len(&text[start..i]);
        utf16_pos = i;
        utf16_col = col16 + len16;
        let (ty, modifiers) = decode(c);
        out(SemanticToken {
            range: TextRange::new(base + start as u32, base + i as u32),
            line: *line,
            col_utf8: (start - line_start) as u32,
            len_utf8: (i - start) as u32,
            col_utf16: col16,
            len_utf16: len16,
            ty,
            modifiers,
        });
    }
}

fn utf16_len(s: &str) -> u32 {
    if s.is_ascii() {
        s.len() as u32
    } else {
        s.chars().map(char::len_utf16).sum::<usize>() as u32
    }
}
