//! `PipeWithoutPipefail` (hadolint DL4006): a pipe in a RUN whose shell does not
//! fail on a failing pipe stage.

use super::super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "PipeWithoutPipefail",
        aliases: &["DL4006"],
        severity: Severity::Warning,
        category: Category::BestPractice,
        summary: "A pipe in RUN without `pipefail`: failures before the last command are ignored",
        why: "A pipeline's status is that of its last command: `RUN wget -O - https://x | tar xz` succeeds when the download fails, and the build goes on with a broken layer. Set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before such RUNs (plain `/bin/sh` is often dash, which may not support `pipefail`), or start the script with `set -o pipefail`.",
        bad: "FROM debian:12\nRUN wget -O - https://example.com/x.tgz | tar xz\n",
        good: "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -O - https://example.com/x.tgz | tar xz\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

/// Whether a SHELL's arguments turn `pipefail` on (a non-`sh` shell with `-o pipefail`).
fn shell_has_pipefail(args: &[String]) -> bool {
    let Some(prog) = args.first() else {
        return false;
    };
    let name = prog.rsplit('/').next().unwrap_or(prog);
    if matches!(name, "sh" | "ash" | "dash") {
        return false;
    }
    args.windows(2)
        .any(|p| p[0].starts_with('-') && p[0].ends_with('o') && p[1] == "pipefail")
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let mut pipefail = false;
    let mut stage_pipefail: Vec<bool> = Vec::new();
    for (i, s) in ctx.all_with_scripts(&[InstructionKind::From, InstructionKind::Shell]) {
        let i = &i;
        match i.inst.kind {
            InstructionKind::From => {
                let st = ctx.stage_of(i.index);
                pipefail = match st.map(|s| &s.base) {
                    Some(crate::semantics::Base::Stage(b)) => {
                        stage_pipefail.get(*b).copied().unwrap_or(false)
                    }
                    _ => false,
                };
                if let Some(st) = st {
                    stage_pipefail.resize(st.index + 1, false);
                }
            }
            InstructionKind::Shell => {
                if let Args::Json { elements, .. } = &i.inst.args {
                    let v: Vec<String> = elements.iter().map(|e| e.text.clone()).collect();
                    pipefail = shell_has_pipefail(&v);
                }
                if let Some(st) = ctx.stage_of(i.index)
                    && let Some(v) = stage_pipefail.get_mut(st.index)
                {
                    *v = pipefail;
                }
            }
            _ => {}
        }
        let Some(s) = s else { continue };
        if pipefail || s.pipelines.is_empty() {
            continue;
        }
        // `set -o pipefail` (or `set -euo pipefail`) before the first pipe.
        let first = s.pipelines[0].start;
        let set = s.commands.iter().any(|c| {
            c.range.start < first
                && c.name() == "set"
                && c.args().windows(2).any(|p| {
                    p[0].text.starts_with('-')
                        && p[0].text.ends_with('o')
                        && p[1].text == "pipefail"
                })
        });
        if set {
            continue;
        }
        out.push(RULE.diag(
            s.pipelines[0],
            "Set `-o pipefail` (SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]) so a failure before the last command of the pipe fails the build",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM a\nRUN curl -s u | sh\n    ^^^^^^^^^^^^^^ warning[PipeWithoutPipefail]: Set `-o pipefail` (SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]) so a failure before the last command of the pipe fails the build\nRUN set -eo pipefail; curl -s u | sh\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN curl -s u | sh\nFROM a\nSHELL [\"/bin/sh\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n    ^^^^^ warning[PipeWithoutPipefail]: Set `-o pipefail` (SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]) so a failure before the last command of the pipe fails the build\n",
        );
    }
}
