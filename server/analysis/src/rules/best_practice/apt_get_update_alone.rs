//! `AptGetUpdateAlone`: `apt-get update` in a RUN of its own.

use super::super::prelude::*;
use super::{apt_sub, through_sudo};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "AptGetUpdateAlone",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BestPractice,
        summary: "`apt-get update` alone in its own RUN",
        why: "The layer cache keeps a RUN that holds only `apt-get update` for as long as its text does not change, so a later `apt-get install` in another RUN works on stale package lists (weeks old, or missing packages that were published since). Update and install in the same RUN, and remove the lists at its end.",
        bad: "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n",
        good: "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\n",
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
        if !s.ok {
            continue;
        }
        let mut update = None;
        let mut other = false;
        for c in &s.commands {
            let c = through_sudo(c);
            if ["apt-get", "apt"].contains(&c.name()) {
                if apt_sub(&c, &["apt-get", "apt"], "update").is_some() {
                    update.get_or_insert(c.range);
                } else {
                    other = true;
                }
            } else if !matches!(c.name(), "set" | "true" | ":" | "echo") {
                other = true;
            }
        }
        if let (Some(r), false) = (update, other) {
            out.push(RULE.diag(
                r,
                "`apt-get update` alone: its layer is cached and later installs use stale package lists; update and install in the same RUN",
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
            "FROM debian\nRUN apt-get update -q\n    ^^^^^^^^^^^^^^^^^ warning[AptGetUpdateAlone]: `apt-get update` alone: its layer is cached and later installs use stale package lists; update and install in the same RUN\nRUN apt-get update && apt-get install -y x\nRUN apt-get update && ./configure\n",
        );
    }
}
