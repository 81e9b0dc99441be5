//! `OnbuildTrigger`: an ONBUILD trigger that is not allowed.

use super::super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "OnbuildTrigger",
        aliases: &["DL3043"],
        severity: Severity::Error,
        category: Category::Syntax,
        summary: "ONBUILD ONBUILD, ONBUILD FROM and ONBUILD MAINTAINER are not allowed",
        why: "An ONBUILD trigger runs in the build of a downstream image; it cannot itself be ONBUILD, start a new stage (FROM) or set the deprecated MAINTAINER. BuildKit rejects them.",
        bad: "FROM alpine\nONBUILD FROM alpine\n",
        good: "FROM alpine\nONBUILD COPY . /app\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in ctx.of_kind(InstructionKind::Onbuild) {
        let Some(t) = i.inst.trigger() else { continue };
        let r = i.abs(t.keyword.range);
        match t.kind {
            InstructionKind::Onbuild => {
                out.push(RULE.diag(r, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"));
            }
            InstructionKind::From | InstructionKind::Maintainer => {
                out.push(RULE.diag(
                    r,
                    format!("{} isn't allowed as an ONBUILD trigger", t.kind.name()),
                ));
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
            "FROM a\nONBUILD ONBUILD RUN x\n        ^^^^^^^ error[OnbuildTrigger]: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed\nONBUILD from b\n        ^^^^ error[OnbuildTrigger]: FROM isn't allowed as an ONBUILD trigger\nONBUILD RUN x\n",
        );
    }
}
