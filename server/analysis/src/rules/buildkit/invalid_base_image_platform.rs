//! `InvalidBaseImagePlatform` (BuildKit): not checked offline.

use super::super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "InvalidBaseImagePlatform",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "Base image platform does not match expected target platform",
        why: "BuildKit reports this when the image it pulled for a FROM line has another platform than the one the stage is built for. Knowing that needs the image's manifest from its registry, so Docksmith, which works offline and never pulls images, does not check it. The name is known so that `# check=skip=InvalidBaseImagePlatform` is accepted.",
        bad: "FROM --platform=linux/arm64 some/amd64-only-image\n",
        good: "FROM --platform=$TARGETPLATFORM some/multi-arch-image\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

/// Needs the registry: nothing to check offline.
fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}
