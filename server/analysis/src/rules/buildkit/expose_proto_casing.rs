//! `ExposeProtoCasing` (BuildKit): EXPOSE protocols in lower case.

use super::super::prelude::*;
use super::url;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "ExposeProtoCasing",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "Protocol in EXPOSE instruction should be lowercase",
        why: "`tcp`, `udp` and `sctp` are lower-case names; other spellings work today only by accident of normalisation.",
        bad: "FROM alpine\nEXPOSE 80/TCP\n",
        good: "FROM alpine\nEXPOSE 80/tcp\n",
        fix: Some(Safety::Safe),
        url: url!("expose-proto-casing"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in ctx.of_kind(InstructionKind::Expose) {
        for w in i.inst.words() {
            let Some(slash) = w.text.rfind('/') else {
                continue;
            };
            let proto = &w.text[slash + 1..];
            if proto.contains('$') || proto == proto.to_lowercase() {
                continue;
            }
            let r = i.abs(w.range);
            let mut d = RULE.diag(
                r,
                format!(
                    "Defined protocol '{}' in EXPOSE instruction should be lowercase",
                    w.text
                ),
            );
            if ctx.slice(r) == w.text {
                let pr = TextRange::new(r.start + slash as u32 + 1, r.end);
                d = d.with_fix(Fix::safe(
                    format!("Change to '{}'", proto.to_lowercase()),
                    vec![Edit::replace(pr, proto.to_lowercase())],
                ));
            }
            out.push(d);
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
            "FROM a\nEXPOSE 80/TcP 8080/udp\n       ^^^^^^ warning[ExposeProtoCasing]: Defined protocol '80/TcP' in EXPOSE instruction should be lowercase\n",
        );
        assert_fix(
            &RULE,
            "FROM a\nEXPOSE 80/TCP 81/Udp\n",
            "FROM a\nEXPOSE 80/tcp 81/udp\n",
        );
    }
}
