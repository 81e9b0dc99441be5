//! `UndefinedArgInFrom` (BuildKit): FROM uses an ARG that is not declared.

use super::super::prelude::*;
use super::url;
use crate::semantics::{DeclKind, PLATFORM_ARGS};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "UndefinedArgInFrom",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "FROM command must use declared ARGs",
        why: "A FROM line sees only the ARGs declared before the first FROM (and BuildKit's platform arguments such as `$BUILDPLATFORM`). An undeclared one expands to the empty string, which usually means a typo or an ARG declared inside a stage.",
        bad: "FROM alpine:${ALPINE_VERSION}\n",
        good: "ARG ALPINE_VERSION=3.20\nFROM alpine:${ALPINE_VERSION}\n",
        fix: Some(Safety::Unsafe),
        url: url!("undefined-arg-in-from"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Stages,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let m = ctx.model;
    let mut reported: Vec<(usize, &str)> = Vec::new();
    for u in &m.uses {
        if u.decl.is_some() {
            continue;
        }
        // Uses in a FROM line.
        let Some(s) = u
            .stage
            .or(m.node_stage.get(u.node).copied().flatten())
            .and_then(|sid| m.stages.get(sid))
        else {
            continue;
        };
        if s.node != u.node || reported.contains(&(u.node, u.name.as_str())) {
            continue;
        }
        reported.push((u.node, &u.name));
        // Candidates: global ARGs declared before this FROM, and platform ARGs.
        let globals = m.decls.iter().filter(|d| {
            d.kind == DeclKind::GlobalArg
                && d.name_range.is_some_and(|r| r.start < s.from_range.start)
        });
        let cands: Vec<&str> = globals
            .map(|d| d.name.as_str())
            .chain(PLATFORM_ARGS.iter().copied())
            .collect();
        let mut msg = format!("FROM argument '{}' is not declared", u.name);
        let mut d = RULE.diag(u.name_range, String::new());
        if let Some(sug) = did_you_mean(&u.name, cands.iter().copied()) {
            msg.push_str(&format!(" (did you mean {sug}?)"));
            d = d.with_fix(Fix::unsafe_(
                format!("Change to {sug}"),
                vec![Edit::replace(u.name_range, sug)],
            ));
        }
        d.message = msg;
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
            "ARG MY_ARCH=amd64\nARG tag\nFROM --platform=linux/${MYARCH} busybox:${tag}${version}\n                        ^^^^^^ warning[UndefinedArgInFrom]: FROM argument 'MYARCH' is not declared (did you mean MY_ARCH?)\n                                                ^^^^^^^ warning[UndefinedArgInFrom]: FROM argument 'version' is not declared\nFROM --platform=$BUILDPLATFORM scratch\nFROM --platform=$BULIDPLATFORM scratch\n                 ^^^^^^^^^^^^^ warning[UndefinedArgInFrom]: FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)\n",
        );
    }
}
