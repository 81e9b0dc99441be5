//! `NoEmptyContinuation` (BuildKit): empty lines inside a continued instruction.

use super::super::prelude::*;
use super::url;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "NoEmptyContinuation",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "Empty continuation lines will become errors in a future release",
        why: "An empty line inside a `\\`-continued instruction is skipped today, but it is easy to misread as the end of the instruction, and BuildKit plans to make it an error. BuildKit reports it on the instruction's last line; Docksmith points at the empty line itself.",
        bad: "FROM alpine\nRUN apk add \\\n\n    curl\n",
        good: "FROM alpine\nRUN apk add \\\n    curl\n",
        fix: Some(Safety::Safe),
        url: url!("no-empty-continuation"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in &ctx.insts {
        for &r in &i.inst.empty_continuation_lines {
            let line = i.abs(r);
            let body = ctx.slice(line).trim_end_matches(['\n', '\r']).len() as u32;
            out.push(
                RULE.diag(
                    TextRange::new(line.start, line.start + body),
                    "Empty continuation line",
                )
                .with_tag(Tag::Unnecessary)
                .with_fix(Fix::safe("Remove the empty line", vec![Edit::delete(line)])),
            );
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
            "FROM a\nRUN a \\\n\n| warning[NoEmptyContinuation]: Empty continuation line\n  b \\\n  \n^^ warning[NoEmptyContinuation]: Empty continuation line\n  c\n",
        );
        assert_fix(
            &RULE,
            "FROM a\nRUN a \\\n\n  \n b\n",
            "FROM a\nRUN a \\\n b\n",
        );
    }
}
