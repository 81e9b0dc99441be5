//! `ConsistentInstructionCasing` (BuildKit): all instructions in one casing.

use super::super::prelude::*;
use super::url;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "ConsistentInstructionCasing",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "All commands within the Dockerfile should use the same casing (either upper or lower)",
        why: "Instruction keywords are case-insensitive, but a file that mixes `FROM` and `run` is harder to read. The majority casing wins (upper case on a tie); mixed-case keywords such as `From` are always reported.",
        bad: "FROM alpine\nrun echo hi\nCMD [\"sh\"]\n",
        good: "FROM alpine\nRUN echo hi\nCMD [\"sh\"]\n",
        fix: Some(Safety::Safe),
        url: url!("consistent-instruction-casing"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Stages,
};

fn is_lower(s: &str) -> bool {
    !s.chars().any(char::is_uppercase)
}

fn is_upper(s: &str) -> bool {
    !s.chars().any(char::is_lowercase)
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    // Each keyword's casing: 0 lower, 1 upper, 2 mixed (read once).
    let (mut lower, mut upper) = (0usize, 0usize);
    let casing: Vec<u8> = ctx
        .insts
        .iter()
        .map(|i| {
            let k = &i.inst.keyword.text;
            if is_lower(k) {
                lower += 1;
                0
            } else if is_upper(k) {
                upper += 1;
                1
            } else {
                2
            }
        })
        .collect();
    let majority_lower = lower > upper;
    let name = if majority_lower {
        "lowercase"
    } else {
        "uppercase"
    };
    for (i, &c) in ctx.insts.iter().zip(&casing) {
        // An empty keyword (or one without letters) is both lower and upper case.
        if (majority_lower && c == 0)
            || (!majority_lower && (c == 1 || (c == 0 && is_upper(&i.inst.keyword.text))))
        {
            continue;
        }
        let k = &i.inst.keyword.text;
        if k.is_empty() || i.inst.kind == InstructionKind::Unknown {
            continue;
        }
        let wanted = if majority_lower {
            k.to_lowercase()
        } else {
            k.to_uppercase()
        };
        let r = i.abs(i.inst.keyword.range);
        out.push(
            RULE.diag(
                r,
                format!("Command '{k}' should match the case of the command majority ({name})"),
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
            "FROM a\ncopy x y\n^^^^ warning[ConsistentInstructionCasing]: Command 'copy' should match the case of the command majority (uppercase)\nFrom b\n^^^^ warning[ConsistentInstructionCasing]: Command 'From' should match the case of the command majority (uppercase)\n",
        );
        assert_rule(
            &RULE,
            "FROM a\n^^^^ warning[ConsistentInstructionCasing]: Command 'FROM' should match the case of the command majority (lowercase)\ncopy x y\nrun z\n",
        );
        assert_fix(&RULE, "FROM a\nrun x\nCMD y\n", "FROM a\nRUN x\nCMD y\n");
    }
}
