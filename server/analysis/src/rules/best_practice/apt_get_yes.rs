//! `AptGetMissingYes` (hadolint DL3014): `apt-get install` without `-y`.

use super::super::prelude::*;
use super::{apt_sub, insert_after, through_sudo};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "AptGetMissingYes",
        aliases: &["DL3014"],
        severity: Severity::Warning,
        category: Category::BestPractice,
        summary: "`apt-get install` without `-y` waits for a confirmation no one gives",
        why: "A build has no terminal: without `-y` (`--yes`, `--assume-yes`, or `-qq`, which implies it) `apt-get install` asks whether to continue, reads end of input and aborts, so the build fails. The fix adds `-y`.",
        bad: "FROM debian:12\nRUN apt-get update && apt-get install curl && rm -rf /var/lib/apt/lists/*\n",
        good: "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
        fix: Some(Safety::Safe),
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

/// Flags that answer the prompt, or make apt-get not ask (simulation).
const YES: &[&str] = &[
    "-y",
    "--yes",
    "--assume-yes",
    "-qq",
    "--force-yes",
    "-s",
    "--simulate",
    "--dry-run",
    "--just-print",
    "--no-act",
    "--recon",
];

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for (_, s) in ctx.runs() {
        for c in &s.commands {
            let c = through_sudo(c);
            let Some(k) = apt_sub(&c, &["apt-get"], "install") else {
                continue;
            };
            let quiet = c
                .args()
                .iter()
                .filter(|w| w.text == "-q" || w.text == "--quiet")
                .count();
            if c.has_flag(YES)
                || quiet >= 2
                || c.args()
                    .iter()
                    .any(|w| w.text == "-q=2" || w.text == "--quiet=2")
            {
                continue;
            }
            out.push(
                RULE.diag(
                    c.range,
                    "`apt-get install` without `-y` stops at the confirmation prompt",
                )
                .with_fix(insert_after("Add `-y`", &c.words[k], "-y")),
            );
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
            "FROM debian\nRUN apt-get update && apt-get install curl \\\n                      ^^^^^^^^^^^^^^^^^^^^^^ (+1 lines) warning[AptGetMissingYes]: `apt-get install` without `-y` stops at the confirmation prompt\n    wget\nRUN apt-get install -qy x && apt-get -y install y && apt-get install --yes z && apt-get install -s w\nRUN sudo apt-get -q install x\n         ^^^^^^^^^^^^^^^^^^^^ warning[AptGetMissingYes]: `apt-get install` without `-y` stops at the confirmation prompt\n",
        );
        assert_fix(
            &RULE,
            "FROM debian\nRUN apt-get install curl\n",
            "FROM debian\nRUN apt-get install -y curl\n",
        );
    }
}
