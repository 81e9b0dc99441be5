//! `InvalidStageName`: a stage name BuildKit does not accept.

use super::super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "InvalidStageName",
        aliases: &[],
        severity: Severity::Error,
        category: Category::Syntax,
        summary: "Invalid stage name",
        why: "A stage name starts with a letter and holds only letters, digits, `-`, `_` and `.` (BuildKit: `^[a-z][a-z0-9-_.]*$`, compared in lower case). Anything else fails the build.",
        bad: "FROM alpine AS 1st\n",
        good: "FROM alpine AS first\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Stages,
};

/// Whether BuildKit accepts a stage name.
pub fn valid_stage_name(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    let mut chars = l.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for s in &ctx.model.stages {
        let Some(n) = &s.name else { continue };
        if !valid_stage_name(&n.text) {
            out.push(RULE.diag(
                n.range,
                format!("invalid name for build stage: {:?}, name can't start with a number or contain symbols", n.text),
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
            "FROM a AS 1s\n          ^^ error[InvalidStageName]: invalid name for build stage: \"1s\", name can't start with a number or contain symbols\nFROM a AS b-c_d.e\nFROM a AS x$y\n          ^^^ error[InvalidStageName]: invalid name for build stage: \"x$y\", name can't start with a number or contain symbols\n",
        );
    }
}
