//! The formatter: white space and keyword case, nothing that changes what BuildKit
//! reads.
//!
//! What it does, as small edits (never a whole-file replacement):
//!
//! * instruction keywords (and the ONBUILD trigger's) in one case: upper by default,
//!   lower, the file's majority, or as written;
//! * no white space before an instruction or a comment, none at the end of an
//!   instruction line or after a line-continuation character, none on blank lines;
//! * one space after the keyword, between flags, and between the words of
//!   instructions that BuildKit splits on white space (FROM, EXPOSE, COPY, ADD,
//!   VOLUME, ARG, ENV/LABEL pairs), when they sit on the same line;
//! * continuation lines (and comments inside them) indented by one level.
//!
//! What it never touches: heredoc bodies and terminators, comment text, parser
//! directives, JSON arrays and the text of shell-form commands (except the indentation
//! of their continuation lines), unknown instructions' keywords.
//!
//! Meaning is kept: BuildKit joins continuation lines *with* their leading white space,
//! so the indentation of a continuation line is only changed where that is invisible:
//! never inside a quoted string (or right after an escape) that continues across the
//! line, and never where the line is glued to the previous one (`foo\` + `bar` reads
//! `foobar`; indenting `bar` would split the word). Tests check on every corpus file
//! that the BuildKit dump is unchanged up to runs of white space, and that formatting
//! is idempotent.

use docksmith_syntax::{
    Args, Dockerfile, Instruction, InstructionKind, Node, NodeKind, TextRange, TokenKind,
};

/// The deepest nesting of continuation lines the formatter writes (levels).
const MAX_DEPTH: usize = 8;

/// How continuation lines are indented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Indent {
    /// This many spaces (at least 1).
    Spaces(u8),
    /// One tab.
    Tab,
}

impl Indent {
    fn text(self) -> String {
        match self {
            Indent::Spaces(n) => " ".repeat(usize::from(n.max(1))),
            Indent::Tab => "\t".to_string(),
        }
    }
}

/// The case of instruction keywords.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum KeywordCase {
    /// `RUN` (the default).
    #[default]
    Upper,
    /// `run`.
    Lower,
    /// Whichever of upper and lower case most keywords of the file use (upper on a tie).
    Majority,
    /// Keywords as written.
    Preserve,
}

impl KeywordCase {
    /// Read a setting value: `upper`, `lower`, `majority` or `preserve`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "upper" | "uppercase" => Some(Self::Upper),
            "lower" | "lowercase" => Some(Self::Lower),
            "majority" | "auto" => Some(Self::Majority),
            "preserve" | "keep" => Some(Self::Preserve),
            _ => None,
        }
    }
}

/// Formatter options (`[format]` in `.docksmith.toml`, `docksmith.format.*` in editor
/// settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormatOptions {
    pub indent: Indent,
    pub keyword_case: KeywordCase,
    /// Leave the lines after the first line of a multi-line instruction as written.
    pub keep_multiline: bool,
    /// Columns of a tab, to measure indentation written with tabs when indenting with
    /// tabs (with spaces, a tab counts as one level).
    pub tab_width: u8,
}

impl Default for FormatOptions {
    fn default() -> Self {
        Self {
            indent: Indent::Spaces(4),
            keyword_case: KeywordCase::Upper,
            keep_multiline: false,
            tab_width: 4,
        }
    }
}

/// One replacement of the original text (absolute byte range).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub new_text: String,
}

/// The edits that format the whole file, sorted and non-overlapping.
pub fn format(df: &Dockerfile, opts: &FormatOptions) -> Vec<Edit> {
    let mut f = Formatter::new(df, opts);
    for i in 0..df.nodes().len() {
        f.node(i, None);
    }
    f.edits
}

/// The edits that format the lines touched by `range` (whole lines, as editors expect
/// from "Format Selection").
pub fn format_range(df: &Dockerfile, opts: &FormatOptions, range: TextRange) -> Vec<Edit> {
    let text_len = df.len();
    let start = range.start.min(text_len);
    let end = range.end.clamp(start, text_len);
    let (Some(first), Some(last)) = (df.node_index_at(start), df.node_index_at(end)) else {
        return Vec::new();
    };
    let lo = line_start(df, first, start);
    let hi = line_end(df, last, end);
    let mut f = Formatter::new(df, opts);
    for i in first..=last {
        f.node(i, None);
    }
    f.edits
        .into_iter()
        .filter(|e| e.range.start >= lo && e.range.start <= hi)
        .collect()
}

/// The edits to make after `ch` was typed, with the cursor at `offset` (just after the
/// character): after a newline, the new line gets its indentation (one level inside a
/// continued instruction, none otherwise); after the escape character at the end of a
/// line, the next line is indented. Other characters: no edits.
pub fn format_on_type(df: &Dockerfile, opts: &FormatOptions, offset: u32, ch: char) -> Vec<Edit> {
    let offset = offset.min(df.len());
    let Some(index) = df.node_index_at(offset) else {
        return Vec::new();
    };
    let target_line = if ch == '\n' {
        line_start(df, index, offset)
    } else if ch == df.escape() {
        // The line after the one holding the cursor.
        // Only when that line continues the same instruction.
        let end = line_end(df, index, offset);
        let Some(n) = df.node(index) else {
            return Vec::new();
        };
        if n.node.kind != NodeKind::Instruction || end + 1 >= n.start + n.node.len() {
            return Vec::new();
        }
        end + 1
    } else {
        return Vec::new();
    };
    let Some(target_index) = df.node_index_at(target_line) else {
        return Vec::new();
    };
    let mut f = Formatter::new(df, opts);
    let indent_blank = (ch == '\n').then_some(target_line);
    f.node(target_index, indent_blank);
    // Only the indentation of that line: the rest is the user's business while typing.
    f.edits
        .into_iter()
        .filter(|e| e.range.start == target_line)
        .collect()
}

/// Apply sorted, non-overlapping edits to `text`.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for e in edits {
        let r = e.range.as_usize();
        if r.start < at || r.end > text.len() {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push_str(&e.new_text);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Format a whole text (parse, format, apply).
pub fn format_text(text: &str, opts: &FormatOptions) -> String {
    let df = Dockerfile::parse(text);
    apply(text, &format(&df, opts))
}

/// Push an edit of `node` (at `base`) unless it changes nothing.
fn push(edits: &mut Vec<Edit>, base: u32, range: TextRange, new_text: &str, node: &Node) {
    if node.slice(range) != new_text {
        edits.push(Edit {
            range: range.offset(base),
            new_text: new_text.to_string(),
        });
    }
}

/// Start of the line holding `offset` (which lies in node `index`). Nodes start at
/// line starts.
fn line_start(df: &Dockerfile, index: usize, offset: u32) -> u32 {
    let Some(n) = df.node(index) else { return 0 };
    let rel = offset.saturating_sub(n.start).min(n.node.len()) as usize;
    match n.node.text().get(..rel).and_then(|t| t.rfind('\n')) {
        Some(p) => n.start + p as u32 + 1,
        None => n.start,
    }
}

/// Offset of the newline (or end of text) ending the line holding `offset`.
fn line_end(df: &Dockerfile, index: usize, offset: u32) -> u32 {
    let Some(n) = df.node(index) else {
        return offset;
    };
    let text = n.node.text();
    let rel = offset.saturating_sub(n.start).min(n.node.len()) as usize;
    match text.get(rel..).and_then(|t| t.find('\n')) {
        Some(p) => n.start + (rel + p) as u32,
        None => n.start + n.node.len(),
    }
}

struct Formatter<'a> {
    df: &'a Dockerfile,
    indent: String,
    case: KeywordCase,
    keep_multiline: bool,
    edits: Vec<Edit>,
    /// A buffer reused across instructions.
    items: Vec<TextRange>,
    /// A buffer reused across instructions.
    lines: Vec<LineInfo>,
    /// A buffer reused across instructions.
    cols: Vec<u32>,
    /// Columns of a tab when measuring indentation.
    tab_width: u32,
}

impl<'a> Formatter<'a> {
    fn new(df: &'a Dockerfile, opts: &FormatOptions) -> Self {
        let case = match opts.keyword_case {
            KeywordCase::Majority => majority_case(df),
            c => c,
        };
        Self {
            df,
            indent: opts.indent.text(),
            case,
            keep_multiline: opts.keep_multiline,
            edits: Vec::new(),
            items: Vec::new(),
            lines: Vec::new(),
            cols: Vec::new(),
            tab_width: match opts.indent {
                Indent::Spaces(n) => u32::from(n.max(1)),
                Indent::Tab => u32::from(opts.tab_width.max(1)),
            },
        }
    }

    /// Format node `index`. `indent_blank`: the start of a blank continuation line that
    /// gets the indentation instead of losing its white space (the line the cursor is
    /// on after typing a newline).
    fn node(&mut self, index: usize, indent_blank: Option<u32>) {
        let Some(n) = self.df.node(index) else { return };
        let (base, node) = (n.start, n.node);
        let first_edit = self.edits.len();
        match node.kind {
            NodeKind::Bom | NodeKind::Directive => {}
            NodeKind::Blank => {
                if let Some(t) = node.tokens.iter().find(|t| t.kind == TokenKind::Whitespace) {
                    push(&mut self.edits, base, t.range, "", node);
                }
            }
            NodeKind::Comment => {
                // Directives are recognised with leading white space too, so removing
                // it never turns a comment into a directive.
                if let Some(t) = node
                    .tokens
                    .first()
                    .filter(|t| t.kind == TokenKind::Whitespace)
                {
                    push(&mut self.edits, base, t.range, "", node);
                }
            }
            NodeKind::Instruction => {
                if let Some(inst) = node.instruction.as_deref() {
                    self.instruction(base, node, inst, indent_blank);
                }
            }
        }
        // Sorted, and never overlapping (an overlap would be a bug: drop the later).
        let edits = &mut self.edits;
        if edits.len() > first_edit + 1 {
            edits[first_edit..].sort_by_key(|e| (e.range.start, e.range.end));
            let mut w = first_edit + 1;
            for r in first_edit + 1..edits.len() {
                if edits[r].range.start >= edits[w - 1].range.end {
                    edits.swap(w, r);
                    w += 1;
                }
            }
            edits.truncate(w);
        }
    }

    fn instruction(
        &mut self,
        base: u32,
        node: &Node,
        inst: &Instruction,
        indent_blank: Option<u32>,
    ) {
        // Keyword case (and the ONBUILD trigger's).
        self.keyword(base, node, inst);
        if let Args::Onbuild(inner) = &inst.args {
            self.keyword(base, node, inner);
        }
        // Single spaces between keyword, flags and split words on one line.
        let mut items = std::mem::take(&mut self.items);
        items.clear();
        items_of(inst, &mut items);
        for w in items.windows(2) {
            let gap = TextRange::new(w[0].end, w[1].start);
            if w[0].end < w[1].start {
                let s = node.slice(gap);
                if s != " " && s.bytes().all(|b| b == b' ' || b == b'\t') {
                    push(&mut self.edits, base, gap, " ", node);
                }
            }
        }
        self.items = items;
        self.lines(base, node, inst, indent_blank);
    }

    fn keyword(&mut self, base: u32, node: &Node, inst: &Instruction) {
        if inst.kind == InstructionKind::Unknown || inst.keyword.range.is_empty() {
            return;
        }
        let written = node.slice(inst.keyword.range);
        let upper = match self.case {
            KeywordCase::Upper => true,
            KeywordCase::Lower => false,
            KeywordCase::Majority | KeywordCase::Preserve => return,
        };
        let wrong = |b: u8| {
            if upper {
                b.is_ascii_lowercase()
            } else {
                b.is_ascii_uppercase()
            }
        };
        // The keyword range covers the keyword as written on one line; a keyword
        // broken by a continuation (`RU\` + `N`) is left alone.
        if written.bytes().any(wrong) && written.len() == inst.keyword.text.len() {
            let want = if upper {
                written.to_ascii_uppercase()
            } else {
                written.to_ascii_lowercase()
            };
            push(&mut self.edits, base, inst.keyword.range, &want, node);
        }
        // `FROM image AS name`: `AS` in the keywords' case (BuildKit's FromAsCasing).
        if inst.kind == InstructionKind::From
            && let Args::Words(words) = &inst.args
            && words.len() == 3
            && words[1].text.eq_ignore_ascii_case("as")
            && node.slice(words[1].range).len() == 2
        {
            let as_ = if self.case == KeywordCase::Lower {
                "as"
            } else {
                "AS"
            };
            push(&mut self.edits, base, words[1].range, as_, node);
        }
    }

    /// Line-level white space: indentation, trailing white space, blank lines.
    ///
    /// Continuation lines keep their nesting (a nested list of packages stays nested):
    /// the distinct indentations of an instruction's continuation lines, in order,
    /// become one, two, three ... levels; unindented lines go to the first level. Tabs
    /// count as one level's width.
    fn lines(&mut self, base: u32, node: &Node, inst: &Instruction, indent_blank: Option<u32>) {
        // Heredoc bodies start after the header lines; never touch them.
        let header_end = inst
            .heredocs
            .iter()
            .map(|h| h.body.start.min(h.terminator.map_or(u32::MAX, |t| t.start)))
            .min()
            .unwrap_or(node.len());
        let tokens = &node.tokens;
        let text = node.text();
        let escape = self.df.escape();
        let keep = self.keep_multiline;
        let mut quotes = QuoteState::default();
        // Whether the text so far ends with white space, for the glue rule.
        let mut ends_ws = true;
        let mut continuing = false;
        let mut lines = std::mem::take(&mut self.lines);
        lines.clear();
        let mut i = 0usize;
        while i < tokens.len() {
            let mut j = i;
            while j < tokens.len() && tokens[j].kind != TokenKind::Newline {
                j += 1;
            }
            // tokens[i..j] are the line's content tokens; tokens[j] its newline.
            let line = &tokens[i..j];
            let start = line
                .first()
                .or_else(|| tokens.get(j))
                .map_or(node.len(), |t| t.range.start);
            i = j + 1;
            if start >= header_end {
                break;
            }
            let first = lines.is_empty();
            let lead = line
                .first()
                .filter(|t| t.kind == TokenKind::Whitespace)
                .map(|t| t.range);
            let content = if lead.is_some() { &line[1..] } else { line };
            let kind = if first {
                LineKind::First
            } else if content.is_empty() {
                LineKind::Blank
            } else if content.iter().any(|t| t.kind == TokenKind::Comment) {
                LineKind::Comment
            } else {
                LineKind::Text
            };
            // Quotes matter only across line breaks: feed the lines that continue.
            let continues = content.iter().any(|t| t.kind == TokenKind::Continuation);
            let mut movable = matches!(kind, LineKind::Comment | LineKind::Text);
            if kind == LineKind::Text {
                let glued = lead.is_none() && !ends_ws;
                movable = !glued && quotes.is_plain();
                if let Some(r) = lead {
                    if continues {
                        quotes.feed(&text[r.as_usize()], escape);
                    }
                    ends_ws = true;
                }
            }
            let mut trailing = None;
            if matches!(kind, LineKind::First | LineKind::Text) {
                for t in content {
                    match t.kind {
                        TokenKind::Keyword | TokenKind::Text => {
                            let s = &text[t.range.as_usize()];
                            if continues {
                                quotes.feed(s, escape);
                            }
                            if !s.is_empty() {
                                ends_ws = s.ends_with([' ', '\t']);
                            }
                        }
                        TokenKind::Continuation => {
                            // Nothing after the escape character.
                            let r = t.range;
                            let after = TextRange::new(r.start + escape.len_utf8() as u32, r.end);
                            if !after.is_empty() {
                                trailing = Some(after);
                            }
                        }
                        _ => {}
                    }
                }
                // Trailing white space of the instruction's last content line.
                if !continues
                    && let Some(last) = content
                        .last()
                        .filter(|t| matches!(t.kind, TokenKind::Text | TokenKind::Keyword))
                {
                    let s = &text[last.range.as_usize()];
                    let trimmed = s.trim_end_matches([' ', '\t']).len() as u32;
                    let r = TextRange::new(last.range.start + trimmed, last.range.end);
                    if !r.is_empty() {
                        trailing = Some(r);
                    }
                }
                continuing = continues;
            }
            let col = lead.map_or(0, |r| self.width(&text[r.as_usize()]));
            lines.push(LineInfo {
                start,
                lead,
                kind,
                movable,
                col,
                trailing,
            });
        }
        // The distinct indentations of the movable lines, in order: the k-th becomes
        // k+1 levels (unindented lines go to the first level).
        let mut cols = std::mem::take(&mut self.cols);
        cols.clear();
        cols.extend(
            lines
                .iter()
                .filter(|l| l.movable && l.col > 0)
                .map(|l| l.col),
        );
        cols.sort_unstable();
        cols.dedup();
        let level = self.width(&self.indent);
        let mut prev_indent: Option<String> = None;
        for l in &lines {
            let ws = l.lead.unwrap_or(TextRange::empty(l.start));
            match l.kind {
                LineKind::First => {
                    if let Some(r) = l.lead {
                        push(&mut self.edits, base, r, "", node);
                    }
                }
                LineKind::Blank if !keep => {
                    if indent_blank == Some(base + l.start) {
                        let ind = prev_indent.clone().unwrap_or_else(|| self.indent.clone());
                        push(&mut self.edits, base, ws, &ind, node);
                    } else {
                        push(&mut self.edits, base, ws, "", node);
                    }
                }
                LineKind::Comment | LineKind::Text if !keep => {
                    if l.movable {
                        // At most MAX_DEPTH levels: deeper nesting is not written by
                        // people, and the indentation stays small on any input.
                        let rank =
                            cols.binary_search(&l.col).unwrap_or(0).min(MAX_DEPTH - 1) as u32;
                        let col = level * (rank + 1);
                        let ind = self.render_indent(col);
                        push(&mut self.edits, base, ws, &ind, node);
                        prev_indent = Some(ind);
                    } else {
                        prev_indent = None;
                    }
                }
                _ => {}
            }
            if let Some(r) = l.trailing
                && !(keep && l.kind != LineKind::First)
            {
                push(&mut self.edits, base, r, "", node);
            }
        }
        self.lines = lines;
        self.cols = cols;
        // The empty last line of the file, after a continued line: the cursor's line
        // after typing a newline at the end.
        let end = node.len();
        if continuing
            && !keep
            && text.ends_with('\n')
            && indent_blank == Some(base + end)
            && quotes.is_plain()
        {
            let ind = prev_indent.unwrap_or_else(|| self.indent.clone());
            push(&mut self.edits, base, TextRange::empty(end), &ind, node);
        }
    }

    /// The width of leading white space, a tab counting as one level.
    fn width(&self, ws: &str) -> u32 {
        ws.bytes()
            .map(|b| if b == b'\t' { self.tab_width } else { 1 })
            .sum()
    }

    /// White space of `col` columns in the configured style.
    fn render_indent(&self, col: u32) -> String {
        if self.indent == "\t" {
            let tabs = col / self.tab_width;
            let spaces = col % self.tab_width;
            "\t".repeat(tabs as usize) + &" ".repeat(spaces as usize)
        } else {
            " ".repeat(col as usize)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineKind {
    First,
    Blank,
    Comment,
    Text,
}

/// One header line of an instruction (heredoc bodies excluded).
#[derive(Clone, Copy, Debug)]
struct LineInfo {
    start: u32,
    lead: Option<TextRange>,
    kind: LineKind,
    /// Whether its indentation may change (not glued to the previous line, not inside
    /// quotes).
    movable: bool,
    /// Width of its indentation.
    col: u32,
    /// White space to remove at its end.
    trailing: Option<TextRange>,
}

/// The ranges, in order, whose gaps are single spaces when on one line: keyword,
/// flags, and the arguments (each word where BuildKit splits on white space).
fn items_of(inst: &Instruction, out: &mut Vec<TextRange>) {
    out.push(inst.keyword.range);
    out.extend(inst.flags.iter().map(|f| f.range));
    match &inst.args {
        Args::None => {}
        Args::Words(ws) => out.extend(ws.iter().map(|w| w.range)),
        Args::Pairs { pairs, legacy } => {
            if *legacy {
                for p in pairs {
                    out.push(p.key.range);
                    if let Some(v) = &p.value {
                        out.push(v.range);
                    }
                }
            } else {
                out.extend(pairs.iter().map(|p| p.range));
            }
        }
        Args::Healthcheck { kind, command } => {
            out.push(kind.range);
            match &**command {
                Args::Text(w) => out.push(w.range),
                Args::Json { range, .. } => out.push(*range),
                _ => {}
            }
        }
        Args::Onbuild(inner) => items_of(inner, out),
        Args::Json { range, .. } => out.push(*range),
        Args::Text(w) => out.push(w.range),
    }
    // Keep only a strictly increasing sequence (defensive: ranges out of order are
    // never merged).
    let mut last_end = 0;
    out.retain(|r| {
        let ok = r.start >= last_end && !r.is_empty();
        if ok {
            last_end = r.end;
        }
        ok
    });
}

/// The case most known keywords of the file are written in (upper on a tie).
fn majority_case(df: &Dockerfile) -> KeywordCase {
    let (mut upper, mut lower) = (0usize, 0usize);
    for i in df.instructions() {
        if i.inst.kind == InstructionKind::Unknown {
            continue;
        }
        let k = &i.inst.keyword.text;
        if k.bytes().all(|b| b.is_ascii_uppercase()) {
            upper += 1;
        } else if k.bytes().all(|b| b.is_ascii_lowercase()) {
            lower += 1;
        }
    }
    if lower > upper {
        KeywordCase::Lower
    } else {
        KeywordCase::Upper
    }
}

/// Whether the text so far leaves an open quote (or a pending escape) across a line
/// break. Conservative: it knows sh quoting (`'...'`, `"..."`, `$'...'`) with `\` and
/// the Dockerfile's escape character as escapes; where it errs it errs towards
/// "quoted", which only means a line keeps its indentation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct QuoteState {
    quote: Quote,
    escaped: bool,
    /// The previous character was `$` (for `$'...'`).
    dollar: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Quote {
    #[default]
    None,
    Single,
    AnsiC,
    Double,
}

impl QuoteState {
    fn is_plain(&self) -> bool {
        self.quote == Quote::None && !self.escaped
    }

    /// Scans bytes (every character that matters is ASCII), jumping to the next byte
    /// that can change the state.
    fn feed(&mut self, s: &str, escape: char) {
        let b = s.as_bytes();
        let esc = u8::try_from(escape).unwrap_or(b'\\');
        let mut i = 0;
        while i < b.len() {
            if self.escaped {
                self.escaped = false;
                i += 1;
                continue;
            }
            let quote = self.quote;
            let matters = |c: u8| match quote {
                Quote::None => c == b'\\' || c == esc || c == b'\'' || c == b'"',
                Quote::Single => c == b'\'',
                Quote::AnsiC => c == b'\\' || c == esc || c == b'\'',
                Quote::Double => c == b'\\' || c == esc || c == b'"',
            };
            let Some(k) = b[i..].iter().position(|&c| matters(c)) else {
                break;
            };
            i += k;
            let c = b[i];
            // `$'...'`: a `$` right before (an escaped `$` counts too: that errs towards
            // ANSI-C quoting, where fewer quotes close, i.e. towards "quoted").
            let dollar = if i == 0 {
                self.dollar
            } else {
                b[i - 1] == b'$'
            };
            match quote {
                Quote::None if c == b'\'' => {
                    self.quote = if dollar { Quote::AnsiC } else { Quote::Single };
                }
                Quote::None if c == b'"' => self.quote = Quote::Double,
                Quote::Single | Quote::AnsiC if c == b'\'' => self.quote = Quote::None,
                Quote::Double if c == b'"' => self.quote = Quote::None,
                _ => self.escaped = true,
            }
            i += 1;
        }
        if let Some(&last) = b.last() {
            self.dollar = last == b'$' && !self.escaped;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> String {
        format_text(s, &FormatOptions::default())
    }

    #[test]
    fn basics() {
        assert_eq!(fmt("  from  alpine   as b\n"), "FROM alpine AS b\n");
        assert_eq!(fmt("run  echo   hi  \n"), "RUN echo   hi\n");
        assert_eq!(fmt("RUN a \\\nb\n"), "RUN a \\\n    b\n");
        assert_eq!(fmt("RUN a\\\nb\n"), "RUN a\\\nb\n");
        assert_eq!(fmt("RUN echo \"a \\\n  b\"\n"), "RUN echo \"a \\\n  b\"\n");
    }

    fn on_type(text: &str, ch: char) -> String {
        // `text` holds `|` where the cursor is, after the typed character.
        let at = text.find('|').unwrap();
        let clean = text.replace('|', "");
        let df = Dockerfile::parse(&clean);
        let edits = format_on_type(&df, &FormatOptions::default(), at as u32, ch);
        let mut out = apply(&clean, &edits);
        // Show where the cursor lands: after the inserted indentation.
        let shift: isize = edits
            .iter()
            .filter(|e| (e.range.end as usize) <= at)
            .map(|e| e.new_text.len() as isize - e.range.len() as isize)
            .sum();
        out.insert((at as isize + shift) as usize, '|');
        out
    }

    #[test]
    fn on_type_newline_indents_continuation_lines() {
        assert_eq!(on_type("RUN a \\\n|", '\n'), "RUN a \\\n    |");
        assert_eq!(
            on_type("RUN a \\\n  |\nFROM b\n", '\n'),
            "RUN a \\\n    |\nFROM b\n"
        );
        // After the last line of an instruction: back to column 0.
        assert_eq!(
            on_type("RUN a \\\n    b\n    |", '\n'),
            "RUN a \\\n    b\n|"
        );
        // Not inside a heredoc body.
        assert_eq!(
            on_type("RUN <<EOF\n  |\nEOF\n", '\n'),
            "RUN <<EOF\n  |\nEOF\n"
        );
        // Typing the escape character indents the next line of the instruction.
        assert_eq!(on_type("RUN a \\|\nb\n", '\\'), "RUN a \\|\n    b\n");
        assert_eq!(on_type("RUN a \\|", '\\'), "RUN a \\|");
        assert_eq!(on_type("RUN a `|\nb\n", '`'), "RUN a `|\nb\n");
    }

    #[test]
    fn range_formats_whole_touched_lines_only() {
        let text = "from a\nrun  b\ncopy  c d\n";
        let df = Dockerfile::parse(text);
        let edits = format_range(&df, &FormatOptions::default(), TextRange::new(9, 10));
        assert_eq!(apply(text, &edits), "from a\nRUN b\ncopy  c d\n");
    }
}
