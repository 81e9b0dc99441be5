//! Shell analysis of RUN bodies: the POSIX/bash script of each RUN parsed once with
//! `brush-parser` (a real shell parser that keeps source spans), flattened into the
//! simple commands the best-practice rules look at, with every range mapped back to
//! absolute byte offsets of the Dockerfile.
//!
//! What is the script of a RUN:
//! * shell form: the logical line (continuations removed); offsets map back through the
//!   node's tokens, so a word on a continuation line gets its own range;
//! * `RUN <<EOF` / `RUN <<EOF bash` (only heredoc markers and a shell name): the body of
//!   the first heredoc;
//! * `RUN cat <<EOF >/file`: the line, with the heredoc markers blanked (the bodies are
//!   data);
//! * exec form `RUN ["apt-get", "install", "x"]`: one command of the JSON elements;
//! * a stage whose `SHELL` is not a POSIX shell (powershell, cmd): no analysis.
//!
//! Parsing never fails the check: a script the parser rejects yields no commands
//! (`Script::ok` is false), so rules stay silent rather than guess.

use brush_parser::ast;
use docksmith_syntax::{
    Args, Instruction, InstructionKind, InstructionRef, Node, TextRange, TokenKind,
};

use std::borrow::Cow;

use crate::semantics::{Base, Model};

/// A shell word: its text with quotes removed, and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellWord<'a> {
    /// Unquoted (`"a b"` -> `a b`); variable references are kept as written. Borrowed
    /// from the parse when nothing was unquoted (most words).
    pub text: Cow<'a, str>,
    /// Absolute range of the word as written.
    pub range: TextRange,
}

/// A simple command (`apt-get install -y curl`), after any `VAR=value` prefixes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command<'a> {
    /// The command name and its arguments (`words[0]` is the name).
    pub words: Vec<ShellWord<'a>>,
    /// Absolute range from the name to the last argument.
    pub range: TextRange,
    /// Index into [`Script::pipelines`] when the command is part of a pipeline of two
    /// or more commands.
    pub pipeline: Option<usize>,
    /// `NAME=value` assignments before the name (`DEBIAN_FRONTEND=x apt-get ...`).
    pub assignments: Vec<String>,
}

impl<'a> Command<'a> {
    /// The command name without a directory (`/usr/bin/apt-get` -> `apt-get`).
    pub fn name(&self) -> &str {
        let n = self.words.first().map_or("", |w| &*w.text);
        // The basename (`/usr/bin/apt-get` -> `apt-get`); called by every shell rule on
        // every command, so a plain byte scan.
        match n.as_bytes().iter().rposition(|&b| b == b'/') {
            Some(i) => &n[i + 1..],
            None => n,
        }
    }

    pub fn args(&self) -> &[ShellWord<'a>] {
        self.words.get(1..).unwrap_or(&[])
    }

    /// Whether any argument is one of `flags`, also within combined short flags
    /// (`-qy` has `-y`) and as `--flag=value`.
    pub fn has_flag(&self, flags: &[&str]) -> bool {
        self.args().iter().any(|w| flag_matches(&w.text, flags))
    }

    /// The first argument that is not an option (`install` in `apt-get -q install`),
    /// skipping the values of options in `takes_value`.
    pub fn subcommand(&self, takes_value: &[&str]) -> Option<(usize, &ShellWord<'a>)> {
        let mut skip = false;
        for (k, w) in self.args().iter().enumerate() {
            if skip {
                skip = false;
                continue;
            }
            if w.text.starts_with('-') {
                skip = takes_value.contains(&&*w.text);
                continue;
            }
            return Some((k + 1, w));
        }
        None
    }

    /// The non-option arguments after word `from` (package names, for example),
    /// skipping the values of options in `takes_value`.
    pub fn operands(&self, from: usize, takes_value: &[&str]) -> Vec<&ShellWord<'a>> {
        let mut out = Vec::new();
        let mut skip = false;
        for w in self.words.iter().skip(from + 1) {
            if skip {
                skip = false;
                continue;
            }
            if w.text.starts_with('-') {
                skip = takes_value.contains(&&*w.text);
                continue;
            }
            out.push(w);
        }
        out
    }
}

/// Whether an argument is one of `flags` (long as is or with `=value`; a short flag
/// also inside a group such as `-qy`).
pub fn flag_matches(arg: &str, flags: &[&str]) -> bool {
    flags.iter().any(|f| {
        if arg == *f {
            return true;
        }
        if let Some(long) = f.strip_prefix("--") {
            return arg
                .strip_prefix("--")
                .and_then(|a| a.strip_prefix(long))
                .is_some_and(|rest| rest.starts_with('='));
        }
        match (f.strip_prefix('-'), arg.strip_prefix('-')) {
            (Some(fc), Some(a)) if fc.len() == 1 && !a.starts_with('-') && !a.is_empty() => {
                a.chars().all(|c| c.is_ascii_alphabetic()) && a.contains(fc)
            }
            _ => false,
        }
    })
}

/// The analysed script of one RUN.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script<'a> {
    /// Simple commands in source order (those inside `if`, loops, subshells and
    /// brace groups included; command substitutions not).
    pub commands: Vec<Command<'a>>,
    /// Absolute ranges of pipelines of two or more commands.
    pub pipelines: Vec<TextRange>,
    /// False when the shell parser rejected the script (then nothing is known).
    pub ok: bool,
}

impl<'a> Script<'a> {
    /// The same script, owning its words' text.
    pub fn into_owned(self) -> Script<'static> {
        Script {
            commands: self
                .commands
                .into_iter()
                .map(|c| Command {
                    words: c
                        .words
                        .into_iter()
                        .map(|w| ShellWord {
                            text: Cow::Owned(w.text.into_owned()),
                            range: w.range,
                        })
                        .collect(),
                    range: c.range,
                    pipeline: c.pipeline,
                    assignments: c.assignments,
                })
                .collect(),
            pipelines: self.pipelines,
            ok: self.ok,
        }
    }

    /// The commands named `name` (any directory).
    pub fn named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Command<'a>> + 's {
        self.commands.iter().filter(move |c| c.name() == name)
    }
}

/// Parse a script; ranges are byte offsets in `script`, passed through `map`.
///
/// Lists of simple commands (words, quotes, `$(...)`, `${...}`, `&&`, `||`, `;`, `|`,
/// `&`, redirections, comments) take a fast path ([`lex_simple`]) that gives the same
/// result as brush-parser (tested on every real-world RUN); everything else (compound
/// commands, subshells, functions, here-documents, `case`) goes to brush-parser.
pub fn parse<'s>(script: &'s str, map: &dyn Fn(TextRange) -> TextRange) -> Script<'s> {
    if let Some(s) = lex_simple(script, map) {
        return s;
    }
    parse_full(script, map)
}

/// A shell word being read by [`lex_simple`].
struct Pending {
    start: usize,
    /// End of the text read so far, when it is `script[start..end]` (the usual case).
    end: usize,
    /// The text, when its pieces were not contiguous.
    joined: Option<String>,
}

impl Pending {
    fn raw<'s>(&'s self, script: &'s str) -> &'s str {
        match &self.joined {
            Some(j) => j,
            None => script.get(self.start..self.end).unwrap_or(""),
        }
    }

    fn push(&mut self, script: &str, start: usize, end: usize) {
        let piece = script.get(start..end).unwrap_or("");
        match &mut self.joined {
            Some(j) => j.push_str(piece),
            None if start == self.end => self.end = end,
            None => {
                let mut j = self.raw(script).to_string();
                j.push_str(piece);
                self.joined = Some(j);
            }
        }
    }
}

/// The fast path of [`parse`]: `None` when the script needs the full parser.
pub fn lex_simple<'s>(script: &'s str, map: &dyn Fn(TextRange) -> TextRange) -> Option<Script<'s>> {
    const RESERVED: &[&str] = &[
        "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
        "in", "function", "select", "{", "}", "!", "[[", "]]", "time", "coproc",
    ];
    let b = script.as_bytes();
    if b.len() > 1 << 20 {
        return None;
    }
    // At most one command more than there are operators (`&&` counted once; an
    // operator in quotes or in `2>&1` only makes room for one command too many): the
    // scripts are kept for the whole check, so no room for commands never written.
    let mut ops = 0;
    let mut prev = 0u8;
    for &c in b {
        if matches!(c, b';' | b'&' | b'|' | b'\n') && c != prev {
            ops += 1;
        }
        prev = c;
    }
    let mut out = Script {
        commands: Vec::with_capacity(ops + 1),
        ok: true,
        ..Script::default()
    };
    // The current command: words, assignments, whether the next word is a redirect target.
    let mut words: Vec<ShellWord<'s>> = Vec::with_capacity(16);
    let mut assigns: Vec<String> = Vec::new();
    let mut redirect_target = false;
    let mut in_pipe: Option<usize> = None;
    let mut pipe_start: Option<usize> = None;
    let mut cur: Option<Pending> = None;
    let mut i = 0;

    fn finish_word<'s>(
        script: &'s str,
        cur: &mut Option<Pending>,
        end: usize,
        words: &mut Vec<ShellWord<'s>>,
        assigns: &mut Vec<String>,
        redirect_target: &mut bool,
        map: &dyn Fn(TextRange) -> TextRange,
    ) -> Option<()> {
        let Some(p) = cur.take() else { return Some(()) };
        if std::mem::take(redirect_target) {
            return Some(());
        }
        let raw = p.raw(script);
        let text: Cow<'s, str> = match &p.joined {
            None => unquote_cow(script.get(p.start..p.end).unwrap_or("")),
            Some(j) => Cow::Owned(unquote(j)),
        };
        if words.is_empty() {
            if RESERVED.contains(&raw) {
                return None;
            }
            // `NAME=value` before the command name.
            if let Some((name, _)) = raw.split_once('=')
                && !name.is_empty()
                && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
                && !name.as_bytes()[0].is_ascii_digit()
            {
                assigns.push(text.into_owned());
                return Some(());
            }
        }
        let range = map(TextRange::new(
            u32::try_from(p.start).ok()?,
            u32::try_from(end).ok()?,
        ));
        words.push(ShellWord { text, range });
        Some(())
    }

    let end_command = |words: &mut Vec<ShellWord<'s>>,
                       assigns: &mut Vec<String>,
                       out: &mut Script<'s>,
                       pipeline: Option<usize>| {
        let a = std::mem::take(assigns);
        if words.is_empty() {
            return;
        }
        // An exact-size copy; the buffer is reused for the next command.
        let mut w: Vec<ShellWord<'s>> = Vec::with_capacity(words.len());
        w.append(words);
        let range = TextRange::new(
            w[0].range.start,
            w[w.len() - 1].range.end.max(w[0].range.start),
        );
        out.commands.push(Command {
            words: w,
            range,
            pipeline,
            assignments: a,
        });
    };

    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' => {
                finish_word(
                    script,
                    &mut cur,
                    i,
                    &mut words,
                    &mut assigns,
                    &mut redirect_target,
                    map,
                )?;
                i += 1;
            }
            // Line continuations (in heredoc bodies): the full parser.
            b'\\' if b.get(i + 1) == Some(&b'\n') => return None,
            b'#' if cur.is_none() => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'\n' | b';' | b'&' | b'|' => {
                finish_word(
                    script,
                    &mut cur,
                    i,
                    &mut words,
                    &mut assigns,
                    &mut redirect_target,
                    map,
                )?;
                if redirect_target {
                    return None;
                }
                let two = b.get(i + 1).copied();
                let op_len = if (c == b'&' || c == b'|' || c == b';') && two == Some(c) {
                    2
                } else {
                    1
                };
                if c == b';' && op_len == 2 {
                    return None; // `;;` belongs to case
                }
                if c == b'&' && two == Some(b'>') {
                    // `&>file`
                    redirect_target = true;
                    i += if b.get(i + 2) == Some(&b'>') { 3 } else { 2 };
                    continue;
                }
                if c == b'|' && op_len == 1 {
                    // A pipe: this command and the next belong to one pipeline.
                    if words.is_empty() {
                        return None;
                    }
                    let id = match in_pipe {
                        Some(id) => id,
                        None => {
                            out.pipelines
                                .push(TextRange::new(words[0].range.start, words[0].range.start));
                            pipe_start = Some(out.commands.len());
                            out.pipelines.len() - 1
                        }
                    };
                    in_pipe = Some(id);
                    end_command(&mut words, &mut assigns, &mut out, Some(id));
                } else {
                    let p = in_pipe.take();
                    end_command(&mut words, &mut assigns, &mut out, p);
                    if let (Some(id), Some(_)) = (p, pipe_start.take()) {
                        let end = out.commands.last().map_or(0, |c| c.range.end);
                        if let Some(r) = out.pipelines.get_mut(id) {
                            *r = TextRange::new(r.start, end.max(r.start));
                        }
                    }
                }
                i += op_len;
            }
            b'(' | b')' | b'{' | b'}' | b'`' if cur.is_none() => return None,
            b'<' | b'>' => {
                // Redirection: `[n]>`, `>>`, `<`, `>&n`, `<>`; `<<` (here-document) and
                // `<(` (process substitution) need the full parser.
                if b.get(i + 1) == Some(&b'<') || b.get(i + 1) == Some(&b'(') {
                    return None;
                }
                // A word of digits right before is the file descriptor.
                if let Some(p) = &cur {
                    if !p.raw(script).bytes().all(|d| d.is_ascii_digit()) {
                        finish_word(
                            script,
                            &mut cur,
                            i,
                            &mut words,
                            &mut assigns,
                            &mut redirect_target,
                            map,
                        )?;
                    } else {
                        cur = None;
                    }
                }
                if redirect_target {
                    return None;
                }
                i += 1;
                if matches!(b.get(i), Some(b'>' | b'&' | b'|')) {
                    i += 1;
                }
                redirect_target = true;
            }
            _ => {
                // A word: read through quotes and expansions.
                let start = i;
                let mut j = i;
                while j < b.len() {
                    match b[j] {
                        b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' => break,
                        b'(' | b')' | b'`' | b'{' | b'}' => {
                            // `{`/`}` inside a word (`a{b,c}`) is fine; parens are not.
                            if matches!(b[j], b'(' | b')' | b'`') {
                                return None;
                            }
                            j += 1;
                        }
                        b'\\' => j += 2,
                        b'\'' => {
                            j += 1;
                            while j < b.len() && b[j] != b'\'' {
                                j += 1;
                            }
                            if j >= b.len() {
                                return None;
                            }
                            j += 1;
                        }
                        b'"' => {
                            j += 1;
                            while j < b.len() && b[j] != b'"' {
                                match b[j] {
                                    b'\\' => j += 2,
                                    b'`' => return None,
                                    b'$' if b.get(j + 1) == Some(&b'(') => {
                                        j = skip_parens(b, j + 1)?
                                    }
                                    _ => j += 1,
                                }
                            }
                            if j >= b.len() {
                                return None;
                            }
                            j += 1;
                        }
                        b'$' => match b.get(j + 1) {
                            Some(b'(') => j = skip_parens(b, j + 1)?,
                            Some(b'{') => {
                                j += 2;
                                while j < b.len() && b[j] != b'}' {
                                    if matches!(b[j], b'\'' | b'"' | b'$' | b'`' | b'\n') {
                                        return None;
                                    }
                                    j += 1;
                                }
                                if j >= b.len() {
                                    return None;
                                }
                                j += 1;
                            }
                            _ => j += 1,
                        },
                        _ => j += 1,
                    }
                }
                let j = j.min(b.len());
                script.get(start..j)?;
                match &mut cur {
                    Some(p) => p.push(script, start, j),
                    None => {
                        cur = Some(Pending {
                            start,
                            end: j,
                            joined: None,
                        })
                    }
                }
                i = j;
            }
        }
    }
    finish_word(
        script,
        &mut cur,
        b.len(),
        &mut words,
        &mut assigns,
        &mut redirect_target,
        map,
    )?;
    if redirect_target {
        return None;
    }
    let p = in_pipe.take();
    end_command(&mut words, &mut assigns, &mut out, p);
    if let Some(id) = p {
        let end = out.commands.last().map_or(0, |c| c.range.end);
        if let Some(r) = out.pipelines.get_mut(id) {
            *r = TextRange::new(r.start, end.max(r.start));
        }
    }
    Some(out)
}

/// From the `(` of `$(` to after its matching `)`; `None` for anything the fast path
/// does not follow (quotes, nested backticks, `case` inside).
fn skip_parens(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = open;
    while j < b.len() {
        match b[j] {
            b'(' => depth += 1,
            b')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(j + 1);
                }
            }
            b'\'' | b'"' | b'`' | b'\\' | b'#' => return None,
            _ => {}
        }
        j += 1;
    }
    None
}

/// The full parser: brush-parser.
pub fn parse_full<'s>(script: &str, map: &dyn Fn(TextRange) -> TextRange) -> Script<'s> {
    let opts = brush_parser::ParserOptions {
        enable_extended_globbing: false,
        tilde_expansion_at_word_start: false,
        ..Default::default()
    };
    let mut parser = brush_parser::Parser::new(std::io::Cursor::new(script.as_bytes()), &opts);
    let Ok(program) = parser.parse_program() else {
        return Script::default();
    };
    let chars = CharIndex::new(script);
    let mut w = Walker {
        out: Script {
            ok: true,
            ..Script::default()
        },
        chars: &chars,
        map,
        budget: 100_000,
    };
    for cc in &program.complete_commands {
        w.list(cc);
    }
    w.out
}

/// brush-parser counts characters; we speak bytes.
struct CharIndex {
    /// Byte offset of each character (plus the end), when the text is not ASCII.
    bytes: Option<Vec<u32>>,
    len: u32,
}

impl CharIndex {
    fn new(s: &str) -> Self {
        let len = u32::try_from(s.len()).unwrap_or(u32::MAX);
        if s.is_ascii() {
            return CharIndex { bytes: None, len };
        }
        let mut v: Vec<u32> = s
            .char_indices()
            .map(|(b, _)| u32::try_from(b).unwrap_or(u32::MAX))
            .collect();
        v.push(len);
        CharIndex {
            bytes: Some(v),
            len,
        }
    }

    fn byte(&self, ch: usize) -> u32 {
        match &self.bytes {
            None => u32::try_from(ch).unwrap_or(u32::MAX).min(self.len),
            Some(v) => v.get(ch).copied().unwrap_or(self.len),
        }
    }
}

struct Walker<'a> {
    out: Script<'static>,
    chars: &'a CharIndex,
    map: &'a dyn Fn(TextRange) -> TextRange,
    /// Bounded work on deeply nested input.
    budget: u32,
}

impl Walker<'_> {
    fn span(&self, s: &brush_parser::SourceSpan) -> TextRange {
        let a = self.chars.byte(s.start.index);
        let b = self.chars.byte(s.end.index).max(a);
        (self.map)(TextRange::new(a, b))
    }

    fn word(&self, w: &ast::Word) -> Option<ShellWord<'static>> {
        let loc = w.loc.as_ref()?;
        Some(ShellWord {
            text: Cow::Owned(unquote(&w.value)),
            range: self.span(loc),
        })
    }

    fn list(&mut self, l: &ast::CompoundList) {
        for item in &l.0 {
            self.and_or(&item.0);
        }
    }

    fn and_or(&mut self, l: &ast::AndOrList) {
        self.pipeline(&l.first);
        for a in &l.additional {
            match a {
                ast::AndOr::And(p) | ast::AndOr::Or(p) => self.pipeline(p),
            }
        }
    }

    fn pipeline(&mut self, p: &ast::Pipeline) {
        // A pipeline spans its commands' words (from the first word of its first
        // simple command to the last word of its last one).
        let id = (p.seq.len() > 1).then(|| {
            self.out.pipelines.push(TextRange::empty(0));
            self.out.pipelines.len() - 1
        });
        let first = self.out.commands.len();
        for c in &p.seq {
            self.command(c, id);
        }
        if let Some(id) = id {
            let cmds = &self.out.commands[first..];
            let range = match (cmds.first(), cmds.last()) {
                (Some(a), Some(b)) => TextRange::new(a.range.start, b.range.end.max(a.range.start)),
                _ => (self.map)(TextRange::new(0, self.chars.len)),
            };
            self.out.pipelines[id] = range;
        }
    }

    fn command(&mut self, c: &ast::Command, pipeline: Option<usize>) {
        if self.budget == 0 {
            return;
        }
        self.budget -= 1;
        match c {
            ast::Command::Simple(s) => self.simple(s, pipeline),
            ast::Command::Compound(cc, _) => self.compound(cc),
            ast::Command::Function(f) => self.compound(&f.body.0),
            ast::Command::ExtendedTest(..) => {}
        }
    }

    fn compound(&mut self, c: &ast::CompoundCommand) {
        match c {
            ast::CompoundCommand::BraceGroup(b) => self.list(&b.list),
            ast::CompoundCommand::Subshell(s) => self.list(&s.list),
            ast::CompoundCommand::ForClause(f) => self.list(&f.body.list),
            ast::CompoundCommand::ArithmeticForClause(f) => self.list(&f.body.list),
            ast::CompoundCommand::CaseClause(cc) => {
                for item in &cc.cases {
                    if let Some(l) = &item.cmd {
                        self.list(l);
                    }
                }
            }
            ast::CompoundCommand::IfClause(i) => {
                self.list(&i.condition);
                self.list(&i.then);
                for e in i.elses.iter().flatten() {
                    if let Some(c) = &e.condition {
                        self.list(c);
                    }
                    self.list(&e.body);
                }
            }
            ast::CompoundCommand::WhileClause(w) | ast::CompoundCommand::UntilClause(w) => {
                self.list(&w.0);
                self.list(&w.1.list);
            }
            ast::CompoundCommand::Coprocess(cp) => self.command(&cp.body, None),
            ast::CompoundCommand::Arithmetic(_) => {}
        }
    }

    fn simple(&mut self, s: &ast::SimpleCommand, pipeline: Option<usize>) {
        let mut words = Vec::new();
        let assignments: Vec<String> = s
            .prefix
            .iter()
            .flat_map(|p| p.0.iter())
            .filter_map(|item| match item {
                ast::CommandPrefixOrSuffixItem::AssignmentWord(_, w) => Some(unquote(&w.value)),
                _ => None,
            })
            .collect();
        if let Some(w) = &s.word_or_name {
            words.extend(self.word(w));
        }
        for item in s.suffix.iter().flat_map(|x| x.0.iter()) {
            match item {
                // `export A=1`, `env A=1 cmd`: the assignment is an argument.
                ast::CommandPrefixOrSuffixItem::Word(w)
                | ast::CommandPrefixOrSuffixItem::AssignmentWord(_, w) => {
                    words.extend(self.word(w));
                }
                _ => {}
            }
        }
        let Some(first) = words.first() else {
            return;
        };
        let end = words.last().map_or(first.range.end, |w| w.range.end);
        let range = TextRange::new(first.range.start, end.max(first.range.start));
        self.out.commands.push(Command {
            words,
            range,
            pipeline,
            assignments,
        });
    }
}

/// [`unquote`], borrowing `s` when there is nothing to remove.
fn unquote_cow(s: &str) -> Cow<'_, str> {
    if s.contains(['\'', '"', '\\']) {
        Cow::Owned(unquote(s))
    } else {
        Cow::Borrowed(s)
    }
}

/// Remove shell quoting: `'...'` literally, `"..."` with `\` escaping `$`, `` ` ``, `"`,
/// `\`; `\x` outside quotes is `x`.
pub fn unquote(s: &str) -> String {
    if !s.contains(['\'', '"', '\\']) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    let (mut sq, mut dq) = (false, false);
    while let Some(c) = it.next() {
        match c {
            '\'' if !dq => sq = !sq,
            '"' if !sq => dq = !dq,
            '\\' if !sq => match it.peek().copied() {
                Some(n) if !dq || matches!(n, '$' | '`' | '"' | '\\') => {
                    out.push(n);
                    it.next();
                }
                Some('\n') => {
                    it.next();
                }
                _ => out.push('\\'),
            },
            _ => out.push(c),
        }
    }
    out
}

/// The shells whose syntax we analyse (by program name).
fn is_posix_shell(prog: &str) -> bool {
    let name = prog.rsplit(['/', '\\']).next().unwrap_or(prog);
    matches!(
        name,
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh" | "busybox"
    )
}

/// Per instruction (parallel to `insts`): the analysed script of each RUN (also
/// `ONBUILD RUN`), `None` for other instructions and for RUNs in a non-POSIX `SHELL`.
pub fn scripts<'a>(insts: &[InstructionRef<'a>], model: &Model) -> Vec<Option<Script<'a>>> {
    let mut out = Vec::with_capacity(insts.len());
    // The shell in force: true while it is a POSIX shell.
    let mut posix = true;
    let mut stage_shell: Vec<bool> = Vec::with_capacity(model.stages.len());
    // The logical-line map of each RUN, one buffer for all.
    let mut segs = Vec::new();
    for i in insts {
        match i.inst.kind {
            InstructionKind::From => {
                let sid = model.node_stage.get(i.index).copied().flatten();
                posix = match sid.and_then(|s| model.stages.get(s)).map(|s| &s.base) {
                    Some(Base::Stage(b)) => stage_shell.get(*b).copied().unwrap_or(true),
                    _ => true,
                };
                if let Some(s) = sid {
                    stage_shell.resize(s + 1, true);
                }
                out.push(None);
            }
            InstructionKind::Shell => {
                if let Args::Json { elements, .. } = &i.inst.args {
                    posix = elements.first().is_some_and(|e| is_posix_shell(&e.text));
                }
                if let Some(s) = model.node_stage.get(i.index).copied().flatten()
                    && let Some(v) = stage_shell.get_mut(s)
                {
                    *v = posix;
                }
                out.push(None);
            }
            InstructionKind::Run if posix => out.push(Some(run_script(i, i.inst, &mut segs))),
            InstructionKind::Onbuild if posix => out.push(
                i.inst
                    .trigger()
                    .filter(|t| t.kind == InstructionKind::Run)
                    .map(|t| run_script(i, t, &mut segs)),
            ),
            _ => out.push(None),
        }
    }
    out
}

/// [`scripts`] without the model, when it does not need it: when no SHELL
/// instruction of `insts` sets a shell that is not a POSIX one, every RUN is in a
/// POSIX shell whatever the stages' bases are (`None` otherwise). So the shell
/// analysis can run while the model is built.
pub(crate) fn scripts_without_model<'a>(
    insts: &[InstructionRef<'a>],
) -> Option<Vec<Option<Script<'a>>>> {
    let other_shell = insts.iter().any(|i| {
        i.inst.kind == InstructionKind::Shell
            && matches!(&i.inst.args, Args::Json { elements, .. }
                if !elements.first().is_some_and(|e| is_posix_shell(&e.text)))
    });
    // An empty model: no stage is known, so every FROM starts in a POSIX shell, as
    // every SHELL keeps it.
    (!other_shell).then(|| scripts(insts, &Model::default()))
}

/// The script of one RUN or ONBUILD RUN instruction, as [`scripts`] gives it when the
/// shell in force is a POSIX one.
pub(crate) fn run<'a>(i: &InstructionRef<'a>) -> Option<Script<'a>> {
    match i.inst.kind {
        InstructionKind::Run => Some(run_script(i, i.inst, &mut Vec::new())),
        InstructionKind::Onbuild => i
            .inst
            .trigger()
            .filter(|t| t.kind == InstructionKind::Run)
            .map(|t| run_script(i, t, &mut Vec::new())),
        _ => None,
    }
}

/// One segment of the logical line: logical offset, node offset, length.
#[derive(Clone, Copy)]
struct Seg {
    logical: u32,
    orig: u32,
    len: u32,
}

/// The map from the logical line to node offsets, rebuilt from the node's tokens and
/// checked against the parser's logical line, into `segs` (false when they differ).
fn logical_map(node: &Node, inst: &Instruction, segs: &mut Vec<Seg>) -> bool {
    segs.clear();
    let mut len = 0u32;
    let toks = &node.tokens;
    for (k, t) in toks.iter().enumerate() {
        let keep = match t.kind {
            TokenKind::Keyword | TokenKind::Text => true,
            TokenKind::Whitespace => {
                let prev = k.checked_sub(1).map(|p| toks[p].kind);
                let next = toks.get(k + 1).map(|n| n.kind);
                // Leading white space before the keyword and blank lines are not part
                // of the logical line; white space after the keyword and the leading
                // white space of continuation lines are.
                prev.is_some()
                    && !matches!(next, Some(TokenKind::Newline | TokenKind::Comment) | None)
            }
            _ => false,
        };
        if keep && !t.range.is_empty() {
            segs.push(Seg {
                logical: len,
                orig: t.range.start,
                len: t.range.len(),
            });
            len += t.range.len();
        }
        if matches!(t.kind, TokenKind::HeredocBody | TokenKind::HeredocEnd) {
            break;
        }
    }
    // The segments, joined, must be the parser's logical line.
    let logical = inst.logical.as_bytes();
    let mut at = 0usize;
    for s in segs.iter() {
        let piece = node
            .slice(TextRange::new(s.orig, s.orig + s.len))
            .as_bytes();
        if logical.get(at..at + piece.len()) != Some(piece) {
            return false;
        }
        at += piece.len();
    }
    at == logical.len()
}

fn to_logical(segs: &[Seg], orig: u32) -> Option<u32> {
    segs.iter()
        .find(|s| orig >= s.orig && orig < s.orig + s.len)
        .map(|s| s.logical + (orig - s.orig))
}

fn to_orig(segs: &[Seg], l: u32, end: bool) -> u32 {
    let probe = if end && l > 0 { l - 1 } else { l };
    let i = segs.partition_point(|s| s.logical <= probe);
    match i.checked_sub(1).map(|k| segs[k]) {
        Some(s) if probe < s.logical + s.len => {
            s.orig + (probe - s.logical) + u32::from(end && l > 0)
        }
        Some(s) => s.orig + s.len,
        None => segs.first().map_or(0, |s| s.orig),
    }
}

/// The script of one RUN (`inst` is the RUN itself or an ONBUILD trigger); `segs` is
/// a buffer for the logical-line map.
fn run_script<'a>(
    i: &InstructionRef<'a>,
    inst: &'a Instruction,
    segs: &mut Vec<Seg>,
) -> Script<'a> {
    let base = i.base;
    match &inst.args {
        Args::Json { elements, .. } => {
            let words: Vec<ShellWord<'a>> = elements
                .iter()
                .map(|e| ShellWord {
                    text: Cow::Borrowed(e.text.as_str()),
                    range: i.abs(e.range),
                })
                .collect();
            let Some(first) = words.first() else {
                return Script::default();
            };
            let range = TextRange::new(
                first.range.start,
                words.last().map_or(first.range.end, |w| w.range.end),
            );
            // `["sh", "-c", "script"]`: the script is the third element; not mapped
            // finer than the element.
            if is_posix_shell(&first.text)
                && words.get(1).is_some_and(|w| w.text == "-c")
                && let (Some(s), Some(e)) = (words.get(2), elements.get(2))
            {
                let r = s.range;
                return parse(&e.text, &move |_| r);
            }
            Script {
                commands: vec![Command {
                    words,
                    range,
                    pipeline: None,
                    assignments: Vec::new(),
                }],
                pipelines: Vec::new(),
                ok: true,
            }
        }
        Args::Text(word) => {
            let segs = logical_map(i.node, i.inst, segs).then_some(&segs[..]);
            let wstart = segs.as_ref().and_then(|s| to_logical(s, word.range.start));
            let exact = match (&segs, wstart) {
                (Some(_), Some(ws)) => i
                    .inst
                    .logical
                    .get(ws as usize..ws as usize + word.text.len())
                    .is_some_and(|t| t == word.text),
                _ => false,
            };
            let whole = i.abs(word.range);
            let mapper = |r: TextRange| -> TextRange {
                match (&segs, wstart) {
                    (Some(s), Some(ws)) if exact => {
                        let a = to_orig(s, ws + r.start, false);
                        let b = to_orig(s, ws + r.end, true).max(a);
                        TextRange::new(a + base, b + base)
                    }
                    _ => whole,
                }
            };
            if inst.heredocs.is_empty() {
                return parse(&word.text, &mapper);
            }
            // Heredocs: the body is the script when the line is only markers and a
            // shell; otherwise the bodies are data and the markers are blanked.
            let mut text = word.text.clone();
            let mut only_markers = true;
            let mut marker_spans = Vec::new();
            for h in &inst.heredocs {
                match (exact, &segs, wstart) {
                    (true, Some(s), Some(ws)) => match to_logical(s, h.marker.start) {
                        Some(l) if l >= ws => {
                            let a = (l - ws) as usize;
                            let b = (a + h.marker.len() as usize).min(text.len());
                            marker_spans.push((a, b));
                        }
                        _ => return Script::default(),
                    },
                    _ => return Script::default(),
                }
            }
            for &(a, b) in &marker_spans {
                if let Some(seg) = text.get_mut(a..b) {
                    // Blank it (ASCII spaces keep every offset).
                    let blank = " ".repeat(seg.len());
                    text.replace_range(a..b, &blank);
                }
            }
            for w in text.split_whitespace() {
                if !(is_posix_shell(w) || w.starts_with('-')) {
                    only_markers = false;
                }
            }
            if only_markers && let Some(h) = inst.heredocs.first() {
                let body = i.node.slice(h.body);
                let start = h.body.start + base;
                return parse(body, &move |r: TextRange| r.offset(start));
            }
            parse(&text, &mapper).into_owned()
        }
        _ => Script::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use docksmith_syntax::Dockerfile;

    /// Every command of every RUN as `name arg...` with the text at its range.
    fn commands(src: &str) -> Vec<String> {
        let df = Dockerfile::parse(src);
        let model = Model::build(&df);
        let insts: Vec<_> = df.instructions().collect();
        let mut out = Vec::new();
        for s in scripts(&insts, &model).into_iter().flatten() {
            if !s.ok {
                out.push("<parse error>".to_string());
            }
            for c in &s.commands {
                let ws: Vec<String> = c
                    .words
                    .iter()
                    .map(|w| {
                        let r = w.range.as_usize();
                        format!("{}@{}", w.text, &src[r])
                    })
                    .collect();
                let p = if c.pipeline.is_some() { " |" } else { "" };
                out.push(format!("{}{p}", ws.join(" ")));
            }
        }
        out
    }

    #[test]
    fn simple_commands_with_ranges_across_continuations() {
        let src = "FROM a\nRUN apt-get update && \\\n  # comment\n  apt-get install -y \"curl\" \\\n\n   wget\n";
        assert_eq!(
            commands(src),
            [
                "apt-get@apt-get update@update",
                "apt-get@apt-get install@install -y@-y curl@\"curl\" wget@wget"
            ]
        );
    }

    #[test]
    fn pipes_compound_commands_and_assignments() {
        let src = "FROM a\nRUN X=1 curl -s u | sh; if true; then (cd /x && make); fi\n";
        assert_eq!(
            commands(src),
            [
                "curl@curl -s@-s u@u |",
                "sh@sh |",
                "true@true",
                "cd@cd /x@/x",
                "make@make"
            ]
        );
    }

    #[test]
    fn heredocs_exec_form_and_shells() {
        let src = "FROM a\nRUN <<EOF bash\napt-get install x\nEOF\nRUN cat <<EOF > /f\nnot a command\nEOF\nRUN [\"apk\", \"add\", \"x\"]\nSHELL [\"pwsh\", \"-c\"]\nRUN Get-Thing | x\nFROM a\nRUN ééé x\n";
        assert_eq!(
            commands(src),
            [
                "apt-get@apt-get install@install x@x",
                "cat@cat",
                "apk@\"apk\" add@\"add\" x@\"x\"",
                "ééé@ééé x@x"
            ]
        );
    }

    #[test]
    fn onbuild_and_parse_errors() {
        let src = "FROM a\nONBUILD RUN sudo x\nRUN if then fi (\n";
        assert_eq!(commands(src), ["sudo@sudo x@x", "<parse error>"]);
    }

    #[test]
    fn flags() {
        assert!(flag_matches("-qy", &["-y"]));
        assert!(flag_matches("--yes", &["--yes"]));
        assert!(flag_matches("--no-cache-dir=1", &["--no-cache-dir"]));
        assert!(!flag_matches("--yesno", &["--yes"]));
        assert!(!flag_matches("-q", &["-y"]));
        assert_eq!(unquote(r#"a"b c"'d'\e"#), "ab cde");
    }
}
