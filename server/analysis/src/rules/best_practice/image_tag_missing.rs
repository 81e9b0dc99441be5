//! `ImageTagMissing` (hadolint DL3006): a base image without a tag or digest.

use super::super::prelude::*;
use crate::semantics::Base;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "ImageTagMissing",
        aliases: &["DL3006"],
        severity: Severity::Warning,
        category: Category::BestPractice,
        summary: "Base image without a tag: the build takes whatever `latest` is today",
        why: "`FROM debian` means `debian:latest`, which moves: a rebuild next month can get a new major version and break. Name a tag (`debian:12-slim`); for production pin the digest too (`debian:12-slim@sha256:...`), so the bytes never change under you. Stage names, `scratch` and references built from variables are not reported.",
        bad: "FROM debian\n",
        good: "FROM debian:12-slim\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Stages,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for s in &ctx.model.stages {
        if s.base != Base::Image {
            continue;
        }
        let (Some((word, range)), Some(img)) = (&s.image_word, &s.image) else {
            continue;
        };
        if word.contains('$') || img.tag.is_some() || img.digest.is_some() {
            continue;
        }
        out.push(RULE.diag(
            *range,
            format!("Tag the image explicitly (`{word}:<version>`, and `@sha256:...` for production); without a tag it is `{word}:latest`"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM debian AS build\n     ^^^^^^ warning[ImageTagMissing]: Tag the image explicitly (`debian:<version>`, and `@sha256:...` for production); without a tag it is `debian:latest`\nFROM build\nFROM scratch\nFROM ruby@sha256:abc\nARG I=x\nFROM $I\nFROM node:22\n",
        );
    }
}
