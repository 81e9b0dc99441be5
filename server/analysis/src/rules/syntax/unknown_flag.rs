//! `UnknownFlag`: a flag the instruction does not have.

use super::super::prelude::*;
use super::flags::flags_of;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "UnknownFlag",
        aliases: &[],
        severity: Severity::Error,
        category: Category::Syntax,
        summary: "The instruction has no such flag",
        why: "BuildKit fails with `unknown flag`. Flags per instruction: FROM `--platform`; COPY `--from --chown --chmod --link --parents --exclude`; ADD `--chown --chmod --link --keep-git-dir --checksum --exclude --unpack`; RUN `--mount --network --security --device`; HEALTHCHECK `--interval --timeout --start-period --start-interval --retries`; other instructions none.",
        bad: "FROM alpine AS build\nFROM alpine\nCOPY --form=build /out /out\n",
        good: "FROM alpine AS build\nFROM alpine\nCOPY --from=build /out /out\n",
        fix: Some(Safety::Unsafe),
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check_one(
    i: &InstructionRef<'_>,
    inst: &docksmith_syntax::Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let known = flags_of(inst.kind);
    for f in &inst.flags {
        if known.iter().any(|(n, ..)| *n == f.name) {
            continue;
        }
        let r = i.abs(f.name_range);
        let mut d = RULE.diag(r, format!("Unknown flag: {}", f.name));
        if let Some(s) = did_you_mean(&f.name, known.iter().map(|(n, ..)| *n)) {
            d.message = format!("Unknown flag: {} (did you mean --{s}?)", f.name);
            d = d.with_fix(Fix::unsafe_(
                format!("Change to --{s}"),
                vec![Edit::replace(r, s)],
            ));
        }
        out.push(d);
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in &ctx.insts {
        check_one(i, i.inst, out);
        if let Some(t) = i.inst.trigger() {
            check_one(i, t, out);
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
            "FROM --platfor=linux a\n       ^^^^^^^ error[UnknownFlag]: Unknown flag: platfor (did you mean --platform?)\nCOPY --x=1 --from=a . .\n       ^ error[UnknownFlag]: Unknown flag: x\nONBUILD RUN --mnt=type=cache x\n              ^^^ error[UnknownFlag]: Unknown flag: mnt\n",
        );
        assert_fix(
            &RULE,
            "FROM a\nCOPY --form=a . .\n",
            "FROM a\nCOPY --from=a . .\n",
        );
    }
}
