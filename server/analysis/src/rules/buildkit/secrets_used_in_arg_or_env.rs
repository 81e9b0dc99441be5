//! `SecretsUsedInArgOrEnv` (BuildKit): secret-looking names in ARG or ENV.

use super::super::prelude::*;
use super::url;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "SecretsUsedInArgOrEnv",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "Sensitive data should not be used in the ARG or ENV commands",
        why: "ARG and ENV values end up in the image's history and configuration, where anyone with the image can read them. Pass secrets with `RUN --mount=type=secret` instead. A name counts as secret-looking when its last `_`-separated part is one of apikey, auth, credential(s), key, passphrase, password, passwd, pword, secret, token, and no part is `public`.",
        bad: "FROM alpine\nARG GITHUB_TOKEN\n",
        good: "FROM alpine\nRUN --mount=type=secret,id=github_token,env=GITHUB_TOKEN ./fetch.sh\n",
        fix: None,
        url: url!("secrets-used-in-arg-or-env"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

const SECRET_WORDS: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "passphrase",
    "password",
    "passwd",
    "pword",
    "secret",
    "token",
];

/// Whether a variable name looks like it holds a secret.
pub fn is_secret_name(name: &str) -> bool {
    // Compared without case (SECRET_WORDS are lower case).
    let last = name.rsplit('_').next().unwrap_or("");
    SECRET_WORDS.iter().any(|w| last.eq_ignore_ascii_case(w))
        && !name.split('_').any(|p| p.eq_ignore_ascii_case("public"))
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in ctx.of_kinds(&[InstructionKind::Arg, InstructionKind::Env]) {
        let kind = i.inst.kind;
        if !matches!(kind, InstructionKind::Arg | InstructionKind::Env) {
            continue;
        }
        for p in pair_views(i.inst) {
            let name = unquoted(p.key.text, ctx.df.escape());
            if is_secret_name(&name) {
                out.push(RULE.diag(
                    i.abs(p.key.range),
                    format!(
                        "Do not use ARG or ENV instructions for sensitive data ({} {name:?})",
                        kind.name()
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for yes in [
            "SECRET_PASSPHRASE",
            "SUPER_Secret",
            "password",
            "auth",
            "apikey",
            "git_key",
            "a_token",
        ] {
            assert!(is_secret_name(yes), "{yes}");
        }
        for no in [
            "PUBLIC_KEY",
            "public_token",
            "SECRET_PASSPHRASE_FILE",
            "AUTH_MODULE_VERSION",
            "sunflower",
            "monkey",
        ] {
            assert!(!is_secret_name(no), "{no}");
        }
    }

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM a\nENV password=bar sunflower=foo\n    ^^^^^^^^ warning[SecretsUsedInArgOrEnv]: Do not use ARG or ENV instructions for sensitive data (ENV \"password\")\nARG API_KEY\n    ^^^^^^^ warning[SecretsUsedInArgOrEnv]: Do not use ARG or ENV instructions for sensitive data (ARG \"API_KEY\")\n",
        );
    }
}
