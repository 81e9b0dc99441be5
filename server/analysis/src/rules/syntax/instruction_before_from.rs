//! `InstructionBeforeFrom`: an instruction other than ARG before the first FROM.

use super::super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "InstructionBeforeFrom",
        aliases: &["DL3061"],
        severity: Severity::Error,
        category: Category::Syntax,
        summary: "Only ARG may come before the first FROM",
        why: "Everything except ARG belongs to a build stage, and stages start with FROM. BuildKit fails with `no build stage in current context`. Also reported when a file has no FROM at all.",
        bad: "RUN echo hi\nFROM alpine\n",
        good: "FROM alpine\nRUN echo hi\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Stages,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in &ctx.insts {
        match i.inst.kind {
            InstructionKind::From => break,
            InstructionKind::Arg | InstructionKind::Unknown => {}
            k => out.push(RULE.diag(
                i.abs(i.inst.keyword.range),
                format!(
                    "{} before the first FROM: no build stage in current context",
                    k.name()
                ),
            )),
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
            "ARG A\nENV B=1\n^^^ error[InstructionBeforeFrom]: ENV before the first FROM: no build stage in current context\nFROM a\nRUN x\n",
        );
    }
}
