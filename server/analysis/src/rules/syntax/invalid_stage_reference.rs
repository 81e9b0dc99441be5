//! `InvalidStageReference`: `COPY --from` / `RUN --mount=from=` / `FROM` naming the
//! stage itself, a later stage, or what looks like a misspelt stage.

use super::super::prelude::*;
use crate::semantics::{DepKind, DepTarget};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "InvalidStageReference",
        aliases: &["DL3022", "DL3023"],
        severity: Severity::Error,
        category: Category::Syntax,
        summary: "A stage reference names the stage itself, a later stage, or no stage",
        why: "`COPY --from=<stage>` of the stage being built is a circular dependency and fails. A later stage works with BuildKit but not with the legacy builder (warning). A `--from` value that is not a stage is pulled as an image: when it is one typo away from a stage name, that is almost always a mistake (warning, with a fix).",
        bad: "FROM golang AS build\nRUN go build -o /app\nFROM alpine\nCOPY --from=biuld /app /app\n",
        good: "FROM golang AS build\nRUN go build -o /app\nFROM alpine\nCOPY --from=build /app /app\n",
        fix: Some(Safety::Unsafe),
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Stages,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let m = ctx.model;
    let names: Vec<&str> = m
        .stages
        .iter()
        .filter_map(|s| s.name.as_ref().map(|n| n.text.as_str()))
        .collect();
    for s in &m.stages {
        for d in &s.deps {
            if d.kind == DepKind::FromBase {
                continue;
            }
            match &d.target {
                DepTarget::Stage(t) if *t == s.index => out.push(RULE.diag(
                    d.range,
                    format!(
                        "circular dependency: stage '{}' refers to itself",
                        s.display_name()
                    ),
                )),
                DepTarget::Stage(t) if *t > s.index => {
                    let mut diag = RULE.diag(
                        d.range,
                        format!(
                            "stage '{}' is defined after this one (BuildKit accepts it; the legacy builder does not)",
                            d.text
                        ),
                    );
                    diag.severity = Severity::Warning;
                    out.push(diag);
                }
                DepTarget::Image(img) if !img.contains(['/', ':', '.', '@']) => {
                    let own = s.name.as_ref().map(|n| n.text.as_str());
                    let others = names.iter().copied().filter(|n| Some(*n) != own);
                    if let Some(sug) = did_you_mean(img, others) {
                        let mut diag = RULE
                            .diag(
                                d.range,
                                format!("'{img}' is not a stage of this file and will be pulled as an image (did you mean '{sug}'?)"),
                            )
                            .with_fix(Fix::unsafe_(format!("Change to '{sug}'"), vec![Edit::replace(d.range, sug)]));
                        diag.severity = Severity::Warning;
                        out.push(diag);
                    }
                }
                _ => {}
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
            "FROM a AS build\nCOPY --from=build /a /b\n            ^^^^^ error[InvalidStageReference]: circular dependency: stage 'build' refers to itself\nCOPY --from=later /a /b\n            ^^^^^ warning[InvalidStageReference]: stage 'later' is defined after this one (BuildKit accepts it; the legacy builder does not)\nCOPY --from=nginx:1 /a /b\nFROM a AS later\nCOPY --from=build /a /b\nRUN --mount=from=biuld,target=/x true\n                 ^^^^^ warning[InvalidStageReference]: 'biuld' is not a stage of this file and will be pulled as an image (did you mean 'build'?)\nCOPY --from=latr /a /b\n",
        );
    }
}
