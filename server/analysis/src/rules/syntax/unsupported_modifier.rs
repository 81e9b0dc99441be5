//! `UnsupportedModifier`: a `${VAR<op>word}` modifier BuildKit does not support.

use super::super::prelude::*;
use crate::expand::SUPPORTED_MODIFIERS;
use docksmith_syntax::VarContext;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "UnsupportedModifier",
        aliases: &[],
        severity: Severity::Error,
        category: Category::Syntax,
        summary: "Unsupported variable modifier, or a `${` without `}`",
        why: "BuildKit expands `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?msg}`, `${VAR?msg}`, `${VAR#prefix}`, `${VAR##prefix}`, `${VAR%suffix}`, `${VAR%%suffix}`, `${VAR/from/to}` and `${VAR//from/to}` itself; any other modifier (such as bash's substring `${VAR:0:3}`) fails the build. RUN, CMD and ENTRYPOINT are left to the shell and not checked.",
        bad: "FROM alpine\nARG VERSION=1.2.3\nCOPY app-${VERSION:0:3}.tar /app/\n",
        good: "FROM alpine\nARG VERSION=1.2.3\nCOPY app-${VERSION%.*}.tar /app/\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in &ctx.insts {
        for v in &i.inst.vars {
            if v.context != VarContext::Dockerfile {
                continue;
            }
            let text = i.text(v.range);
            if v.unterminated {
                out.push(RULE.diag(
                    i.abs(v.range),
                    format!("failed to process {text:?}: missing '}}'"),
                ));
                continue;
            }
            if let Some(m) = &v.modifier
                && !SUPPORTED_MODIFIERS.contains(&m.op.as_str())
            {
                let op = m.op.trim_start_matches(':');
                let shown = if op.is_empty() {
                    i.text(m.word)
                        .chars()
                        .next()
                        .map(String::from)
                        .unwrap_or_default()
                } else {
                    op.to_string()
                };
                out.push(RULE.diag(
                    i.abs(v.range),
                    format!(
                        "failed to process {text:?}: unsupported modifier ({shown}) in substitution"
                    ),
                ));
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
            "FROM a\nENV b=1\nADD x ${b:x} ${b:-ok} ${b/a/c}\n      ^^^^^^ error[UnsupportedModifier]: failed to process \"${b:x}\": unsupported modifier (x) in substitution\nRUN echo ${b:0:2}\nCOPY ${b .\n     ^^^ error[UnsupportedModifier]: failed to process \"${b\": missing '}'\n",
        );
    }
}
