//! `WorkdirRelativePath` (BuildKit): relative WORKDIR with no absolute one before.

use super::super::prelude::*;
use super::url;
use crate::semantics::Base;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "WorkdirRelativePath",
        aliases: &["DL3000"],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes",
        why: "A relative WORKDIR is resolved against the base image's working directory, which the Dockerfile does not control. Set an absolute WORKDIR first (in this stage or a stage it is built on).",
        bad: "FROM alpine\nWORKDIR app\n",
        good: "FROM alpine\nWORKDIR /app\n",
        fix: None,
        url: url!("workdir-relative-path"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Stages,
};

fn is_abs(p: &str) -> bool {
    let b = p.as_bytes();
    p.starts_with('/')
        || p.starts_with('\\')
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let m = ctx.model;
    // Whether each stage has set a WORKDIR by its end (itself or its base stages).
    let mut set_by_end = vec![false; m.stages.len()];
    for s in &m.stages {
        let mut set = match s.base {
            Base::Stage(b) => set_by_end.get(b).copied().unwrap_or(false),
            _ => false,
        };
        for &n in &s.instructions {
            let Some(i) = ctx.inst(n) else { continue };
            if i.inst.kind != InstructionKind::Workdir {
                continue;
            }
            let Some(w) = i.inst.text_arg() else { continue };
            let text = docksmith_syntax::views::unquote(&w.text, ctx.df.escape());
            if !set && !is_abs(&text) && !text.starts_with('$') {
                out.push(RULE.diag(
                    i.abs(w.range),
                    format!("Relative workdir {text:?} can have unexpected results if the base image changes"),
                ));
            }
            set = true;
        }
        set_by_end[s.index] = set;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM scratch AS a\nWORKDIR app/\n        ^^^^ warning[WorkdirRelativePath]: Relative workdir \"app/\" can have unexpected results if the base image changes\nWORKDIR sub\nFROM a\nWORKDIR sub\nFROM alpine\nWORKDIR /x\nWORKDIR y\n",
        );
    }
}
