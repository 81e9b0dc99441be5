//! `HealthcheckMissing`: the final image has no HEALTHCHECK (off by default).

use super::super::prelude::*;
use crate::semantics::Base;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "HealthcheckMissing",
        aliases: &[],
        severity: Severity::Info,
        category: Category::BestPractice,
        summary: "The final stage has no HEALTHCHECK",
        why: "Without a HEALTHCHECK, Docker and Swarm only know whether the process runs, not whether it answers. A health check lets them restart or stop routing to a hung container. Off by default: Kubernetes ignores HEALTHCHECK (it uses probes), and images used as bases or tools do not need one.",
        bad: "FROM nginx:1.27\n",
        good: "FROM nginx:1.27\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://localhost/\"]\n",
        fix: None,
        url: None,
        default_enabled: false,
        experimental: false,
    },
    check,
    extent: Extent::Stages,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(fin) = ctx.final_stage() else { return };
    // The final stage and the stages it is built on.
    let mut cur = Some(fin);
    let mut steps = 0;
    while let Some(s) = cur {
        if ctx
            .stage_insts(s)
            .any(|i| i.inst.kind == InstructionKind::Healthcheck)
        {
            return;
        }
        steps += 1;
        cur = match s.base {
            Base::Stage(b) if b < s.index && steps <= ctx.model.stages.len() => {
                ctx.model.stages.get(b)
            }
            _ => None,
        };
    }
    out.push(RULE.diag(fin.from_range, "The final stage has no HEALTHCHECK"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM a\n^^^^^^ info[HealthcheckMissing]: The final stage has no HEALTHCHECK\n",
        );
        assert_rule(&RULE, "FROM a AS b\nHEALTHCHECK NONE\nFROM b\n");
    }
}
