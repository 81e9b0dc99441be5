//! `InvalidKeyValue`: ENV, LABEL or ARG with a blank name or an unterminated quote.

use super::super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "InvalidKeyValue",
        aliases: &[],
        severity: Severity::Error,
        category: Category::Syntax,
        summary: "ENV, LABEL or ARG with a blank name or an unterminated quote",
        why: "BuildKit processes the names and values of ENV, LABEL and ARG with its shell-word rules: a blank name (`ARG =1`) and a quote that is never closed (`ENV A=\"x`) both fail the build.",
        bad: "FROM alpine\nENV GREETING=\"hello\n",
        good: "FROM alpine\nENV GREETING=\"hello\"\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

/// The quote left open at the end of `s`, if any.
fn open_quote(s: &str, escape: char) -> Option<char> {
    // No quote at all (most words): nothing is open.
    if !s.bytes().any(|b| b == b'"' || b == b'\'') {
        return None;
    }
    let mut q: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match q {
            Some('\'') => {
                if c == '\'' {
                    q = None;
                }
            }
            Some(_) => {
                if c == escape {
                    chars.next();
                } else if c == '"' {
                    q = None;
                }
            }
            None => {
                if c == escape {
                    chars.next();
                } else if c == '"' || c == '\'' {
                    q = Some(c);
                }
            }
        }
    }
    q
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let esc = ctx.df.escape();
    for i in ctx.of_kinds(&[
        InstructionKind::Env,
        InstructionKind::Label,
        InstructionKind::Arg,
    ]) {
        let kind = i.inst.kind;
        if !matches!(
            kind,
            InstructionKind::Env | InstructionKind::Label | InstructionKind::Arg
        ) {
            continue;
        }
        let legacy = i.inst.is_legacy_pairs();
        for p in pair_views(i.inst) {
            let name = unquoted(p.key.text, esc);
            if name.trim().is_empty() {
                out.push(RULE.diag(
                    i.abs(p.range),
                    format!("{} names cannot be blank", kind.name()),
                ));
                continue;
            }
            for (w, what) in [(Some(p.key), "name"), (p.value, "value")] {
                let Some(w) = w else { continue };
                if legacy && what == "value" {
                    continue;
                }
                if let Some(q) = open_quote(w.text, esc) {
                    let which = if q == '"' { "double" } else { "single" };
                    out.push(RULE.diag(
                        i.abs(w.range),
                        format!("failed to process {:?}: unexpected end of statement while looking for matching {which}-quote", w.text),
                    ));
                }
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
            "FROM a\nARG =value\n    ^^^^^^ error[InvalidKeyValue]: ARG names cannot be blank\nARG var=\"value\n        ^^^^^^ error[InvalidKeyValue]: failed to process \"\\\"value\": unexpected end of statement while looking for matching double-quote\nENV a='b' c=\"d\\\"\"\n",
        );
    }
}
