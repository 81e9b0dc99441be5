//! `FinalStageNoUser`: the final stage never sets a USER.

use super::super::prelude::*;
use crate::semantics::Source;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "FinalStageNoUser",
        aliases: &[],
        severity: Severity::Info,
        category: Category::BestPractice,
        summary: "The final stage sets no USER: the container runs as root unless the base image sets a user",
        why: "Off by default (enable it in `.docksmith.toml` for images you ship). Without a USER instruction a container runs as the base image's user, which for most images (`debian`, `alpine`, `python`, `node`, `scratch`) is root. Create an unprivileged user and switch to it at the end of the final stage. Base images that already run as a non-root user (`distroless/*:nonroot`, for example) are fine: suppress the finding there.",
        bad: "FROM debian:12\nCMD [\"app\"]\n",
        good: "FROM debian:12\nRUN useradd -r app\nUSER app\nCMD [\"app\"]\n",
        fix: None,
        url: None,
        // Off by default: it fires on most Dockerfiles (FinalStageRootUser, on by
        // default, catches the explicit `USER root`).
        default_enabled: false,
        experimental: false,
    },
    check,
    extent: Extent::Stages,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(fin) = ctx.final_stage() else { return };
    if matches!(fin.user.source, Source::Own(_) | Source::Inherited { .. }) {
        return;
    }
    out.push(RULE.diag(
        fin.from_range,
        "No USER in the final stage: the container runs as root unless the base image sets a user",
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM a AS b\nUSER app\nFROM c\n^^^^^^ info[FinalStageNoUser]: No USER in the final stage: the container runs as root unless the base image sets a user\n",
        );
        assert_rule(&RULE, "FROM a AS b\nUSER app\nFROM b\n");
    }
}
