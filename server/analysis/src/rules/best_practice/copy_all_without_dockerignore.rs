//! `CopyAllWithoutDockerignore`: `COPY . <dest>` with no `.dockerignore`.

use super::super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "CopyAllWithoutDockerignore",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BestPractice,
        summary: "`COPY .` of the whole build context with no `.dockerignore`",
        why: "Without a `.dockerignore`, `COPY . .` copies everything in the build context into the image: `.git`, local `.env` files and keys, `node_modules`, build output. That leaks secrets, bloats the image, and breaks the layer cache on every unrelated change. Add a `.dockerignore` beside the context (or `<Dockerfile>.dockerignore`), or copy only what the image needs.",
        bad: "FROM node:22\nCOPY . .\n",
        good: "FROM node:22\nCOPY package.json package-lock.json ./\nCOPY src/ ./src/\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if ctx.opts.dockerignore.is_some() {
        return;
    }
    for i in ctx.of_kinds(&[InstructionKind::Copy, InstructionKind::Add]) {
        if !matches!(i.inst.kind, InstructionKind::Copy | InstructionKind::Add) {
            continue;
        }
        let Some(c) = i.inst.as_copy() else { continue };
        if c.from.is_some() {
            continue;
        }
        for s in &c.sources {
            let t = s.text.trim_matches('"');
            if matches!(t, "." | "./" | "./." | "*" | "./*") {
                out.push(RULE.diag(
                    i.abs(s.range),
                    "Copies the whole build context, and there is no `.dockerignore`: `.git`, secrets and build output end up in the image",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Options;

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM a\nCOPY . .\n     ^ warning[CopyAllWithoutDockerignore]: Copies the whole build context, and there is no `.dockerignore`: `.git`, secrets and build output end up in the image\nCOPY --from=b . .\nCOPY src/ /src/\n",
        );
        let opts = Options {
            dockerignore: Some(".git\n"),
            ..Options::default()
        };
        assert_rule_with(&RULE, "FROM a\nCOPY . .\n", &opts);
    }
}
