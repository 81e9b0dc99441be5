//! Signature help: the forms of the instruction under the cursor, which form is being
//! written and which parameter the cursor is on.

use docksmith_syntax::{Dockerfile, InstructionKind, NodeKind, TokenKind};

use crate::completion::context::{logical_prefix, split_words};
use crate::hover::docs;

/// One form of an instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub label: String,
    pub documentation: String,
    pub parameters: Vec<Parameter>,
}

/// A parameter: its place in the label (byte offsets; labels are ASCII) and its docs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameter {
    pub start: u32,
    pub end: u32,
    pub documentation: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureHelp {
    pub signatures: Vec<Signature>,
    pub active_signature: usize,
    pub active_parameter: Option<usize>,
}

/// Which words a parameter stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    /// The `--flags`.
    Flags,
    /// The n-th positional word.
    Pos(usize),
    /// The n-th positional word and every one after it.
    From(usize),
}

struct Form {
    label: &'static str,
    /// Which form this is: exec (JSON), or the first positional word equals this.
    exec: bool,
    params: &'static [(&'static str, Slot, &'static str)],
}

const OPTS: &str = "[OPTIONS]";

fn forms(kind: InstructionKind) -> &'static [Form] {
    use InstructionKind as K;
    use Slot::*;
    match kind {
        K::From => &[Form {
            label: "FROM [--platform=<platform>] <image>[:<tag>|@<digest>] [AS <name>]",
            exec: false,
            params: &[
                (
                    "[--platform=<platform>]",
                    Flags,
                    "platform of the base image",
                ),
                (
                    "<image>[:<tag>|@<digest>]",
                    Pos(0),
                    "base image or earlier stage",
                ),
                (
                    "[AS <name>]",
                    From(1),
                    "name of this stage, for `COPY --from` and `--target`",
                ),
            ],
        }],
        K::Run => &[
            Form {
                label: "RUN [OPTIONS] <command>",
                exec: false,
                params: &[
                    (OPTS, Flags, "`--mount`, `--network`, `--security`"),
                    (
                        "<command>",
                        From(0),
                        "run with the stage's SHELL (`/bin/sh -c`)",
                    ),
                ],
            },
            Form {
                label: "RUN [OPTIONS] [\"executable\", \"param\", ...]",
                exec: true,
                params: &[
                    (OPTS, Flags, "`--mount`, `--network`, `--security`"),
                    (
                        "[\"executable\", \"param\", ...]",
                        From(0),
                        "run directly, no shell",
                    ),
                ],
            },
        ],
        K::Cmd => &[
            Form {
                label: "CMD [\"executable\", \"param\", ...]",
                exec: true,
                params: &[(
                    "[\"executable\", \"param\", ...]",
                    From(0),
                    "the container's command, as PID 1",
                )],
            },
            Form {
                label: "CMD [\"param\", ...]",
                exec: true,
                params: &[(
                    "[\"param\", ...]",
                    From(0),
                    "default arguments of the ENTRYPOINT",
                )],
            },
            Form {
                label: "CMD command param ...",
                exec: false,
                params: &[(
                    "command param ...",
                    From(0),
                    "run as `/bin/sh -c \"...\"`: not PID 1",
                )],
            },
        ],
        K::Entrypoint => &[
            Form {
                label: "ENTRYPOINT [\"executable\", \"param\", ...]",
                exec: true,
                params: &[(
                    "[\"executable\", \"param\", ...]",
                    From(0),
                    "run as PID 1; CMD and `docker run` arguments are appended",
                )],
            },
            Form {
                label: "ENTRYPOINT command param ...",
                exec: false,
                params: &[(
                    "command param ...",
                    From(0),
                    "run as `/bin/sh -c \"...\"`: CMD and `docker run` arguments are ignored",
                )],
            },
        ],
        K::Copy => &[
            Form {
                label: "COPY [OPTIONS] <src>... <dest>",
                exec: false,
                params: &[
                    (
                        OPTS,
                        Flags,
                        "`--from`, `--chown`, `--chmod`, `--link`, `--parents`, `--exclude`",
                    ),
                    (
                        "<src>...",
                        Pos(0),
                        "sources, relative to the build context or `--from`",
                    ),
                    (
                        "<dest>",
                        From(1),
                        "destination; relative to WORKDIR; a directory when it ends in `/`",
                    ),
                ],
            },
            Form {
                label: "COPY [OPTIONS] [\"<src>\", ..., \"<dest>\"]",
                exec: true,
                params: &[
                    (
                        OPTS,
                        Flags,
                        "`--from`, `--chown`, `--chmod`, `--link`, `--parents`, `--exclude`",
                    ),
                    (
                        "[\"<src>\", ..., \"<dest>\"]",
                        From(0),
                        "for paths with spaces",
                    ),
                ],
            },
        ],
        K::Add => &[
            Form {
                label: "ADD [OPTIONS] <src>... <dest>",
                exec: false,
                params: &[
                    (
                        OPTS,
                        Flags,
                        "`--chown`, `--chmod`, `--link`, `--checksum`, `--keep-git-dir`, `--exclude`",
                    ),
                    (
                        "<src>...",
                        Pos(0),
                        "files, URLs, Git repositories or tar archives",
                    ),
                    ("<dest>", From(1), "destination; relative to WORKDIR"),
                ],
            },
            Form {
                label: "ADD [OPTIONS] [\"<src>\", ..., \"<dest>\"]",
                exec: true,
                params: &[
                    (
                        OPTS,
                        Flags,
                        "`--chown`, `--chmod`, `--link`, `--checksum`, `--keep-git-dir`, `--exclude`",
                    ),
                    (
                        "[\"<src>\", ..., \"<dest>\"]",
                        From(0),
                        "for paths with spaces",
                    ),
                ],
            },
        ],
        K::Arg => &[Form {
            label: "ARG <name>[=<default value>] ...",
            exec: false,
            params: &[(
                "<name>[=<default value>]",
                From(0),
                "a build argument, set with `--build-arg`",
            )],
        }],
        K::Env => &[Form {
            label: "ENV <key>=<value> ...",
            exec: false,
            params: &[(
                "<key>=<value>",
                From(0),
                "an environment variable for the stage and the container",
            )],
        }],
        K::Label => &[Form {
            label: "LABEL <key>=<value> ...",
            exec: false,
            params: &[("<key>=<value>", From(0), "image metadata")],
        }],
        K::Expose => &[Form {
            label: "EXPOSE <port>[/<protocol>] ...",
            exec: false,
            params: &[(
                "<port>[/<protocol>]",
                From(0),
                "a port; protocol `tcp` (default) or `udp`",
            )],
        }],
        K::Healthcheck => &[
            Form {
                label: "HEALTHCHECK [OPTIONS] CMD <command>",
                exec: false,
                params: &[
                    (
                        OPTS,
                        Flags,
                        "`--interval`, `--timeout`, `--start-period`, `--start-interval`, `--retries`",
                    ),
                    ("CMD", Pos(0), "the check follows"),
                    ("<command>", From(1), "exit 0: healthy, 1: unhealthy"),
                ],
            },
            Form {
                label: "HEALTHCHECK NONE",
                exec: false,
                params: &[("NONE", Pos(0), "disable the base image's health check")],
            },
        ],
        K::Maintainer => &[Form {
            label: "MAINTAINER <name>",
            exec: false,
            params: &[(
                "<name>",
                From(0),
                "deprecated: use `LABEL org.opencontainers.image.authors=`",
            )],
        }],
        K::Onbuild => &[Form {
            label: "ONBUILD <INSTRUCTION>",
            exec: false,
            params: &[(
                "<INSTRUCTION>",
                From(0),
                "runs when a build uses this image as its base",
            )],
        }],
        K::Shell => &[Form {
            label: "SHELL [\"executable\", \"parameters\"]",
            exec: true,
            params: &[(
                "[\"executable\", \"parameters\"]",
                From(0),
                "the shell for shell-form instructions",
            )],
        }],
        K::Stopsignal => &[Form {
            label: "STOPSIGNAL <signal>",
            exec: false,
            params: &[("<signal>", From(0), "a name (`SIGTERM`) or a number")],
        }],
        K::User => &[Form {
            label: "USER <user>[:<group>]",
            exec: false,
            params: &[("<user>[:<group>]", From(0), "a name or a numeric id")],
        }],
        K::Volume => &[
            Form {
                label: "VOLUME [\"<path>\", ...]",
                exec: true,
                params: &[("[\"<path>\", ...]", From(0), "mount points")],
            },
            Form {
                label: "VOLUME <path> ...",
                exec: false,
                params: &[("<path> ...", From(0), "mount points")],
            },
        ],
        K::Workdir => &[Form {
            label: "WORKDIR <path>",
            exec: false,
            params: &[(
                "<path>",
                From(0),
                "absolute, or relative to the previous WORKDIR",
            )],
        }],
        K::Unknown => &[],
    }
}

fn build(kind: InstructionKind, form: &Form) -> Signature {
    let mut parameters = Vec::new();
    let mut from = 0usize;
    for (text, _, doc) in form.params {
        let start = form.label[from..].find(text).map_or(0, |i| i + from);
        let end = start + text.len();
        from = end;
        parameters.push(Parameter {
            start: start as u32,
            end: end as u32,
            documentation: (*doc).to_string(),
        });
    }
    Signature {
        label: form.label.to_string(),
        documentation: docs::summary(kind).to_string(),
        parameters,
    }
}

/// Signature help at byte `offset` (inside an instruction, after its keyword).
pub fn signature_help(df: &Dockerfile, offset: u32) -> Option<SignatureHelp> {
    let index = df.node_index_at(offset)?;
    let node = df.node(index)?;
    if node.node.kind != NodeKind::Instruction {
        return None;
    }
    let rel = offset.checked_sub(node.start)?.min(node.node.len());
    if let Some(t) = node.node.tokens.iter().find(|t| t.range.contains(rel))
        && matches!(
            t.kind,
            TokenKind::HeredocBody | TokenKind::HeredocEnd | TokenKind::Comment
        )
    {
        return None;
    }
    let logical = logical_prefix(node.node, rel);
    let words = split_words(&logical);
    let in_word = !logical.is_empty() && !logical.ends_with(char::is_whitespace);
    // Still typing the keyword: no signature yet.
    if words.len() <= 1 && in_word {
        return None;
    }
    let mut kind = InstructionKind::from_keyword(words.first()?);
    let mut rest = &words[1..];
    // ONBUILD <trigger>: once the trigger's keyword is typed, help with the trigger.
    if kind == InstructionKind::Onbuild && (rest.len() > 1 || (rest.len() == 1 && !in_word)) {
        kind = InstructionKind::from_keyword(rest[0]);
        rest = &rest[1..];
    }
    let forms = forms(kind);
    if forms.is_empty() {
        return None;
    }
    // The word under the cursor and the ones before it.
    let (before, current) = if in_word {
        (&rest[..rest.len().saturating_sub(1)], rest.last().copied())
    } else {
        (rest, None)
    };
    let positional: Vec<&str> = before
        .iter()
        .copied()
        .filter(|w| !w.starts_with("--"))
        .collect();
    let first_pos = positional
        .first()
        .copied()
        .or(current.filter(|c| !c.starts_with("--")));
    let exec = first_pos.is_some_and(|w| w.starts_with('['));
    let active_signature = match kind {
        InstructionKind::Healthcheck => {
            usize::from(first_pos.is_some_and(|w| w.eq_ignore_ascii_case("NONE")))
        }
        // Nothing typed yet: the first form (exec first where it is the better one).
        _ if first_pos.is_none() => 0,
        _ => forms.iter().position(|f| f.exec == exec).unwrap_or(0),
    };
    let form = &forms[active_signature];
    let on_flag = current.is_some_and(|c| c.starts_with('-')) && positional.is_empty();
    let slot_index = positional.len();
    let active_parameter = form.params.iter().position(|(_, slot, _)| match *slot {
        Slot::Flags => on_flag,
        Slot::Pos(n) => !on_flag && slot_index == n,
        Slot::From(n) => !on_flag && slot_index >= n,
    });
    Some(SignatureHelp {
        signatures: forms.iter().map(|f| build(kind, f)).collect(),
        active_signature,
        active_parameter,
    })
}
