//! The data a parse produces. Every range in these types is relative to the start of
//! the [`Node`] that holds it.

use crate::TextRange;

/// What a token is. Tokens are coarse (one per physical piece of a line); the fine
/// structure of an instruction is in its [`Instruction`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// The UTF-8 byte-order mark at the start of the file.
    Bom,
    /// Spaces and tabs (and other non-newline white space).
    Whitespace,
    /// `\n`, `\r\n`, or any run of `\r` before a `\n` (or at the end of the file).
    Newline,
    /// A `#` comment line (at top level or inside a continuation).
    Comment,
    /// A parser directive line (`# syntax=...`, `# escape=...`, `# check=...`).
    Directive,
    /// The instruction keyword, when it sits on the instruction's first line.
    Keyword,
    /// Instruction text (flags and arguments) on one physical line.
    Text,
    /// The escape character that continues a line, with the spaces after it.
    Continuation,
    /// One line of a heredoc body (without its newline).
    HeredocBody,
    /// The line that ends a heredoc (without its newline).
    HeredocEnd,
}

/// One token: a kind and its range (relative to the node).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub range: TextRange,
}

/// What a top-level node is. Nodes tile the file: every byte belongs to exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// The byte-order mark.
    Bom,
    /// A line holding only white space.
    Blank,
    /// A comment line outside any instruction.
    Comment,
    /// A parser directive line.
    Directive,
    /// An instruction, with its continuation lines, the comments and blank lines
    /// inside them, and its heredoc bodies.
    Instruction,
}

/// How bad a syntax error is for BuildKit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// BuildKit's parser rejects the file (`docker build` fails before anything runs).
    Parse,
    /// BuildKit's parser accepts the file but the instruction is rejected when it is
    /// interpreted (for example an unknown instruction).
    Instruction,
}

/// A syntax error: a message and the byte range it applies to. Inside a node the range
/// is relative; [`Dockerfile::errors`](crate::Dockerfile::errors) returns absolute ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
    pub kind: ErrorKind,
}

impl SyntaxError {
    pub(crate) fn parse(range: TextRange, message: impl Into<String>) -> Self {
        Self {
            range,
            message: message.into(),
            kind: ErrorKind::Parse,
        }
    }
}

/// A parser directive (`# key=value` at the top of the file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// The key, lower-cased: `syntax`, `escape` or `check`.
    pub name: String,
    pub name_range: TextRange,
    pub value: String,
    pub value_range: TextRange,
    /// False for a duplicate or an invalid escape value (it has an error then).
    pub applied: bool,
}

/// The instructions BuildKit knows, and `Unknown` for anything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InstructionKind {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    Unknown,
}

impl InstructionKind {
    pub const ALL: [InstructionKind; 18] = [
        Self::Add,
        Self::Arg,
        Self::Cmd,
        Self::Copy,
        Self::Entrypoint,
        Self::Env,
        Self::Expose,
        Self::From,
        Self::Healthcheck,
        Self::Label,
        Self::Maintainer,
        Self::Onbuild,
        Self::Run,
        Self::Shell,
        Self::Stopsignal,
        Self::User,
        Self::Volume,
        Self::Workdir,
    ];

    /// The keyword in upper case (`"UNKNOWN"` for [`InstructionKind::Unknown`]).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Add => "ADD",
            Self::Arg => "ARG",
            Self::Cmd => "CMD",
            Self::Copy => "COPY",
            Self::Entrypoint => "ENTRYPOINT",
            Self::Env => "ENV",
            Self::Expose => "EXPOSE",
            Self::From => "FROM",
            Self::Healthcheck => "HEALTHCHECK",
            Self::Label => "LABEL",
            Self::Maintainer => "MAINTAINER",
            Self::Onbuild => "ONBUILD",
            Self::Run => "RUN",
            Self::Shell => "SHELL",
            Self::Stopsignal => "STOPSIGNAL",
            Self::User => "USER",
            Self::Volume => "VOLUME",
            Self::Workdir => "WORKDIR",
            Self::Unknown => "UNKNOWN",
        }
    }

    /// Look a keyword up, case-insensitively as BuildKit does.
    pub fn from_keyword(word: &str) -> Self {
        // The common case: an ASCII keyword, told apart by its length and first letter
        // (upper-cased: `c & !0x20` upper-cases a lower-case letter and equals an
        // upper-case letter for no other byte), then compared.
        if word.is_ascii() {
            use InstructionKind as K;
            let b = word.as_bytes();
            let first = b.first().map_or(0, |c| c & !0x20);
            let candidate = match (b.len(), first) {
                (3, b'A') => {
                    if b[1] & !0x20 == b'D' {
                        K::Add
                    } else {
                        K::Arg
                    }
                }
                (3, b'C') => K::Cmd,
                (3, b'E') => K::Env,
                (3, b'R') => K::Run,
                (4, b'C') => K::Copy,
                (4, b'F') => K::From,
                (4, b'U') => K::User,
                (5, b'L') => K::Label,
                (5, b'S') => K::Shell,
                (6, b'E') => K::Expose,
                (6, b'V') => K::Volume,
                (7, b'O') => K::Onbuild,
                (7, b'W') => K::Workdir,
                (10, b'E') => K::Entrypoint,
                (10, b'M') => K::Maintainer,
                (10, b'S') => K::Stopsignal,
                (11, b'H') => K::Healthcheck,
                _ => return K::Unknown,
            };
            let name = candidate.name().as_bytes();
            return if b.iter().zip(name).all(|(c, n)| c & !0x20 == *n) {
                candidate
            } else {
                K::Unknown
            };
        }
        let find = |w: &str| {
            Self::ALL
                .into_iter()
                .find(|k| k.name().eq_ignore_ascii_case(w))
        };
        if word.is_ascii() {
            return find(word).unwrap_or(Self::Unknown);
        }
        // Go's strings.ToLower maps e.g. the Kelvin sign to 'k'.
        find(&word.to_lowercase()).unwrap_or(Self::Unknown)
    }

    /// Whether BuildKit expands `$VAR` in this instruction's arguments itself.
    pub const fn expands_variables(self) -> bool {
        matches!(
            self,
            Self::Add
                | Self::Arg
                | Self::Copy
                | Self::Env
                | Self::Expose
                | Self::From
                | Self::Label
                | Self::Stopsignal
                | Self::User
                | Self::Volume
                | Self::Workdir
        )
    }
}

/// A piece of instruction text with its range. `text` is the logical text: with line
/// continuations removed, quotes and escapes kept as written (for JSON strings and
/// flag values: decoded).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Word {
    pub range: TextRange,
    pub text: String,
}

/// A `--name[=value]` flag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    /// The whole flag as written.
    pub range: TextRange,
    /// The name without the leading `--`.
    pub name: String,
    pub name_range: TextRange,
    /// The value after `=`, quotes removed and escapes processed (as BuildKit does);
    /// `None` for a bare `--name`.
    pub value: Option<String>,
    pub value_range: Option<TextRange>,
    /// The flag as BuildKit records it: `--name=value` with quotes processed.
    pub processed: String,
}

/// One `key=value` (or legacy `key value`) pair of ENV, LABEL or ARG.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    /// The whole pair.
    pub range: TextRange,
    /// The key as written (quotes kept).
    pub key: Word,
    /// The `=` sign, when there is one.
    pub equals: Option<TextRange>,
    /// The value as written (quotes kept); `None` for an `ARG name` with no default.
    pub value: Option<Word>,
}

/// How an instruction's arguments were read (BuildKit's dispatch table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Args {
    /// No arguments.
    None,
    /// White-space separated words (FROM, EXPOSE, shell-form ADD/COPY/VOLUME, and the
    /// quote-aware words of ARG).
    Words(Vec<Word>),
    /// The exec (JSON array) form; `range` covers the array from `[` to `]`.
    Json {
        range: TextRange,
        elements: Vec<Word>,
    },
    /// The rest of the line as one piece: shell-form RUN/CMD/ENTRYPOINT/SHELL, USER,
    /// WORKDIR, MAINTAINER, STOPSIGNAL, and the text of unknown instructions.
    Text(Word),
    /// ENV and LABEL pairs; `legacy` for the `ENV key value` form.
    Pairs { pairs: Vec<KeyValue>, legacy: bool },
    /// HEALTHCHECK: the type word (`CMD`, `NONE`, ...) and the command.
    Healthcheck { kind: Word, command: Box<Args> },
    /// ONBUILD: the trigger instruction.
    Onbuild(Box<Instruction>),
}

/// A heredoc (`<<EOF` ... `EOF`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// The marker word as written (`<<-"EOF"`).
    pub marker: TextRange,
    /// The delimiter, unquoted.
    pub name: String,
    /// Where the delimiter's text sits inside the marker (quotes included).
    pub name_range: TextRange,
    /// `<<-`: leading tabs are stripped from the body and the terminator.
    pub chomp: bool,
    /// False when any part of the delimiter was quoted: no variable expansion.
    pub expand: bool,
    /// The file descriptor prefix (`3<<EOF`), 0 when absent.
    pub fd: u32,
    /// The body lines, newlines included (empty range for an empty body).
    pub body: TextRange,
    /// The terminator line (without its newline); `None` when unterminated.
    pub terminator: Option<TextRange>,
}

/// Where a variable reference lives, which decides who expands it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VarContext {
    /// Expanded by BuildKit (FROM, COPY, ENV, WORKDIR, ... and flag values).
    Dockerfile,
    /// Expanded by the shell at run time (RUN, CMD, ENTRYPOINT, heredoc bodies).
    Shell,
}

/// A `${NAME:-word}`-style modifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarModifier {
    /// The operator as written: `:-`, `-`, `:+`, `+`, `:?`, `?`, `#`, `##`, `%`, `%%`,
    /// `/`, `//`, `:` (substring), `=`, `:=`, ...
    pub op: String,
    pub op_range: TextRange,
    /// The word after the operator, up to the closing brace.
    pub word: TextRange,
}

/// A variable reference: `$NAME`, `${NAME}`, `${NAME<op>word}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarRef {
    /// The whole reference, from `$` to the closing brace.
    pub range: TextRange,
    pub name: String,
    pub name_range: TextRange,
    pub braced: bool,
    pub modifier: Option<VarModifier>,
    /// `${...` with no closing brace.
    pub unterminated: bool,
    pub context: VarContext,
}

/// One instruction, with all of its parts (ranges relative to the node).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// From the keyword to the end of the last argument (continuations included,
    /// heredoc bodies excluded).
    pub range: TextRange,
    pub keyword: Word,
    pub kind: InstructionKind,
    pub flags: Vec<Flag>,
    /// Everything after the flags, trimmed (`None` when empty).
    pub args_range: Option<TextRange>,
    pub args: Args,
    pub heredocs: Vec<Heredoc>,
    /// Every variable reference in flags, arguments and heredoc bodies.
    pub vars: Vec<VarRef>,
    /// The logical line: continuations, comment and blank lines removed.
    pub logical: String,
    /// White-space-only lines inside the continuation (BuildKit warns about them).
    pub empty_continuation_lines: Vec<TextRange>,
}

impl Instruction {
    /// The first flag with this name (case-sensitive, as BuildKit).
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// Whether the arguments are in exec (JSON array) form.
    pub fn is_json(&self) -> bool {
        match &self.args {
            Args::Json { .. } => true,
            Args::Healthcheck { command, .. } => matches!(**command, Args::Json { .. }),
            _ => false,
        }
    }

    /// The ONBUILD trigger, when this is an ONBUILD with one.
    pub fn trigger(&self) -> Option<&Instruction> {
        match &self.args {
            Args::Onbuild(inner) => Some(inner),
            _ => None,
        }
    }
}

/// A top-level node: a contiguous run of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    pub(crate) text: Box<str>,
    pub tokens: Vec<Token>,
    pub instruction: Option<Box<Instruction>>,
    pub directive: Option<Box<Directive>>,
    pub errors: Vec<SyntaxError>,
}

impl Node {
    /// The node's text, byte for byte.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn len(&self) -> u32 {
        crate::text::u32_of(self.text.len())
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// How many `\n` the node holds (the lines it ends).
    pub fn newlines(&self) -> usize {
        memchr::memchr_iter(b'\n', self.text.as_bytes()).count()
    }

    /// The text of a range relative to this node ("" if out of bounds).
    pub fn slice(&self, range: TextRange) -> &str {
        self.text.get(range.as_usize()).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_case_insensitively() {
        for k in InstructionKind::ALL {
            let name = k.name();
            assert_eq!(InstructionKind::from_keyword(name), k);
            assert_eq!(InstructionKind::from_keyword(&name.to_lowercase()), k);
            let mixed: String = name
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if i % 2 == 0 {
                        c.to_ascii_lowercase()
                    } else {
                        c
                    }
                })
                .collect();
            assert_eq!(InstructionKind::from_keyword(&mixed), k);
            assert_eq!(
                InstructionKind::from_keyword(&format!("{name}X")),
                InstructionKind::Unknown
            );
        }
        for w in ["", "R", "RU", "UNKNOWN", "HEALTHCHECKS", "RUN ", "r\u{fc}n"] {
            assert_eq!(
                InstructionKind::from_keyword(w),
                InstructionKind::Unknown,
                "{w}"
            );
        }
        // Go's strings.ToLower maps the Kelvin sign to 'k'.
        assert_eq!(
            InstructionKind::from_keyword("WOR\u{212a}DIR"),
            InstructionKind::Workdir
        );
    }
}
