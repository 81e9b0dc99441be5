//! `CopyDestination`: several sources need a destination directory ending in `/`.

use super::super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "CopyDestination",
        aliases: &["DL3021"],
        severity: Severity::Error,
        category: Category::Syntax,
        summary: "With more than one source, the destination must be a directory ending in /",
        why: "COPY and ADD with several sources copy them into a directory; BuildKit requires the destination to say so with a trailing `/` and fails otherwise. The fix adds the `/`.",
        bad: "FROM alpine\nCOPY package.json package-lock.json /app\n",
        good: "FROM alpine\nCOPY package.json package-lock.json /app/\n",
        fix: Some(Safety::Safe),
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in ctx.of_kinds(&[InstructionKind::Copy, InstructionKind::Add]) {
        let Some(c) = i.inst.as_copy() else { continue };
        let Some(dest) = c.dest else { continue };
        if c.sources.len() < 2 {
            continue;
        }
        let d = docksmith_syntax::views::unquote(&dest.text, ctx.df.escape());
        if d.ends_with('/') || d.ends_with('\\') || d.contains('$') || d == "." || d.ends_with("/.")
        {
            continue;
        }
        let name = i.inst.kind.name();
        let r = i.abs(dest.range);
        let mut diag = RULE.diag(
            r,
            format!("When using {name} with more than one source file, the destination must be a directory and end with a /"),
        );
        if !c.json {
            diag = diag.with_fix(Fix::safe(
                "Add a trailing /",
                vec![Edit::insert(r.end, "/")],
            ));
        }
        out.push(diag);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM a\nCOPY a b /dst\n         ^^^^ error[CopyDestination]: When using COPY with more than one source file, the destination must be a directory and end with a /\nCOPY a b /dst/\nCOPY a /dst\nADD a b .\n",
        );
        assert_fix(&RULE, "FROM a\nADD a b c\n", "FROM a\nADD a b c/\n");
    }
}
