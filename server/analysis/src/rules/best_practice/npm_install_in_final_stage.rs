//! `NpmInstallInFinalStage`: `npm install` where `npm ci` fits, and development
//! dependencies installed in the final stage.

use super::super::prelude::*;
use super::{in_final_image, multi_stage, reaches_final, through_sudo};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "NpmInstallInFinalStage",
        aliases: &[],
        severity: Severity::Info,
        category: Category::BestPractice,
        summary: "`npm install` without packages (use `npm ci`), or development dependencies in the final image",
        why: "`npm install` with no package names may rewrite `package-lock.json` and resolve newer versions; `npm ci` installs exactly the lock file, fails when it is out of date, and is faster. In the final stage of a multi-stage build, install only production dependencies (`npm ci --omit=dev`): build tools, test frameworks and linters do not belong in the image you ship; build in an earlier stage and copy the result.",
        bad: "FROM node:22 AS build\nRUN npm ci && npm run build\nFROM node:22-slim\nRUN npm install\n",
        good: "FROM node:22 AS build\nRUN npm ci && npm run build\nFROM node:22-slim\nRUN npm ci --omit=dev\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

const PROD: &[&str] = &[
    "--omit=dev",
    "--production",
    "--only=production",
    "--only=prod",
    "--prod",
];

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let fin = in_final_image(ctx);
    let multi = multi_stage(ctx);
    for (i, s) in ctx.runs() {
        let final_stage = multi
            && i.inst.kind == InstructionKind::Run
            && reaches_final(ctx, i, &fin)
            && !ctx
                .stage_of(i.index)
                .is_some_and(|st| st.env.iter().any(|(n, _)| n == "NODE_ENV"));
        for c in &s.commands {
            let c = through_sudo(c);
            if c.name() != "npm" {
                continue;
            }
            let Some((k, sub)) = c.subcommand(&[]) else {
                continue;
            };
            let prod = c.args().iter().any(|w| PROD.contains(&&*w.text))
                || c.args()
                    .windows(2)
                    .any(|p| p[0].text == "--omit" && p[1].text == "dev");
            let sub = &*sub.text;
            let bare = matches!(sub, "install" | "i")
                && c.operands(k, &["--omit", "--prefix", "--registry"])
                    .is_empty();
            if bare {
                out.push(RULE.diag(
                    c.range,
                    "Use `npm ci`: it installs exactly what `package-lock.json` says and fails when it is out of date",
                ));
            } else if final_stage && matches!(sub, "ci" | "clean-install") && !prod {
                out.push(RULE.diag(
                    c.range,
                    "Development dependencies end up in the final image; use `npm ci --omit=dev` here and build in an earlier stage",
                ));
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
            "FROM node AS build\nRUN npm install && npm ci && npm install left-pad@1\n    ^^^^^^^^^^^ info[NpmInstallInFinalStage]: Use `npm ci`: it installs exactly what `package-lock.json` says and fails when it is out of date\nFROM node\nRUN npm ci\n    ^^^^^^ info[NpmInstallInFinalStage]: Development dependencies end up in the final image; use `npm ci --omit=dev` here and build in an earlier stage\nRUN npm ci --omit=dev\n",
        );
    }
}
