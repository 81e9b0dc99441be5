//! `AptListsNotRemoved` (hadolint DL3009): `apt-get update` whose package lists stay
//! in the final image.

use super::super::prelude::*;
use super::{apt_sub, has_cache_mount, in_final_image, reaches_final, through_sudo};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "AptListsNotRemoved",
        aliases: &["DL3009"],
        severity: Severity::Info,
        category: Category::BestPractice,
        summary: "Package lists from `apt-get update` are not removed in the same RUN",
        why: "`apt-get update` downloads tens of megabytes of package lists to `/var/lib/apt/lists`. Unless the same RUN deletes them (`rm -rf /var/lib/apt/lists/*`), they stay in the layer forever, even if a later RUN removes them. Stages that do not end up in the final image, and RUNs that mount a cache or tmpfs over the lists, are not reported. The fix appends the cleanup to the RUN.",
        bad: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n",
        good: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*\n",
        fix: Some(Safety::Safe),
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

const APT: &[&str] = &["apt-get", "apt", "aptitude"];

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let fin = in_final_image(ctx);
    for (i, s) in ctx.runs() {
        if !reaches_final(ctx, i, &fin)
            || has_cache_mount(ctx, i, &["/var/lib/apt/lists", "/var/lib/apt"])
        {
            continue;
        }
        let update = s.commands.iter().find_map(|c| {
            let c = through_sudo(c);
            apt_sub(&c, APT, "update").map(|_| c.range)
        });
        let Some(range) = update else { continue };
        // `rm -rf /var/lib/apt/lists/*`, or `apt-get dist-clean` (apt 2.7+).
        let cleaned = s.commands.iter().any(|c| {
            let c = through_sudo(c);
            (c.name() == "rm"
                && c.args()
                    .iter()
                    .any(|w| w.text.starts_with("/var/lib/apt/lists")))
                || apt_sub(&c, APT, "dist-clean").is_some()
        });
        if cleaned {
            continue;
        }
        let mut d = RULE.diag(
            range,
            "Remove the package lists in the same RUN (`&& rm -rf /var/lib/apt/lists/*`)",
        );
        // Append after the last command when the script is the RUN line itself.
        let inst = i.inst.trigger().unwrap_or(i.inst);
        if inst.heredocs.is_empty()
            && let Args::Text(w) = &inst.args
        {
            d = d.with_fix(Fix::safe(
                "Append `&& rm -rf /var/lib/apt/lists/*`",
                vec![Edit::insert(
                    i.abs(w.range).end,
                    " \\\n    && rm -rf /var/lib/apt/lists/*",
                )],
            ));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM debian AS build\nRUN apt-get update && apt-get install -y x\nFROM debian\nRUN apt update\n    ^^^^^^^^^^ info[AptListsNotRemoved]: Remove the package lists in the same RUN (`&& rm -rf /var/lib/apt/lists/*`)\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\nRUN apt-get update && apt-get install -y x && apt-get dist-clean\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n",
        );
        assert_fix(
            &RULE,
            "FROM debian\nRUN apt-get update && apt-get install -y x\n",
            "FROM debian\nRUN apt-get update && apt-get install -y x \\\n    && rm -rf /var/lib/apt/lists/*\n",
        );
    }
}
