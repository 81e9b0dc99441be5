//! `AptGetNoInstallRecommends` (hadolint DL3015): `apt-get install` without
//! `--no-install-recommends`.

use super::super::prelude::*;
use super::{apt_sub, insert_after, through_sudo};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "AptGetNoInstallRecommends",
        aliases: &["DL3015"],
        severity: Severity::Info,
        category: Category::BestPractice,
        summary: "`apt-get install` without `--no-install-recommends` installs packages you did not ask for",
        why: "By default apt also installs every *recommended* package, which often doubles the size of an image and adds attack surface. Install only what you name with `--no-install-recommends` (or `-o APT::Install-Recommends=false`). The fix adds the flag.",
        bad: "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
        good: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n",
        fix: Some(Safety::Safe),
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for (_, s) in ctx.runs() {
        for c in &s.commands {
            let c = through_sudo(c);
            let Some(k) = apt_sub(&c, &["apt-get"], "install") else {
                continue;
            };
            let words = c.words.iter().map(|w| &*w.text);
            let mut prev = "";
            let mut ok = false;
            for w in words {
                if w == "--no-install-recommends"
                    || w.contains("APT::Install-Recommends=false")
                    || w.contains("APT::Install-Recommends=0")
                    || (prev == "-o"
                        && w.starts_with("APT::Install-Recommends")
                        && !w.ends_with("true"))
                {
                    ok = true;
                }
                prev = w;
            }
            if ok {
                continue;
            }
            out.push(
                RULE.diag(
                    c.range,
                    "`apt-get install` without `--no-install-recommends` also installs recommended packages",
                )
                .with_fix(insert_after(
                    "Add `--no-install-recommends`",
                    &c.words[k],
                    "--no-install-recommends",
                )),
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
            "FROM debian\nRUN apt-get install -y curl\n    ^^^^^^^^^^^^^^^^^^^^^^^ info[AptGetNoInstallRecommends]: `apt-get install` without `--no-install-recommends` also installs recommended packages\nRUN apt-get install -y --no-install-recommends curl\nRUN apt-get -o APT::Install-Recommends=false install -y curl\n",
        );
        assert_fix(
            &RULE,
            "FROM debian\nRUN apt-get install -y curl\n",
            "FROM debian\nRUN apt-get install --no-install-recommends -y curl\n",
        );
    }
}
