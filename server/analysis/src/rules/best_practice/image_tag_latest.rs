//! `ImageTagLatest` (hadolint DL3007): a base image tagged `latest`.

use super::super::prelude::*;
use crate::semantics::Base;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "ImageTagLatest",
        aliases: &["DL3007"],
        severity: Severity::Warning,
        category: Category::BestPractice,
        summary: "Base image tagged `latest`: it changes without notice",
        why: "`latest` is just the tag a publisher moved last; builds from it are not reproducible, and a rebuild can pull a new major version. Name a version (`alpine:3.20`); for production pin the digest too (`alpine:3.20@sha256:...`). A `latest` with a digest is pinned by the digest and not reported.",
        bad: "FROM alpine:latest\n",
        good: "FROM alpine:3.20\n",
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
        if !matches!(s.base, Base::Image | Base::Unresolved) {
            continue;
        }
        let Some(img) = &s.image else { continue };
        let (Some(tag), None) = (&img.tag, &img.digest) else {
            continue;
        };
        if tag.text != "latest" {
            continue;
        }
        let range = s
            .image_word
            .as_ref()
            .filter(|(w, _)| !w.contains('$'))
            .map_or(tag.range, |(_, r)| *r);
        out.push(RULE.diag(
            range,
            "Using `latest` is prone to errors: pin a version (and a digest for production)",
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
            "FROM debian:latest AS b\n     ^^^^^^^^^^^^^ warning[ImageTagLatest]: Using `latest` is prone to errors: pin a version (and a digest for production)\nFROM d:latest@sha256:7959ed6f7e35f8b1aaa06d1d8259d4ee25aa85a086d5c125480c333183f9deeb\nFROM d:12\n",
        );
    }
}
