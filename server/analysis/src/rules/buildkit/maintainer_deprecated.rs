//! `MaintainerDeprecated` (BuildKit): MAINTAINER is deprecated.

use super::super::prelude::*;
use super::url;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "MaintainerDeprecated",
        aliases: &["DL4000"],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "The MAINTAINER instruction is deprecated, use a label instead to define an image author",
        why: "`MAINTAINER` sets a field that the OCI image format no longer has. The label `org.opencontainers.image.authors` carries the same information and is what tools read.",
        bad: "FROM alpine\nMAINTAINER Jane <jane@example.org>\n",
        good: "FROM alpine\nLABEL org.opencontainers.image.authors=\"Jane <jane@example.org>\"\n",
        fix: Some(Safety::Safe),
        url: url!("maintainer-deprecated"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

/// A Dockerfile double-quoted string holding `s` literally.
pub(crate) fn quote(s: &str, escape: char) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c == '"' || c == escape || c == '$' {
            out.push(escape);
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in ctx.of_kind(InstructionKind::Maintainer) {
        let mut d = RULE
            .diag(
                i.range(),
                "Maintainer instruction is deprecated in favor of using label",
            )
            .with_tag(Tag::Deprecated);
        if let Some(w) = i.inst.text_arg() {
            let kw = &i.inst.keyword.text;
            let label = if kw.chars().any(|c| c.is_ascii_lowercase()) {
                "label"
            } else {
                "LABEL"
            };
            d = d.with_fix(Fix::safe(
                "Replace with LABEL org.opencontainers.image.authors",
                vec![Edit::replace(
                    i.range(),
                    format!(
                        "{label} org.opencontainers.image.authors={}",
                        quote(&w.text, ctx.df.escape())
                    ),
                )],
            ));
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
            "FROM a\nMAINTAINER me <me@x.org>\n^^^^^^^^^^^^^^^^^^^^^^^^ warning[MaintainerDeprecated]: Maintainer instruction is deprecated in favor of using label\n",
        );
        assert_fix(
            &RULE,
            "FROM a\nMAINTAINER me \"x\" $y\n",
            "FROM a\nLABEL org.opencontainers.image.authors=\"me \\\"x\\\" \\$y\"\n",
        );
    }
}
