//! `ShellJsonForm`: SHELL not written as a JSON array.

use super::super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "ShellJsonForm",
        aliases: &[],
        severity: Severity::Error,
        category: Category::Syntax,
        summary: "SHELL requires the arguments to be in JSON form",
        why: "SHELL takes the shell and its options as a JSON array of strings (`SHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]`) with at least one element; BuildKit rejects any other form.",
        bad: "FROM alpine\nSHELL /bin/bash -c\n",
        good: "FROM alpine\nSHELL [\"/bin/bash\", \"-c\"]\n",
        fix: Some(Safety::Safe),
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    use crate::rules::buildkit::json_args_recommended::exec_form;
    for i in ctx.of_kind(InstructionKind::Shell) {
        match &i.inst.args {
            Args::Text(w) => {
                let r = i.abs(w.range);
                let mut d = RULE.diag(r, "SHELL requires the arguments to be in JSON form");
                if let Some(exec) = exec_form(&w.text) {
                    d = d.with_fix(Fix::safe(
                        "Convert to JSON form",
                        vec![Edit::replace(r, exec)],
                    ));
                }
                out.push(d);
            }
            Args::Json { range, elements } if elements.is_empty() => {
                out.push(RULE.diag(i.abs(*range), "SHELL requires at least one argument"));
            }
            _ => {}
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
            "FROM a\nSHELL /bin/sh -c\n      ^^^^^^^^^^ error[ShellJsonForm]: SHELL requires the arguments to be in JSON form\nSHELL []\n      ^^ error[ShellJsonForm]: SHELL requires at least one argument\nSHELL [\"sh\"]\n",
        );
        assert_fix(
            &RULE,
            "FROM a\nSHELL bash -c\n",
            "FROM a\nSHELL [\"bash\", \"-c\"]\n",
        );
    }
}
