//! `ApkAddUnpinned` (hadolint DL3018): `apk add` of a package without a version.

use super::super::prelude::*;
use super::through_sudo;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "ApkAddUnpinned",
        aliases: &["DL3018"],
        severity: Severity::Info,
        category: Category::BestPractice,
        summary: "`apk add` of a package without a pinned version",
        why: "Without `package=version` (or `package~version`) each rebuild installs whatever the Alpine mirror has that day, so builds are not reproducible. Pin where reproducibility matters.",
        bad: "FROM alpine:3.20\nRUN apk add --no-cache curl\n",
        good: "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r1\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

/// apk options with a value.
const VALUE_OPTS: &[&str] = &[
    "-t",
    "--virtual",
    "-X",
    "--repository",
    "-p",
    "--root",
    "--arch",
    "--cache-dir",
    "--keys-dir",
    "--repositories-file",
];

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for (_, s) in ctx.runs() {
        for c in &s.commands {
            let c = through_sudo(c);
            if c.name() != "apk" {
                continue;
            }
            let Some((k, _)) = c.subcommand(VALUE_OPTS).filter(|(_, w)| w.text == "add") else {
                continue;
            };
            for p in c.operands(k, VALUE_OPTS) {
                let t = &p.text;
                if t.contains(['=', '~', '<', '>']) || t.ends_with(".apk") || t.starts_with('$') {
                    continue;
                }
                out.push(RULE.diag(
                    p.range,
                    format!("Pin the version of `{t}` (`{t}=<version>`)"),
                ));
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
            "FROM alpine\nRUN apk add --no-cache --virtual .deps a=1 b~2 c\n                                               ^ info[ApkAddUnpinned]: Pin the version of `c` (`c=<version>`)\n",
        );
    }
}
