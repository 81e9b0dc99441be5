//! `CdInsteadOfWorkdir` (hadolint DL3003): `cd` in a RUN.

use super::super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "CdInsteadOfWorkdir",
        aliases: &["DL3003"],
        severity: Severity::Warning,
        category: Category::BestPractice,
        summary: "`cd` in a RUN: use WORKDIR to change directory",
        why: "A `cd` lasts only until the end of its RUN, so the next instruction runs somewhere else, which is easy to misread. WORKDIR sets the directory for every following instruction and for the container, creates it when missing, and is visible to readers and tools. A `cd` inside a subshell or for one command of a longer script is a deliberate choice; suppress it there.",
        bad: "FROM alpine:3.20\nRUN cd /app && make\n",
        good: "FROM alpine:3.20\nWORKDIR /app\nRUN make\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for (_, s) in ctx.runs() {
        for c in s.named("cd") {
            out.push(RULE.diag(c.range, "Use WORKDIR to switch to a directory"));
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
            "FROM a\nRUN cd /opt && make\n    ^^^^^^^ warning[CdInsteadOfWorkdir]: Use WORKDIR to switch to a directory\nWORKDIR /opt\nRUN echo cd\n",
        );
    }
}
