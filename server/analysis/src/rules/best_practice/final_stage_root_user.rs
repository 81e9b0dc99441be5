//! `FinalStageRootUser` (hadolint DL3002): the last USER of the image is root.

use super::super::prelude::*;
use crate::semantics::Source;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "FinalStageRootUser",
        aliases: &["DL3002"],
        severity: Severity::Warning,
        category: Category::BestPractice,
        summary: "The final image runs as root (its last USER is root or 0)",
        why: "A process running as root inside a container is one kernel or runtime bug away from root on the host, and can change anything in the image. Switch to an unprivileged user at the end of the final stage (`USER app` or `USER 10001`); do the privileged setup before. Only the stage you ship matters: builder stages may run as root.",
        bad: "FROM debian:12\nRUN useradd -r app\nUSER root\n",
        good: "FROM debian:12\nRUN useradd -r app\nUSER app\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Stages,
};

/// Whether a USER value names root.
pub(crate) fn is_root(u: &str) -> bool {
    let name = u.split(':').next().unwrap_or(u).trim();
    name == "root" || name == "0"
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(fin) = ctx.final_stage() else { return };
    let Some(u) = &fin.user.value else { return };
    if !is_root(u) {
        return;
    }
    let node = match fin.user.source {
        Source::Own(n) | Source::Inherited { node: n, .. } => n,
        _ => return,
    };
    let Some(i) = ctx.inst(node) else { return };
    let mut d = RULE.diag(
        i.range(),
        "The final image runs as root: switch to an unprivileged USER at the end",
    );
    if let Source::Inherited { .. } = fin.user.source {
        d = d.with_related(fin.from_range, "the final stage inherits this USER");
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM a AS base\nUSER 0:0\n^^^^^^^^ warning[FinalStageRootUser]: The final image runs as root: switch to an unprivileged USER at the end\nFROM base\n",
        );
        assert_rule(&RULE, "FROM a AS base\nUSER root\nFROM b\nUSER app\n");
    }
}
