//! Typed views over instructions: the parts each instruction has, by name.
//! Ranges stay relative to the node, like everything in an [`Instruction`].

use crate::TextRange;
use crate::instruction::arg_pair;
use crate::model::{Args, Flag, Heredoc, Instruction, InstructionKind, KeyValue, Word};
use crate::text::u32_of;

/// `FROM [--platform=...] image [AS name]`.
#[derive(Clone, Copy, Debug)]
pub struct From<'a> {
    pub image: Option<&'a Word>,
    pub platform: Option<&'a Flag>,
    /// The `AS` keyword (any case).
    pub as_keyword: Option<&'a Word>,
    pub stage_name: Option<&'a Word>,
    /// Words beyond `image AS name` (an error for BuildKit).
    pub extra: &'a [Word],
}

/// `COPY`/`ADD` sources and destination.
#[derive(Clone, Debug)]
pub struct Copy<'a> {
    /// Every source: paths, URLs and heredoc markers, in order.
    pub sources: Vec<&'a Word>,
    pub dest: Option<&'a Word>,
    pub from: Option<&'a Flag>,
    pub heredocs: &'a [Heredoc],
    /// Exec (JSON) form.
    pub json: bool,
}

/// The command of RUN, CMD, ENTRYPOINT, SHELL and HEALTHCHECK CMD.
#[derive(Clone, Copy, Debug)]
pub enum Command<'a> {
    /// Exec form: the JSON array's range and its strings.
    Exec { range: TextRange, args: &'a [Word] },
    /// Shell form: the text, run with the stage's SHELL.
    Shell(&'a Word),
}

/// One `key=value` field of a `--mount` flag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountField {
    pub key: String,
    pub key_range: TextRange,
    pub value: Option<String>,
    pub value_range: Option<TextRange>,
}

/// A `RUN --mount=...` flag, split into its fields.
#[derive(Clone, Debug)]
pub struct Mount<'a> {
    pub flag: &'a Flag,
    pub fields: Vec<MountField>,
}

impl Mount<'_> {
    /// The value of a field (`type`, `target`, `from`, ...); keys are case-insensitive.
    pub fn get(&self, key: &str) -> Option<&MountField> {
        self.fields.iter().find(|f| f.key.eq_ignore_ascii_case(key))
    }

    /// The mount type (`bind` when absent, as BuildKit).
    pub fn kind(&self) -> &str {
        self.get("type")
            .and_then(|f| f.value.as_deref())
            .unwrap_or("bind")
    }
}

/// `HEALTHCHECK [options] CMD command` or `HEALTHCHECK NONE`.
#[derive(Clone, Copy, Debug)]
pub struct Healthcheck<'a> {
    pub kind: &'a Word,
    pub command: Option<Command<'a>>,
}

impl Instruction {
    /// The parts of a FROM.
    pub fn as_from(&self) -> Option<From<'_>> {
        if self.kind != InstructionKind::From {
            return None;
        }
        let words: &[Word] = match &self.args {
            Args::Words(w) => w,
            _ => &[],
        };
        let as_keyword = words.get(1).filter(|w| w.text.eq_ignore_ascii_case("as"));
        Some(From {
            image: words.first(),
            platform: self.flag("platform"),
            as_keyword,
            stage_name: as_keyword.and(words.get(2)),
            extra: if as_keyword.is_some() {
                words.get(3..).unwrap_or(&[])
            } else {
                words.get(1..).unwrap_or(&[])
            },
        })
    }

    /// The sources and destination of a COPY or ADD.
    pub fn as_copy(&self) -> Option<Copy<'_>> {
        if !matches!(self.kind, InstructionKind::Copy | InstructionKind::Add) {
            return None;
        }
        let (words, json): (&[Word], bool) = match &self.args {
            Args::Words(w) => (w, false),
            Args::Json { elements, .. } => (elements, true),
            _ => (&[], false),
        };
        let (dest, sources) = match words.split_last() {
            Some((d, s)) => (Some(d), s.iter().collect()),
            None => (None, Vec::new()),
        };
        Some(Copy {
            sources,
            dest,
            from: self.flag("from"),
            heredocs: &self.heredocs,
            json,
        })
    }

    /// The command of RUN, CMD, ENTRYPOINT or SHELL (or a HEALTHCHECK's).
    pub fn command(&self) -> Option<Command<'_>> {
        command_of(match &self.args {
            Args::Healthcheck { command, .. } => command,
            a => a,
        })
    }

    /// HEALTHCHECK's type word and command.
    pub fn as_healthcheck(&self) -> Option<Healthcheck<'_>> {
        match &self.args {
            Args::Healthcheck { kind, command } => Some(Healthcheck {
                kind,
                command: command_of(command),
            }),
            _ => None,
        }
    }

    /// The `key=value` pairs of ENV, LABEL and ARG (ARG names without a default have
    /// no value).
    pub fn pairs(&self) -> Vec<KeyValue> {
        match (&self.kind, &self.args) {
            (_, Args::Pairs { pairs, .. }) => pairs.clone(),
            (InstructionKind::Arg, Args::Words(ws)) => ws.iter().map(arg_pair).collect(),
            _ => Vec::new(),
        }
    }

    /// Whether ENV/LABEL use the legacy `key value` form.
    pub fn is_legacy_pairs(&self) -> bool {
        matches!(self.args, Args::Pairs { legacy: true, .. })
    }

    /// The words of EXPOSE (ports), VOLUME and the like.
    pub fn words(&self) -> &[Word] {
        match &self.args {
            Args::Words(w) => w,
            Args::Json { elements, .. } => elements,
            _ => &[],
        }
    }

    /// The single text argument of USER, WORKDIR, STOPSIGNAL, MAINTAINER.
    pub fn text_arg(&self) -> Option<&Word> {
        match &self.args {
            Args::Text(w) => Some(w),
            _ => None,
        }
    }

    /// Every `--mount` flag of a RUN, split into fields.
    pub fn mounts(&self) -> Vec<Mount<'_>> {
        self.flags
            .iter()
            .filter(|f| f.name == "mount")
            .map(|f| Mount {
                flag: f,
                fields: mount_fields(f),
            })
            .collect()
    }
}

fn command_of(args: &Args) -> Option<Command<'_>> {
    match args {
        Args::Json { range, elements } => Some(Command::Exec {
            range: *range,
            args: elements,
        }),
        Args::Text(w) => Some(Command::Shell(w)),
        _ => None,
    }
}

/// Split a mount flag's value on commas (CSV: double quotes group) into fields.
fn mount_fields(flag: &Flag) -> Vec<MountField> {
    let Some(value) = &flag.value else {
        return Vec::new();
    };
    let vr = flag.value_range.unwrap_or_default();
    // Ranges are exact when the value was written without quotes or escapes.
    let exact = vr.len() as usize == value.len();
    let at = |off: usize, len: usize| {
        if exact {
            TextRange::new(vr.start + u32_of(off), vr.start + u32_of(off + len))
        } else {
            vr
        }
    };
    let mut fields = Vec::new();
    let mut start = 0usize;
    let mut in_quote = false;
    let b = value.as_bytes();
    for i in 0..=b.len() {
        if i < b.len() && b[i] == b'"' {
            in_quote = !in_quote;
        }
        if i == b.len() || (b[i] == b',' && !in_quote) {
            let field = &value[start..i];
            if !field.is_empty() {
                let (key, val) = match field.split_once('=') {
                    Some((k, v)) => (k, Some(v)),
                    None => (field, None),
                };
                fields.push(MountField {
                    key: key.trim().to_string(),
                    key_range: at(start, key.len()),
                    value: val.map(|v| v.trim_matches('"').to_string()),
                    value_range: val.map(|v| at(start + key.len() + 1, v.len())),
                });
            }
            start = i + 1;
        }
    }
    fields
}

/// Remove quotes and escapes from a word as BuildKit's shell lexer does (without
/// expanding variables): `'...'` literal, `"..."` with the escape character before
/// `"`, `$` and itself, and outside quotes the escape character before anything.
pub fn unquote(raw: &str, escape: char) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == escape {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else if c == '\'' {
            for n in chars.by_ref() {
                if n == '\'' {
                    break;
                }
                out.push(n);
            }
        } else if c == '"' {
            while let Some(n) = chars.next() {
                if n == '"' {
                    break;
                }
                if n == escape {
                    match chars.peek() {
                        Some(&p) if p == '"' || p == '$' || p == escape => {
                            out.push(p);
                            chars.next();
                        }
                        _ => out.push(n),
                    }
                } else {
                    out.push(n);
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Dockerfile;

    fn first(text: &str) -> (Dockerfile, usize) {
        (Dockerfile::parse(text), 0)
    }

    #[test]
    fn from_view() {
        let (df, _) = first("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n");
        let i = df.instructions().next().unwrap();
        let f = i.inst.as_from().unwrap();
        assert_eq!(f.image.unwrap().text, "golang:1.22");
        assert_eq!(f.stage_name.unwrap().text, "build");
        assert_eq!(f.platform.unwrap().value.as_deref(), Some("$BUILDPLATFORM"));
        assert_eq!(i.text(f.stage_name.unwrap().range), "build");
        assert_eq!(i.inst.vars[0].name, "BUILDPLATFORM");
    }

    #[test]
    fn copy_and_mounts() {
        let df = Dockerfile::parse(
            "COPY --from=build --chmod=755 a b /dst/\nRUN --mount=type=cache,target=/root/.cache \\\n  --mount=from=build,source=/out,target=/in make\n",
        );
        let insts: Vec<_> = df.instructions().collect();
        let c = insts[0].inst.as_copy().unwrap();
        assert_eq!(
            c.sources
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(c.dest.unwrap().text, "/dst/");
        assert_eq!(c.from.unwrap().value.as_deref(), Some("build"));
        let m = insts[1].inst.mounts();
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].kind(), "cache");
        assert_eq!(m[1].kind(), "bind");
        let from = m[1].get("from").unwrap();
        assert_eq!(insts[1].text(from.value_range.unwrap()), "build");
    }

    #[test]
    fn commands_and_pairs() {
        let df = Dockerfile::parse(
            "CMD [\"nginx\", \"-g\", \"daemon off;\"]\nENTRYPOINT echo hi\nARG A=1 B\nENV X=\"a b\" Y=2\nHEALTHCHECK --interval=5s CMD curl -f http://x/\n",
        );
        let insts: Vec<_> = df.instructions().collect();
        assert!(
            matches!(insts[0].inst.command(), Some(Command::Exec { args, .. }) if args.len() == 3)
        );
        assert!(matches!(insts[1].inst.command(), Some(Command::Shell(w)) if w.text == "echo hi"));
        let p = insts[2].inst.pairs();
        assert_eq!(
            (
                p[0].key.text.as_str(),
                p[0].value.as_ref().unwrap().text.as_str()
            ),
            ("A", "1")
        );
        assert!(p[1].value.is_none());
        let p = insts[3].inst.pairs();
        assert_eq!(unquote(&p[0].value.as_ref().unwrap().text, '\\'), "a b");
        let h = insts[4].inst.as_healthcheck().unwrap();
        assert_eq!(h.kind.text, "CMD");
        assert!(matches!(h.command, Some(Command::Shell(w)) if w.text == "curl -f http://x/"));
    }

    #[test]
    fn unquoting() {
        assert_eq!(unquote(r#""a \"b\" $c""#, '\\'), r#"a "b" $c"#);
        assert_eq!(unquote(r"'a\b'", '\\'), r"a\b");
        assert_eq!(unquote(r"a\ b", '\\'), "a b");
        assert_eq!(unquote("a` b", '`'), "a b");
    }
}
