//! `StageNameCasing` (BuildKit): stage names should be lowercase.

use super::super::prelude::*;
use super::url;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "StageNameCasing",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "Stage names should be lowercase",
        why: "BuildKit compares stage names case-insensitively and reports them in lower case; writing them in lower case keeps `--target`, `COPY --from` and the build output consistent.",
        bad: "FROM alpine AS BuilderBase\n",
        good: "FROM alpine AS builder-base\n",
        fix: Some(Safety::Safe),
        url: url!("stage-name-casing"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Stages,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    use crate::semantics::StageRefKind;
    for s in &ctx.model.stages {
        let Some(n) = &s.name else { continue };
        let lower = n.text.to_lowercase();
        if lower == n.text {
            continue;
        }
        // Lower-case the definition and every mention by name (lookups ignore case).
        let mut edits = vec![Edit::replace(n.range, lower.clone())];
        for r in &ctx.model.stage_refs {
            if r.stage == s.index && !r.by_index && r.kind != StageRefKind::Definition {
                let written = ctx.slice(r.range);
                if written.eq_ignore_ascii_case(&n.text) && written != lower {
                    edits.push(Edit::replace(r.range, lower.clone()));
                }
            }
        }
        out.push(
            RULE.diag(
                n.range,
                format!("Stage name '{}' should be lowercase", n.text),
            )
            .with_fix(Fix::safe(format!("Rename to '{lower}'"), edits)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM alpine AS Build\n               ^^^^^ warning[StageNameCasing]: Stage name 'Build' should be lowercase\nFROM build AS ok\n",
        );
        assert_fix(
            &RULE,
            "FROM a AS Build\nFROM BUILD\nCOPY --from=Build /a /b\n",
            "FROM a AS build\nFROM build\nCOPY --from=build /a /b\n",
        );
    }
}
