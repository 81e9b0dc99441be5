//! `SudoInRun` (hadolint DL3004): `sudo` in a RUN.

use super::super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "SudoInRun",
        aliases: &["DL3004"],
        severity: Severity::Error,
        category: Category::BestPractice,
        summary: "Do not use `sudo` in a RUN",
        why: "RUN executes as the current USER; `sudo` needs a TTY or extra configuration, behaves unpredictably without one, and shipping it gives anyone in the container a way to root. Run the privileged steps before switching to an unprivileged USER (or switch back with `USER root` for them); use `gosu`/`su-exec` in entrypoints.",
        bad: "FROM debian:12\nUSER app\nRUN sudo apt-get update\n",
        good: "FROM debian:12\nRUN apt-get update\nUSER app\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for (_, s) in ctx.runs() {
        for c in s.named("sudo") {
            out.push(RULE.diag(
                c.words[0].range,
                "Do not use `sudo`: run privileged steps as root before switching USER",
            ));
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
            "FROM a\nRUN sudo make && echo sudo\n    ^^^^ error[SudoInRun]: Do not use `sudo`: run privileged steps as root before switching USER\n",
        );
    }
}
