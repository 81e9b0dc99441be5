//! `AptGetUnpinned` (hadolint DL3008): `apt-get install` of packages without a
//! version.

use super::super::prelude::*;
use super::{APT_VALUE_OPTS, apt_sub, through_sudo};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "AptGetUnpinned",
        aliases: &["DL3008"],
        severity: Severity::Info,
        category: Category::BestPractice,
        summary: "`apt-get install` of a package without a pinned version",
        why: "Without `package=version` every rebuild installs whatever the mirror has that day, so two builds of the same Dockerfile differ and a rebuild can break. Pin versions where reproducibility matters (`curl=7.88.1-10+deb12u5`), or accept the drift knowingly.",
        bad: "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n",
        good: "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

/// Whether an apt package argument names a version or a local file.
pub(crate) fn pinned(p: &str) -> bool {
    p.contains('=')
        || p.ends_with(".deb")
        || p.starts_with('/')
        || p.starts_with("./")
        || p.starts_with('$')
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for (_, s) in ctx.runs() {
        for c in &s.commands {
            let c = through_sudo(c);
            let Some(k) = apt_sub(&c, &["apt-get"], "install") else {
                continue;
            };
            for p in c.operands(k, APT_VALUE_OPTS) {
                if !pinned(&p.text) {
                    out.push(RULE.diag(
                        p.range,
                        format!("Pin the version of `{}` (`{}=<version>`)", p.text, p.text),
                    ));
                }
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
            "FROM debian\nRUN apt-get install -y -o Debug::x=1 curl=7.1 ./local.deb wget\n                                                          ^^^^ info[AptGetUnpinned]: Pin the version of `wget` (`wget=<version>`)\n",
        );
    }
}
