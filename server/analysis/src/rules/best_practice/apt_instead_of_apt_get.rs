//! `AptInsteadOfAptGet` (hadolint DL3027): `apt` in a RUN.

use super::super::prelude::*;
use super::{APT_VALUE_OPTS, through_sudo};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "AptInsteadOfAptGet",
        aliases: &["DL3027"],
        severity: Severity::Warning,
        category: Category::BestPractice,
        summary: "`apt` is for people at a terminal; scripts use `apt-get`",
        why: "`apt` is the interactive front end: its output and behaviour may change between releases and it warns that it \"does not have a stable CLI interface\". `apt-get` (and `apt-cache`) are the stable, scriptable tools. The fix renames the command for the subcommands `apt-get` shares.",
        bad: "FROM debian:12\nRUN apt update && apt install -y curl\n",
        good: "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
        fix: Some(Safety::Safe),
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

/// `apt` subcommands that mean the same with `apt-get`.
const SHARED: &[&str] = &[
    "install",
    "update",
    "upgrade",
    "remove",
    "purge",
    "autoremove",
    "dist-upgrade",
    "clean",
    "autoclean",
    "source",
    "build-dep",
    "download",
];

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for (_, s) in ctx.runs() {
        for c in &s.commands {
            let c = through_sudo(c);
            if c.name() != "apt" {
                continue;
            }
            let mut d = RULE.diag(
                c.words[0].range,
                "Use `apt-get` (stable interface for scripts) instead of `apt`",
            );
            let sub = c.subcommand(APT_VALUE_OPTS).map(|(_, w)| &*w.text);
            if sub.is_some_and(|s| SHARED.contains(&s)) && c.words[0].text == "apt" {
                d = d.with_fix(Fix::safe(
                    "Use `apt-get`",
                    vec![Edit::replace(c.words[0].range, "apt-get")],
                ));
            }
            out.push(d);
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
            "FROM debian\nRUN apt install -y x && apt-get install y\n    ^^^ warning[AptInsteadOfAptGet]: Use `apt-get` (stable interface for scripts) instead of `apt`\n",
        );
        assert_fix(
            &RULE,
            "FROM d\nRUN apt update && apt list\n",
            "FROM d\nRUN apt-get update && apt list\n",
        );
    }
}
