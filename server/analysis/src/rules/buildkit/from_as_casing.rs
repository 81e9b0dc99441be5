//! `FromAsCasing` (BuildKit): the `AS` keyword should match the case of `FROM`.

use super::super::prelude::*;
use super::url;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "FromAsCasing",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "The 'as' keyword should match the case of the 'from' keyword",
        why: "Mixed casing such as `FROM alpine as build` reads as if `as` were an argument. BuildKit checks only keywords that are all upper or all lower case.",
        bad: "FROM alpine as build\n",
        good: "FROM alpine AS build\n",
        fix: Some(Safety::Safe),
        url: url!("from-as-casing"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in ctx.of_kind(InstructionKind::From) {
        let Some(f) = i.inst.as_from() else { continue };
        let Some(kw_as) = f.as_keyword else { continue };
        let from = &i.inst.keyword.text;
        let is_upper = |s: &str| s == s.to_uppercase();
        let is_lower = |s: &str| s == s.to_lowercase();
        let wanted = if is_upper(from) && !is_upper(&kw_as.text) {
            "AS"
        } else if is_lower(from) && !is_lower(&kw_as.text) {
            "as"
        } else {
            continue;
        };
        let r = i.abs(kw_as.range);
        out.push(
            RULE.diag(
                r,
                format!(
                    "'{}' and '{from}' keywords' casing do not match",
                    kw_as.text
                ),
            )
            .with_fix(Fix::safe(
                format!("Change to '{wanted}'"),
                vec![Edit::replace(r, wanted)],
            )),
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
            "FROM a as b\n       ^^ warning[FromAsCasing]: 'as' and 'FROM' keywords' casing do not match\nfrom a AS c\n       ^^ warning[FromAsCasing]: 'AS' and 'from' keywords' casing do not match\nFrom a as d\nFROM a AS e\n",
        );
        assert_fix(
            &RULE,
            "FROM a as b\nfrom a As c\n",
            "FROM a AS b\nfrom a as c\n",
        );
    }
}
