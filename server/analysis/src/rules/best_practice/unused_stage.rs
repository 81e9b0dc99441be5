//! `UnusedStage`: a stage the final image does not need.

use super::super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "UnusedStage",
        aliases: &[],
        severity: Severity::Hint,
        category: Category::BestPractice,
        summary: "A stage that the final stage does not need",
        why: "BuildKit builds only the stages the target needs, so a stage nothing uses is skipped by a plain `docker build`: it is dead code unless it is built on purpose with `--target <name>` (test or debug stages). Shown as a hint (faded) so you notice stages left behind after a refactoring.",
        bad: "FROM golang:1.23 AS old\nRUN go build ./...\nFROM alpine:3.20\n",
        good: "FROM golang:1.23 AS build\nRUN go build -o /app ./...\nFROM alpine:3.20\nCOPY --from=build /app /app\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Stages,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(fin) = ctx.final_stage() else { return };
    // A reference we cannot resolve might name any stage.
    if ctx.model.stages.iter().any(|s| {
        s.deps
            .iter()
            .any(|d| d.target == crate::semantics::DepTarget::Unknown)
    }) {
        return;
    }
    let needed = ctx.model.needed_by(fin.index);
    for s in &ctx.model.stages {
        if needed.get(s.index).copied().unwrap_or(true) {
            continue;
        }
        let msg = match &s.name {
            Some(n) => format!(
                "Stage `{}` is not needed by the final stage: `docker build` skips it unless you build it with `--target {}`",
                n.text, n.text
            ),
            None => "This stage is not needed by the final stage and has no name to build it with `--target`".to_string(),
        };
        out.push(RULE.diag(s.from_range, msg).with_tag(Tag::Unnecessary));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM a AS build\nFROM a AS test\n^^^^^^^^^^^^^^ hint[UnusedStage]: Stage `test` is not needed by the final stage: `docker build` skips it unless you build it with `--target test`\nFROM b\n^^^^^^ hint[UnusedStage]: This stage is not needed by the final stage and has no name to build it with `--target`\nFROM c\nCOPY --from=build /x /x\n",
        );
    }
}
