//! `MultipleInstructionsDisallowed` (BuildKit): more than one CMD, ENTRYPOINT or
//! HEALTHCHECK in a stage.

use super::super::prelude::*;
use super::url;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "MultipleInstructionsDisallowed",
        aliases: &["DL4003", "DL4004", "DL3012"],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "Multiple instructions of the same type should not be used in the same stage",
        why: "Only the last CMD, ENTRYPOINT or HEALTHCHECK of a stage takes effect; the earlier ones do nothing and mislead readers. The fix removes an earlier one (unsafe: check which one you meant).",
        bad: "FROM alpine\nCMD [\"a\"]\nCMD [\"b\"]\n",
        good: "FROM alpine\nCMD [\"b\"]\n",
        fix: Some(Safety::Unsafe),
        url: url!("multiple-instructions-disallowed"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Stages,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for s in &ctx.model.stages {
        // The stage's instructions: a contiguous run of `ctx.insts`.
        let lo = ctx.insts.partition_point(|i| i.index <= s.node);
        let list = ctx
            .insts
            .get(lo..lo + s.instructions.len())
            .filter(|l| l.iter().map(|i| i.index).eq(s.instructions.iter().copied()));
        let owned: Vec<InstructionRef<'_>>;
        let list = match list {
            Some(l) => l,
            None => {
                owned = s
                    .instructions
                    .iter()
                    .filter_map(|&n| ctx.inst(n))
                    .copied()
                    .collect();
                &owned
            }
        };
        for kind in [
            InstructionKind::Entrypoint,
            InstructionKind::Cmd,
            InstructionKind::Healthcheck,
        ] {
            let Some(last) = list.iter().rev().find(|i| i.inst.kind == kind) else {
                continue;
            };
            for i in list
                .iter()
                .filter(|i| i.inst.kind == kind)
                .take_while(|i| i.index != last.index)
            {
                out.push(
                    RULE.diag(
                        i.range(),
                        format!(
                            "Multiple {} instructions should not be used in the same stage because only the last one will be used",
                            kind.name()
                        ),
                    )
                    .with_tag(Tag::Unnecessary)
                    .with_related(last.range(), "this one is used")
                    .with_fix(Fix::unsafe_("Remove this instruction", vec![Edit::delete(i.node_range())])),
                );
            }
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
            "FROM scratch AS a\nCMD [\"a\"]\n^^^^^^^^^ warning[MultipleInstructionsDisallowed]: Multiple CMD instructions should not be used in the same stage because only the last one will be used\nCMD [\"b\"]\nFROM a\nCMD [\"c\"]\n",
        );
    }
}
