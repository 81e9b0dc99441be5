//! `UnknownInstruction`: a word BuildKit does not know as an instruction.

use super::super::prelude::*;
use docksmith_syntax::ErrorKind;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "UnknownInstruction",
        aliases: &[],
        severity: Severity::Error,
        category: Category::Syntax,
        summary: "Unknown instruction",
        why: "BuildKit parses the line but the build fails on it (`unknown instruction`). Usually a typo, or a shell line that lost its continuation `\\`.",
        bad: "FROM alpine\nRUNN echo hi\n",
        good: "FROM alpine\nRUN echo hi\n",
        fix: Some(Safety::Unsafe),
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for e in errors(ctx) {
        if e.kind != ErrorKind::Instruction {
            continue;
        }
        let word = ctx.slice(e.range);
        // The parser's message as is; the suggestion is the fix's title.
        let mut d = RULE.diag(e.range, e.message.clone());
        if let Some(s) = did_you_mean(word, InstructionKind::ALL.iter().map(|k| k.name())) {
            let upper = word.chars().all(|c| !c.is_ascii_lowercase());
            let new = if upper {
                s.to_string()
            } else {
                s.to_ascii_lowercase()
            };
            d = d.with_fix(Fix::unsafe_(
                format!("Did you mean {new}?"),
                vec![Edit::replace(e.range, new)],
            ));
        }
        out.push(d);
    }
}

/// The syntax errors of the checked instructions: the whole file's (those outside
/// instructions too) for a whole-file context.
fn errors(ctx: &Ctx<'_>) -> Vec<docksmith_syntax::SyntaxError> {
    if !ctx.is_part() {
        return ctx.df.errors();
    }
    ctx.insts
        .iter()
        .flat_map(|i| {
            i.node.errors.iter().map(|e| docksmith_syntax::SyntaxError {
                range: i.abs(e.range),
                ..e.clone()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM alpine\nRUNN echo\n^^^^ error[UnknownInstruction]: unknown instruction: RUNN\nfoo bar\n^^^ error[UnknownInstruction]: unknown instruction: foo\n",
        );
    }
}
