//! `ConsecutiveRun` (hadolint DL3059): consecutive single-command RUNs that could be
//! one.

use super::super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "ConsecutiveRun",
        aliases: &["DL3059"],
        severity: Severity::Info,
        category: Category::BestPractice,
        summary: "Consecutive RUN instructions that could be one",
        why: "Every RUN makes a layer. Simple consecutive RUNs with the same flags can usually be joined with `&&`, which makes fewer, smaller layers (files deleted in the same RUN never reach the image). RUNs that are already chains are left alone: splitting a long build into a few cached steps is a deliberate choice.",
        bad: "FROM alpine:3.20\nRUN ./configure\nRUN make\n",
        good: "FROM alpine:3.20\nRUN ./configure && make\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Pair,
};

fn flags<'a>(i: &InstructionRef<'a>) -> Vec<&'a str> {
    i.inst.flags.iter().map(|f| f.processed.as_str()).collect()
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let mut prev: Option<&InstructionRef<'_>> = None;
    for (i, s) in ctx.insts.iter().zip(ctx.scripts()) {
        let simple = i.inst.kind == InstructionKind::Run
            && s.as_ref().is_some_and(|s| s.ok && s.commands.len() <= 1)
            && i.inst.heredocs.is_empty();
        if simple {
            if let Some(p) = prev
                && flags(p) == flags(i)
            {
                out.push(
                    RULE.diag(
                        i.range(),
                        "This RUN could join the RUN before it (`&&`): fewer layers",
                    )
                    .with_related(p.range(), "the previous RUN"),
                );
            }
            prev = Some(i);
        } else {
            prev = None;
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
            "FROM a\nRUN a && b\nRUN c\n# comment\nRUN d\n^^^^^ info[ConsecutiveRun]: This RUN could join the RUN before it (`&&`): fewer layers\nWORKDIR /\nRUN e\nRUN --mount=type=secret,id=x f\n",
        );
    }
}
