//! `ApkAddNoCache` (hadolint DL3019): `apk add` without `--no-cache`.

use super::super::prelude::*;
use super::{has_cache_mount, insert_after, through_sudo};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "ApkAddNoCache",
        aliases: &["DL3019"],
        severity: Severity::Info,
        category: Category::BestPractice,
        summary: "`apk add` without `--no-cache` leaves the package index in the image",
        why: "`apk add --no-cache` fetches the index, installs, and keeps nothing in `/var/cache/apk`; without it the index stays in the layer (or needs an `apk update` and a `rm -rf /var/cache/apk/*`). RUNs that mount a cache over `/var/cache/apk` are not reported. The fix adds `--no-cache`.",
        bad: "FROM alpine:3.20\nRUN apk add curl=8.9.1-r1\n",
        good: "FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r1\n",
        fix: Some(Safety::Safe),
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for (i, s) in ctx.runs() {
        if has_cache_mount(ctx, i, &["/var/cache/apk", "/etc/apk/cache"]) {
            continue;
        }
        for c in &s.commands {
            let c = through_sudo(c);
            if c.name() != "apk" {
                continue;
            }
            let Some((k, _)) = c.subcommand(&[]).filter(|(_, w)| w.text == "add") else {
                continue;
            };
            if c.has_flag(&["--no-cache"]) {
                continue;
            }
            out.push(
                RULE.diag(
                    c.range,
                    "Use `apk add --no-cache` so the package index does not stay in the image",
                )
                .with_fix(insert_after(
                    "Add `--no-cache`",
                    &c.words[k],
                    "--no-cache",
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
            "FROM alpine\nRUN apk add x && apk add --no-cache y\n    ^^^^^^^^^ info[ApkAddNoCache]: Use `apk add --no-cache` so the package index does not stay in the image\nRUN --mount=type=cache,target=/var/cache/apk apk add z\n",
        );
        assert_fix(
            &RULE,
            "FROM a\nRUN apk -U add x\n",
            "FROM a\nRUN apk -U add --no-cache x\n",
        );
    }
}
