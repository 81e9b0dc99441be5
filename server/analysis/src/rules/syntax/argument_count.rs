//! `ArgumentCount`: an instruction has too few or too many arguments.

use super::super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "ArgumentCount",
        aliases: &[],
        severity: Severity::Error,
        category: Category::Syntax,
        summary: "An instruction has too few or too many arguments",
        why: "BuildKit rejects the instruction: COPY and ADD need a source and a destination, FROM takes an image and optionally `AS name`, STOPSIGNAL exactly one signal, HEALTHCHECK a type (`CMD` with a command, or `NONE` alone), and RUN, ENV, LABEL, ARG, EXPOSE, VOLUME, USER, WORKDIR, SHELL, ONBUILD at least one argument (CMD and ENTRYPOINT may be empty).",
        bad: "FROM alpine\nCOPY app.tar.gz\n",
        good: "FROM alpine\nCOPY app.tar.gz /opt/\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in &ctx.insts {
        let inst = i.inst;
        let name = inst.kind.name();
        let kw = i.abs(inst.keyword.range);
        let empty = inst.args_range.is_none() && inst.heredocs.is_empty();
        let at_least_one = |out: &mut Vec<Diagnostic>| {
            out.push(RULE.diag(kw, format!("{name} requires at least one argument")));
        };
        match inst.kind {
            InstructionKind::Add | InstructionKind::Copy => {
                let n = inst.words().len();
                if n < 2 {
                    out.push(RULE.diag(kw, format!("{name} requires at least two arguments")));
                }
            }
            InstructionKind::From => {
                let Some(f) = inst.as_from() else { continue };
                let words = inst.words();
                if words.is_empty() {
                    out.push(RULE.diag(kw, "FROM requires either one or three arguments"));
                } else if words.len() == 2 || words.len() > 3 {
                    let r = TextRange::new(
                        i.abs(words[1].range).start,
                        i.abs(words[words.len() - 1].range).end,
                    );
                    out.push(RULE.diag(r, "FROM requires either one or three arguments"));
                } else if words.len() == 3 && f.as_keyword.is_none() {
                    out.push(RULE.diag(i.abs(words[1].range), "Second argument should be AS"));
                }
            }
            InstructionKind::Stopsignal => match inst.text_arg() {
                None => out.push(RULE.diag(kw, "STOPSIGNAL requires exactly one argument")),
                Some(w) if w.text.split_whitespace().count() > 1 => {
                    out.push(RULE.diag(i.abs(w.range), "STOPSIGNAL requires exactly one argument"));
                }
                _ => {}
            },
            InstructionKind::Healthcheck => match inst.as_healthcheck() {
                None => out.push(RULE.diag(kw, "HEALTHCHECK requires at least one argument")),
                Some(h) => {
                    let t = h.kind.text.to_ascii_uppercase();
                    let kr = i.abs(h.kind.range);
                    if t == "NONE" {
                        let extra = h.command.is_some() || !inst.flags.is_empty();
                        if extra {
                            out.push(RULE.diag(kr, "HEALTHCHECK NONE takes no arguments"));
                        }
                    } else if t == "CMD" {
                        if h.command.is_none() {
                            out.push(RULE.diag(kr, "Missing command after HEALTHCHECK CMD"));
                        }
                    } else {
                        out.push(RULE.diag(
                            kr,
                            format!("Unknown type {:?} in HEALTHCHECK (try CMD)", h.kind.text),
                        ));
                    }
                }
            },
            InstructionKind::Run
            | InstructionKind::Expose
            | InstructionKind::Volume
            | InstructionKind::Label
            | InstructionKind::Env
            | InstructionKind::Arg
            | InstructionKind::Onbuild
            | InstructionKind::User
            | InstructionKind::Workdir
            | InstructionKind::Maintainer
            | InstructionKind::Shell
                if empty =>
            {
                at_least_one(out);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM a\nCOPY x\n^^^^ error[ArgumentCount]: COPY requires at least two arguments\nCOPY <<EOF /x\nhi\nEOF\nRUN\n^^^ error[ArgumentCount]: RUN requires at least one argument\nFROM a b\n       ^ error[ArgumentCount]: FROM requires either one or three arguments\nFROM a AT b\n       ^^ error[ArgumentCount]: Second argument should be AS\nSTOPSIGNAL A B\n           ^^^ error[ArgumentCount]: STOPSIGNAL requires exactly one argument\nHEALTHCHECK NONE --x\n            ^^^^ error[ArgumentCount]: HEALTHCHECK NONE takes no arguments\nHEALTHCHECK CMD\n            ^^^ error[ArgumentCount]: Missing command after HEALTHCHECK CMD\nHEALTHCHECK TEST\n            ^^^^ error[ArgumentCount]: Unknown type \"TEST\" in HEALTHCHECK (try CMD)\nHEALTHCHECK --interval=1s NONE\n                          ^^^^ error[ArgumentCount]: HEALTHCHECK NONE takes no arguments\n",
        );
    }
}
