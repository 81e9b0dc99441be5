//! `JsonSingleQuotes`: an exec-form array written with single quotes.

use super::super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "JsonSingleQuotes",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::Syntax,
        summary: "Instruction written as a JSON array but is using single quotes instead of double quotes",
        why: "JSON strings take double quotes. `CMD ['nginx', '-g', 'daemon off;']` is not JSON, so BuildKit silently runs it in shell form: `/bin/sh -c \"['nginx', ...]\"`, which fails at run time.",
        bad: "FROM nginx\nCMD ['nginx', '-g', 'daemon off;']\n",
        good: "FROM nginx\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n",
        fix: Some(Safety::Safe),
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

/// The JSON form of a `['a', 'b']` text, when it is exactly that.
fn convert(text: &str) -> Option<String> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?;
    let mut items = Vec::new();
    for part in inner.split(',') {
        let p = part.trim();
        let s = p.strip_prefix('\'')?.strip_suffix('\'')?;
        if s.contains(['\'', '"', '\\']) {
            return None;
        }
        items.push(format!("\"{s}\""));
    }
    Some(format!("[{}]", items.join(", ")))
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in &ctx.insts {
        if !matches!(
            i.inst.kind,
            InstructionKind::Run
                | InstructionKind::Cmd
                | InstructionKind::Entrypoint
                | InstructionKind::Shell
                | InstructionKind::Add
                | InstructionKind::Copy
                | InstructionKind::Volume
        ) || i.inst.is_json()
        {
            continue;
        }
        let Some(ar) = i.inst.args_range else {
            continue;
        };
        let text = i.text(ar).trim();
        if !(text.starts_with("['") && text.ends_with(']') && text.contains('\'')) {
            continue;
        }
        let r = i.abs(ar);
        let mut d = RULE.diag(r, "Instruction written as a JSON array but is using single quotes instead of double quotes");
        if let Some(json) = convert(text)
            && !text.contains('\n')
        {
            d = d.with_fix(Fix::safe("Use double quotes", vec![Edit::replace(r, json)]));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM a\nCMD ['a', 'b c']\n    ^^^^^^^^^^^^ warning[JsonSingleQuotes]: Instruction written as a JSON array but is using single quotes instead of double quotes\nRUN echo '[x]'\n",
        );
        assert_fix(
            &RULE,
            "FROM a\nENTRYPOINT ['a','b']\n",
            "FROM a\nENTRYPOINT [\"a\", \"b\"]\n",
        );
    }
}
