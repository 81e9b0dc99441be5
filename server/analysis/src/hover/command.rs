//! The CMD / ENTRYPOINT hover: what this stage's container runs, and why.

use docksmith_syntax::{Dockerfile, InstructionKind, InstructionRef};

use super::stage_label;
use crate::semantics::{CommandValue, Effective, Model, Source, Stage};

/// The hover of a CMD or ENTRYPOINT keyword.
pub(super) fn explain(df: &Dockerfile, model: &Model, i: &InstructionRef<'_>) -> String {
    let kind = i.inst.kind;
    let mut out = String::new();
    let this_exec = i.inst.is_json();
    out.push_str(&format!(
        "**{}** ({} form)",
        kind.name(),
        if this_exec { "exec" } else { "shell" }
    ));
    let stage = model
        .node_stage
        .get(i.index)
        .copied()
        .flatten()
        .and_then(|s| model.stages.get(s));
    let Some(stage) = stage else {
        out.push_str(" outside any stage: it has no effect before the first FROM.\n\n");
        out.push_str(super::docs::instruction(kind));
        return out;
    };
    out.push_str(&format!(" in stage {}\n\n", stage_label(stage)));

    // Is this the instruction that counts?
    let effective = if kind == InstructionKind::Cmd {
        &stage.cmd
    } else {
        &stage.entrypoint
    };
    if let Source::Own(node) = effective.source
        && node != i.index
    {
        out.push_str(&format!(
            "⚠ Overridden: only the last {} of a stage counts, here the one on line {}.\n\n",
            kind.name(),
            node_line(df, model, node)
        ));
    }

    // The command line.
    out.push_str("**The container runs**\n\n```sh\n");
    out.push_str(&command_line(stage, ", if any"));
    out.push_str("\n```\n\n");
    out.push_str(&format!(
        "- ENTRYPOINT: {}\n- CMD: {}\n",
        describe(df, model, &stage.entrypoint, stage, "ENTRYPOINT"),
        describe(df, model, &stage.cmd, stage, "CMD")
    ));
    let ep_shell = matches!(&stage.entrypoint.value, Some(v) if !v.exec && !v.args.is_empty());
    let ep_exec = stage
        .entrypoint
        .value
        .as_ref()
        .is_some_and(|v| v.exec && !v.args.is_empty());
    if ep_shell {
        out.push_str(
            "- CMD and `docker run IMAGE args` are **ignored**: a shell-form ENTRYPOINT takes no arguments\n",
        );
    } else if ep_exec {
        out.push_str(&format!(
            "- `docker run IMAGE args` runs `{}`\n",
            run_with_args(stage)
        ));
    } else if stage.entrypoint.source == Source::BaseImage {
        out.push_str(
            "- `docker run IMAGE args` replaces CMD (and goes to the base image's ENTRYPOINT, if it has one)\n",
        );
    } else {
        out.push_str("- `docker run IMAGE args` runs `args` instead of CMD\n");
    }
    out.push('\n');

    // Form of this instruction.
    if this_exec && kind == InstructionKind::Cmd && ep_exec {
        out.push_str("Exec form: these are the default arguments of the ENTRYPOINT.\n\n");
    } else if this_exec {
        out.push_str(
            "Exec form: the program runs directly as PID 1 and receives `docker stop`'s SIGTERM.\n\n",
        );
    } else {
        let shell = shell_prefix(stage);
        out.push_str(&format!(
            "Shell form: runs as `{shell} \"...\"`. The shell is PID 1, so your process does \
             **not** get SIGTERM on `docker stop` (it is killed after the timeout){}. \
             Prefer the exec form `[\"program\", \"arg\"]`, or start the command with `exec`.\n\n",
            if kind == InstructionKind::Entrypoint {
                ", and CMD and `docker run` arguments are ignored"
            } else {
                ""
            }
        ));
    }

    out.push_str(
        "**How they combine**\n\n\
         - ENTRYPOINT is the program, CMD its default arguments; together they make one command line.\n\
         - `docker run IMAGE args` replaces CMD and is appended to an exec-form ENTRYPOINT.\n\
         - `docker run --entrypoint PROG IMAGE` replaces ENTRYPOINT (and clears CMD).\n\
         - Setting ENTRYPOINT resets a CMD inherited from the base image: set CMD again after it.\n\n",
    );
    out.push_str(
        "| | no ENTRYPOINT | `ENTRYPOINT e p` | `ENTRYPOINT [\"e\",\"p\"]` |\n\
         |---|---|---|---|\n\
         | no CMD | *error* | `/bin/sh -c e p` | `e p` |\n\
         | `CMD [\"c\",\"q\"]` | `c q` | `/bin/sh -c e p` | `e p c q` |\n\
         | `CMD c q` | `/bin/sh -c c q` | `/bin/sh -c e p` | `e p /bin/sh -c c q` |\n\n",
    );
    out.push_str(super::docs::link(kind));
    out
}

fn node_line(df: &Dockerfile, model: &Model, node: usize) -> u32 {
    df.node(node).map_or(0, |n| model.line_of(df, n.start))
}

fn describe(
    df: &Dockerfile,
    model: &Model,
    e: &Effective<CommandValue>,
    stage: &Stage,
    what: &str,
) -> String {
    let value = e.value.as_ref().map(|v| format!("`{}`", written(v)));
    match &e.source {
        Source::Own(node) => format!(
            "{} (line {})",
            value.unwrap_or_default(),
            node_line(df, model, *node)
        ),
        Source::Inherited { stage: s, node } => format!(
            "{} inherited from stage {} (line {})",
            value.unwrap_or_default(),
            model.stages.get(*s).map_or_else(String::new, stage_label),
            node_line(df, model, *node)
        ),
        Source::BaseImage => format!(
            "from the base image {}, not known here (`docker image inspect`)",
            stage
                .image_word
                .as_ref()
                .map_or_else(String::new, |(w, _)| format!("`{w}`"))
        ),
        Source::Default => {
            if what == "CMD" && matches!(stage.entrypoint.source, Source::Own(_)) {
                "none (the ENTRYPOINT of this stage resets an inherited CMD)".to_string()
            } else {
                "none".to_string()
            }
        }
    }
}

/// The instruction's value as written (JSON or shell text).
fn written(v: &CommandValue) -> String {
    if v.exec {
        let parts: Vec<String> = v
            .args
            .iter()
            .map(|a| docksmith_syntax::dump::go_quote(a))
            .collect();
        format!("[{}]", parts.join(", "))
    } else {
        v.args.join(" ")
    }
}

fn shell_prefix(stage: &Stage) -> String {
    stage
        .shell
        .value
        .as_ref()
        .map_or_else(|| "/bin/sh -c".to_string(), |s| join_quoted(s))
}

/// The words of a command value as the container sees them.
fn argv(stage: &Stage, v: &CommandValue) -> String {
    if v.exec {
        join_quoted(&v.args)
    } else {
        let text = v.args.join(" ");
        format!("{} {}", shell_prefix(stage), quote(&text))
    }
}

/// The resulting command line of a stage; `unknown` stands for what is not known.
pub fn command_line(stage: &Stage, unknown: &str) -> String {
    let ep = match (&stage.entrypoint.value, &stage.entrypoint.source) {
        (Some(v), _) if !v.args.is_empty() => Some(argv(stage, v)),
        (None, Source::BaseImage) => Some(format!("<ENTRYPOINT of {}{unknown}>", base_name(stage))),
        _ => None,
    };
    let ep_shell = matches!(&stage.entrypoint.value, Some(v) if !v.exec && !v.args.is_empty());
    let cmd = match (&stage.cmd.value, &stage.cmd.source) {
        (Some(v), _) if !v.args.is_empty() => Some(argv(stage, v)),
        (None, Source::BaseImage) => Some(format!("<CMD of {}{unknown}>", base_name(stage))),
        _ => None,
    };
    match (ep, cmd) {
        (Some(e), _) if ep_shell => e,
        (Some(e), Some(c)) => format!("{e} {c}"),
        (Some(e), None) => e,
        (None, Some(c)) => c,
        (None, None) => "(nothing: `docker run` needs a command)".to_string(),
    }
}

fn base_name(stage: &Stage) -> &str {
    stage
        .image_word
        .as_ref()
        .map_or("the base image", |(w, _)| w.as_str())
}

fn run_with_args(stage: &Stage) -> String {
    match &stage.entrypoint.value {
        Some(v) => format!("{} args", argv(stage, v)),
        None => "args".to_string(),
    }
}

fn join_quoted(args: &[String]) -> String {
    args.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" ")
}

/// Quote a word as a shell user would write it, only when needed.
pub(crate) fn quote(a: &str) -> String {
    let plain = !a.is_empty()
        && a.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'-' | b'_' | b'.' | b'/' | b':' | b'=' | b',' | b'+' | b'@' | b'%'
                )
        });
    if plain {
        return a.to_string();
    }
    let mut s = String::with_capacity(a.len() + 2);
    s.push('"');
    for c in a.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('"');
    s
}
