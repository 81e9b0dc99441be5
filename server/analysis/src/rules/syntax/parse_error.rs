//! `ParseError`: BuildKit's parser rejects the file.

use super::super::prelude::*;
use docksmith_syntax::ErrorKind;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "ParseError",
        aliases: &[],
        severity: Severity::Error,
        category: Category::Syntax,
        summary: "BuildKit's parser rejects the file",
        why: "`docker build` stops before anything runs: a JSON array with something other than strings, `ENV` without a value, a missing `=`, an unterminated heredoc, a duplicate or invalid parser directive, or a file without instructions.",
        bad: "FROM alpine\nENV PATH\n",
        good: "FROM alpine\nENV PATH=/usr/local/bin:$PATH\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for e in errors(ctx) {
        if e.kind == ErrorKind::Parse {
            out.push(RULE.diag(e.range, e.message));
        }
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
            "FROM alpine\nCMD [\"a\", 1]\n    ^^^^^^^^ error[ParseError]: when using JSON array syntax, arrays must be comprised of strings only\n",
        );
        assert_rule(&RULE, "\n| error[ParseError]: file with no instructions\n");
    }
}
