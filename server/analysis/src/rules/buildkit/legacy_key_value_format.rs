//! `LegacyKeyValueFormat` (BuildKit): `ENV key value` instead of `ENV key=value`.

use super::super::prelude::*;
use super::url;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "LegacyKeyValueFormat",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "Legacy key/value format with whitespace separator should not be used",
        why: "In `ENV key value` everything after the key is the value, spaces included, and only one variable can be set; `ENV key=value` is unambiguous and sets several at once. The fix adds `=` and quotes values that hold spaces (no fix when the value already has quotes or escapes).",
        bad: "FROM alpine\nENV NODE_ENV production\n",
        good: "FROM alpine\nENV NODE_ENV=production\n",
        fix: Some(Safety::Safe),
        url: url!("legacy-key-value-format"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in ctx.of_kinds(&[InstructionKind::Env, InstructionKind::Label]) {
        let kind = i.inst.kind;
        let (
            Args::Pairs {
                pairs,
                legacy: true,
            },
            InstructionKind::Env | InstructionKind::Label,
        ) = (&i.inst.args, kind)
        else {
            continue;
        };
        // `ENV PATH` alone is a parse error, not the legacy form.
        if !i.node.errors.is_empty() || pairs.iter().all(|p| p.value.is_none()) {
            continue;
        }
        let name = kind.name();
        let mut d = RULE.diag(
            i.range(),
            format!(
                "\"{name} key=value\" should be used instead of legacy \"{name} key value\" format"
            ),
        );
        if let Some(p) = pairs.first()
            && let Some(v) = &p.value
        {
            let text = &v.text;
            let gap = TextRange::new(i.abs(p.key.range).end, i.abs(v.range).start);
            let vr = i.abs(v.range);
            let mut edits = vec![Edit::replace(gap, "=")];
            let needs_quotes = text.contains(char::is_whitespace);
            let has_quoting = text.contains(['"', '\'', ctx.df.escape()]);
            let ok = !needs_quotes || !has_quoting;
            if needs_quotes {
                edits.push(Edit::insert(vr.start, "\""));
                edits.push(Edit::insert(vr.end, "\""));
            }
            if ok && !text.is_empty() && ctx.slice(vr) == text {
                d = d.with_fix(Fix::safe("Use key=value", edits));
            }
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
            "FROM a\nENV k v\n^^^^^^^ warning[LegacyKeyValueFormat]: \"ENV key=value\" should be used instead of legacy \"ENV key value\" format\nLABEL k=v\nENV x=1\nENV PATH\n",
        );
        assert_fix(
            &RULE,
            "FROM a\nENV k  v\nLABEL a b c\nENV q \"x y\" z\n",
            "FROM a\nENV k=v\nLABEL a=\"b c\"\nENV q \"x y\" z\n",
        );
    }
}
