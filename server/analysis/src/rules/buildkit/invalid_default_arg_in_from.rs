//! `InvalidDefaultArgInFrom` (BuildKit): the default ARG values make the FROM image
//! empty or invalid.

use super::super::prelude::*;
use super::url;
use crate::rules::syntax::invalid_image_reference::reference_error;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "InvalidDefaultArgInFrom",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "Default value for global ARG results in an empty or invalid base image name",
        why: "Without `--build-arg`, the ARGs in the FROM line take their defaults (empty when there is none). If that gives an empty or invalid image name, the build only works when every caller passes the argument. Give the ARG a default that works.",
        bad: "ARG VERSION\nFROM busybox:$VERSION\n",
        good: "ARG VERSION=latest\nFROM busybox:$VERSION\n",
        fix: None,
        url: url!("invalid-default-arg-in-from"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Stages,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for s in &ctx.model.stages {
        let Some((word, range)) = &s.image_word else {
            continue;
        };
        if !word.contains('$') {
            continue;
        }
        // The model resolves with defaults (an ARG without one is empty).
        let Some(img) = &s.image else { continue };
        if img.text.is_empty() || reference_error(&img.text).is_some() {
            out.push(RULE.diag(
                *range,
                format!("Default value for ARG {word} results in empty or invalid base image name"),
            ));
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
            "ARG VERSION\nARG IMAGE\nARG SFX=\"box:\"\nARG OK=\"\"\nFROM busybox:$VERSION\n     ^^^^^^^^^^^^^^^^ warning[InvalidDefaultArgInFrom]: Default value for ARG busybox:$VERSION results in empty or invalid base image name\nFROM $IMAGE\n     ^^^^^^ warning[InvalidDefaultArgInFrom]: Default value for ARG $IMAGE results in empty or invalid base image name\nFROM busy${SFX}\n     ^^^^^^^^^^ warning[InvalidDefaultArgInFrom]: Default value for ARG busy${SFX} results in empty or invalid base image name\nFROM busybox:stable${OK}\nFROM busybox:stable${VERSION}\n",
        );
    }
}
