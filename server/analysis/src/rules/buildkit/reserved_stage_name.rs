//! `ReservedStageName` (BuildKit): `scratch` and `context` are not stage names.

use super::super::prelude::*;
use super::url;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "ReservedStageName",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "Reserved words should not be used as stage names",
        why: "`scratch` is the empty image and `context` the build context: a stage named so is ambiguous in `FROM` and `COPY --from`.",
        bad: "FROM alpine AS scratch\n",
        good: "FROM alpine AS base\n",
        fix: None,
        url: url!("reserved-stage-name"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Stages,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for s in &ctx.model.stages {
        let Some(n) = &s.name else { continue };
        let lower = n.text.to_lowercase();
        if lower == "scratch" || lower == "context" {
            out.push(RULE.diag(
                n.range,
                format!("Stage name should not use the same name as reserved stage {lower:?}"),
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
            "FROM a AS Scratch\n          ^^^^^^^ warning[ReservedStageName]: Stage name should not use the same name as reserved stage \"scratch\"\nFROM a AS ctx\n",
        );
    }
}
