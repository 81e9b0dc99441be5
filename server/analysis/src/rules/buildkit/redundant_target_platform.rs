//! `RedundantTargetPlatform` (BuildKit): `FROM --platform=$TARGETPLATFORM`.

use super::super::prelude::*;
use super::url;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "RedundantTargetPlatform",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
        why: "A stage is built for the target platform unless told otherwise, so `--platform=$TARGETPLATFORM` says nothing. The fix removes the flag.",
        bad: "FROM --platform=$TARGETPLATFORM alpine\n",
        good: "FROM alpine\n",
        fix: Some(Safety::Safe),
        url: url!("redundant-target-platform"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in ctx.of_kind(InstructionKind::From) {
        let Some(f) = i.inst.flag("platform") else {
            continue;
        };
        let Some(v) = &f.value else { continue };
        if v != "$TARGETPLATFORM" && v != "${TARGETPLATFORM}" {
            continue;
        }
        let flag = i.abs(f.range);
        // Remove the flag and the white space after it.
        let rest = ctx.slice(TextRange::new(flag.end, i.range().end));
        let ws = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        out.push(
            RULE.diag(
                i.abs(f.value_range.unwrap_or(f.range)),
                format!("Setting platform to predefined {v} in FROM is redundant as this is the default behavior"),
            )
            .with_tag(Tag::Unnecessary)
            .with_fix(Fix::safe(
                "Remove --platform",
                vec![Edit::delete(TextRange::new(flag.start, flag.end + ws as u32))],
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
            "FROM --platform=${TARGETPLATFORM} scratch\n                ^^^^^^^^^^^^^^^^^ warning[RedundantTargetPlatform]: Setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this is the default behavior\nFROM --platform=$BUILDPLATFORM scratch\n",
        );
        assert_fix(
            &RULE,
            "FROM --platform=$TARGETPLATFORM  a AS b\n",
            "FROM a AS b\n",
        );
    }
}
