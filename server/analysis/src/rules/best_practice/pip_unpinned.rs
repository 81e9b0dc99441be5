//! `PipUnpinned` (hadolint DL3013): `pip install` of a package without a version.

use super::super::prelude::*;
use super::pip_no_cache_dir::pip_install;
use super::through_sudo;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "PipUnpinned",
        aliases: &["DL3013"],
        severity: Severity::Info,
        category: Category::BestPractice,
        summary: "`pip install` of a package without a pinned version",
        why: "`pip install requests` installs the newest release on every rebuild, so builds drift and can break. Pin (`requests==2.32.3`), or install from a requirements or constraints file that pins.",
        bad: "FROM python:3.12\nRUN pip install --no-cache-dir requests\n",
        good: "FROM python:3.12\nRUN pip install --no-cache-dir requests==2.32.3\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

/// pip install options with a value.
const VALUE_OPTS: &[&str] = &[
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--src",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--upgrade-strategy",
    "--progress-bar",
    "--cache-dir",
    "--log",
    "--proxy",
    "--retries",
    "--timeout",
    "--trusted-host",
    "--cert",
    "--client-cert",
    "--only-binary",
    "--no-binary",
    "--global-option",
    "--config-settings",
    "-C",
    "--root-user-action",
    "--report",
    "--python",
    "--pip-args",
    "--index",
    "--suffix",
];

fn pinned(p: &str) -> bool {
    if let Some((_, rest)) = p.split_once("://") {
        // A VCS or archive URL: pinned by `@ref` after the host.
        let path = rest.split_once('/').map_or("", |(_, path)| path);
        return path.contains('@')
            || p.ends_with(".whl")
            || p.ends_with(".tar.gz")
            || p.ends_with(".zip");
    }
    ["==", ">=", "<=", "~=", "!=", "<", ">", "@"]
        .iter()
        .any(|op| p.contains(op))
        || p.contains('/')
        || p.starts_with('.')
        || p.starts_with('$')
        || p.ends_with(".whl")
        || p.ends_with(".tar.gz")
        || p.ends_with(".zip")
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for (_, s) in ctx.runs() {
        for c in &s.commands {
            let c = through_sudo(c);
            let Some(k) = pip_install(&c, true) else {
                continue;
            };
            if c.has_flag(&["-c", "--constraint"]) {
                continue;
            }
            for p in c.operands(k, VALUE_OPTS) {
                if !pinned(&p.text) {
                    out.push(RULE.diag(
                        p.range,
                        format!("Pin the version of `{}` (`{}==<version>`)", p.text, p.text),
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
            "FROM python\nRUN pip install -r req.txt a==1 'b>=2' . git+https://x/y@v1 c\n                                                            ^ info[PipUnpinned]: Pin the version of `c` (`c==<version>`)\n",
        );
    }
}
