//! `UndefinedVar` (BuildKit): a variable used before it is defined.

use super::super::prelude::*;
use super::url;
use crate::semantics::{Base, DeclKind, StageId};
use docksmith_syntax::VarContext;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "UndefinedVar",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "Variables should be defined before their use",
        why: "A `$VAR` that BuildKit expands (in COPY, ENV, WORKDIR, LABEL, ...) but that no ARG or ENV defines at that point expands to the empty string. Typical causes: a typo, an ARG declared later, or a global ARG not re-declared inside the stage.\n\nBuildKit also knows the environment of the base image; Docksmith does not fetch images, so in stages built on an external image it assumes that upper-case names (such as `GOPATH` in a `golang` image) come from the image, and reports them only when they look like a typo of a known name. RUN, CMD and ENTRYPOINT are expanded by the shell and are not checked.",
        bad: "FROM alpine\nCOPY $src /app\n",
        good: "FROM alpine\nARG src=.\nCOPY $src /app\n",
        fix: Some(Safety::Unsafe),
        url: url!("undefined-var"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

/// Names base images commonly set (candidates for "did you mean").
const COMMON_IMAGE_ENV: &[&str] = &["PATH", "HOME", "HOSTNAME", "LANG", "TERM"];

/// Whether a stage's base chain ends at an external image (its environment is
/// unknown here); also gives the chain.
fn chain(ctx: &Ctx<'_>, sid: StageId) -> (Vec<StageId>, bool) {
    let mut out = vec![sid];
    let mut cur = sid;
    for _ in 0..ctx.model.stages.len() {
        match ctx.model.stages[cur].base {
            Base::Stage(b) if !out.contains(&b) => {
                out.push(b);
                cur = b;
            }
            Base::Scratch => return (out, false),
            _ => return (out, true),
        }
    }
    (out, true)
}

/// A stage's chain of base stages, whether it ends at an external image, and the
/// names known in it (for suggestions).
type StageInfo<'a> = (Vec<StageId>, bool, Vec<&'a str>);

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let m = ctx.model;
    // Per stage, computed when the stage has its first undefined use.
    let mut per_stage: Vec<Option<StageInfo<'_>>> = vec![None; m.stages.len()];
    // The declarations of each stage, built on the first undefined use (linear).
    let mut by_stage: Option<Vec<Vec<usize>>> = None;
    for u in ctx.uses() {
        if u.decl.is_some() || u.context != VarContext::Dockerfile {
            continue;
        }
        let Some(sid) = u.stage else { continue };
        let Some(s) = m.stages.get(sid) else { continue };
        if u.node == s.node {
            continue;
        }
        let by_stage = by_stage.get_or_insert_with(|| {
            let mut v = vec![Vec::new(); m.stages.len()];
            for d in &m.decls {
                if let Some(st) = d.stage.filter(|&st| st < v.len()) {
                    v[st].push(d.id);
                }
            }
            v
        });
        let (ancestors, image_env, candidates) = per_stage[sid].get_or_insert_with(|| {
            let (ancestors, image_env) = chain(ctx, sid);
            let mut candidates: Vec<&str> = ancestors
                .iter()
                .flat_map(|&st| by_stage[st].iter())
                .map(|&id| &m.decls[id])
                .filter(|d| !matches!(d.kind, DeclKind::GlobalArg | DeclKind::Predefined))
                .map(|d| d.name.as_str())
                .collect();
            if image_env {
                candidates.extend(COMMON_IMAGE_ENV);
            }
            (ancestors, image_env, candidates)
        });
        let image_env = *image_env;
        // BuildKit: ARGs of a base stage are known in the stages built on it.
        let inherited_arg = ancestors.iter().filter(|&&st| st != sid).any(|&st| {
            by_stage[st]
                .iter()
                .map(|&id| &m.decls[id])
                .any(|d| d.kind == DeclKind::StageArg && d.name == u.name)
        });
        if inherited_arg || (image_env && COMMON_IMAGE_ENV.contains(&u.name.as_str())) {
            continue;
        }
        let sug = did_you_mean(&u.name, candidates.iter().copied());
        if image_env && sug.is_none() && !u.name.chars().any(|c| c.is_ascii_lowercase()) {
            // Probably set by the base image, which we cannot see.
            continue;
        }
        let mut d = RULE.diag(u.name_range, String::new());
        let mut msg = format!("Usage of undefined variable '${}'", u.name);
        if let Some(sug) = sug {
            msg.push_str(&format!(" (did you mean ${sug}?)"));
            d = d.with_fix(Fix::unsafe_(
                format!("Change to ${sug}"),
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
            "FROM scratch AS a\nCOPY $foo .\n      ^^^ warning[UndefinedVar]: Usage of undefined variable '$foo'\nARG foo=bar\nRUN echo $nope\nCOPY $foo .\nFROM a\nCOPY $foo .\n",
        );
        assert_rule(
            &RULE,
            "FROM alpine\nARG DIR_ASSETS=assets/\nCOPY $DIR_ASSET .\n      ^^^^^^^^^ warning[UndefinedVar]: Usage of undefined variable '$DIR_ASSET' (did you mean $DIR_ASSETS?)\nENV PATH=$PAHT:$PATH:$GOPATH\n          ^^^^ warning[UndefinedVar]: Usage of undefined variable '$PAHT' (did you mean $PATH?)\nCOPY $lower .\n      ^^^^^ warning[UndefinedVar]: Usage of undefined variable '$lower'\n",
        );
    }
}
