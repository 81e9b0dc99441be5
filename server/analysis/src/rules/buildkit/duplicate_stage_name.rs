//! `DuplicateStageName` (BuildKit): stage names should be unique.

use super::super::prelude::*;
use super::url;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "DuplicateStageName",
        aliases: &["DL3024"],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "Stage names should be unique",
        why: "Names are compared without case. With two stages of the same name, `COPY --from` and `--target` can only reach one of them, and BuildKit fails the build.",
        bad: "FROM alpine AS build\nFROM alpine AS build\n",
        good: "FROM alpine AS build\nFROM alpine AS test\n",
        fix: None,
        url: url!("duplicate-stage-name"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Stages,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let mut seen: std::collections::HashMap<String, TextRange> = std::collections::HashMap::new();
    for s in &ctx.model.stages {
        let Some(n) = &s.name else { continue };
        let lower = n.text.to_lowercase();
        match seen.get(&lower) {
            Some(&first) => out.push(
                RULE.diag(
                    n.range,
                    format!("Duplicate stage name {lower:?}, stage names should be unique"),
                )
                .with_related(first, "first defined here"),
            ),
            None => {
                seen.insert(lower, n.range);
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
            "FROM a AS b\nFROM a AS B\n          ^ warning[DuplicateStageName]: Duplicate stage name \"b\", stage names should be unique\nFROM a AS c\n",
        );
    }
}
