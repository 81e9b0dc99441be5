//! `InvalidFlagValue`: a flag's value is missing, repeated or malformed.

use super::super::prelude::*;
use super::flags::{Value, flags_of, mount_keys, parse_duration};
use docksmith_syntax::views::{Mount, MountField};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "InvalidFlagValue",
        aliases: &[],
        severity: Severity::Error,
        category: Category::Syntax,
        summary: "A flag's value is missing, repeated or malformed",
        why: "BuildKit rejects the instruction: durations are Go durations of at least 1ms (`30s`, `1m30s`), `--retries` a non-negative number, booleans `true` or `false`, `--chmod` an octal mode, `--network` one of `default`, `none`, `host`, `--security` `insecure` or `sandbox`, and `--mount` fields must belong to the mount type (`type=cache,target=/root/.cache`). Flags other than `--mount`, `--exclude` and `--device` may be given once.",
        bad: "FROM alpine\nHEALTHCHECK --interval=30 CMD wget -q localhost\n",
        good: "FROM alpine\nHEALTHCHECK --interval=30s CMD wget -q localhost\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn field_range(i: &InstructionRef<'_>, f: &MountField) -> TextRange {
    i.abs(f.key_range)
}

fn check_mount(i: &InstructionRef<'_>, m: &Mount<'_>, out: &mut Vec<Diagnostic>) {
    let kind = m.kind().to_ascii_lowercase();
    let whole = i.abs(m.flag.value_range.unwrap_or(m.flag.range));
    if kind.contains('$') {
        return;
    }
    let Some(keys) = mount_keys(&kind) else {
        let r = m
            .get("type")
            .and_then(|f| f.value_range)
            .map_or(whole, |r| i.abs(r));
        out.push(RULE.diag(
            r,
            format!("unsupported mount type {kind:?} (expected bind, cache, tmpfs, secret or ssh)"),
        ));
        return;
    };
    for f in &m.fields {
        let key = f.key.to_ascii_lowercase();
        if !keys.contains(&key.as_str()) {
            let mut d = RULE.diag(
                field_range(i, f),
                format!("unexpected key '{}' for mount type {kind}", f.key),
            );
            if let Some(s) = did_you_mean(&key, keys.iter().copied()) {
                d.message.push_str(&format!(" (did you mean {s}?)"));
            }
            out.push(d);
        }
        if key == "sharing"
            && let Some(v) = &f.value
            && !matches!(v.as_str(), "shared" | "private" | "locked")
        {
            out.push(RULE.diag(
                field_range(i, f),
                format!("unsupported sharing value {v:?} (expected shared, private or locked)"),
            ));
        }
    }
    let has_target = ["target", "dst", "destination"]
        .iter()
        .any(|k| m.get(k).is_some());
    if !has_target && matches!(kind.as_str(), "cache" | "tmpfs") {
        out.push(RULE.diag(whole, format!("mount type {kind} requires a target")));
    }
}

fn check_one<'a>(
    ctx: &Ctx<'a>,
    i: &InstructionRef<'a>,
    inst: &'a docksmith_syntax::Instruction,
    out: &mut Vec<Diagnostic>,
) {
    let known = flags_of(inst.kind);
    for (k, f) in inst.flags.iter().enumerate() {
        let Some(&(_, kind, repeat)) = known.iter().find(|(n, ..)| *n == f.name) else {
            continue;
        };
        let fr = i.abs(f.range);
        // An earlier flag of the same name (a known one too, then): no list of the
        // names seen, which allocated for every instruction with a flag.
        if !repeat && inst.flags[..k].iter().any(|g| g.name == f.name) {
            out.push(RULE.diag(fr, format!("Duplicate flag specified: {}", f.name)));
        }
        let vr = f.value_range.map_or(fr, |r| i.abs(r));
        let Some(v) = &f.value else {
            if kind != Value::Bool {
                out.push(RULE.diag(fr, format!("Missing a value on flag: {}", f.name)));
            }
            continue;
        };
        if v.contains('$') {
            continue;
        }
        match kind {
            Value::Text => {
                if v.is_empty() {
                    out.push(RULE.diag(fr, format!("Missing a value on flag: {}", f.name)));
                }
            }
            Value::Bool => {
                if !matches!(
                    v.as_str(),
                    "1" | "t"
                        | "T"
                        | "TRUE"
                        | "true"
                        | "True"
                        | "0"
                        | "f"
                        | "F"
                        | "FALSE"
                        | "false"
                        | "False"
                ) {
                    out.push(RULE.diag(
                        vr,
                        format!("expecting boolean value for flag {}, not: {v}", f.name),
                    ));
                }
            }
            Value::Duration => match parse_duration(v) {
                Err(e) => out.push(RULE.diag(vr, e)),
                Ok(ns) if ns != 0.0 && ns < 1e6 => {
                    out.push(
                        RULE.diag(vr, format!("Interval {:?} cannot be less than 1ms", f.name)),
                    );
                }
                Ok(_) => {}
            },
            Value::Retries => match v.parse::<i64>() {
                Err(_) => out.push(RULE.diag(vr, format!("parsing {v:?}: invalid syntax"))),
                Ok(n) if n < 0 => out.push(RULE.diag(vr, "--retries cannot be negative")),
                Ok(_) => {}
            },
            Value::Chmod => {
                let ok =
                    !v.is_empty() && v.len() <= 4 && v.bytes().all(|b| (b'0'..=b'7').contains(&b));
                if !ok {
                    out.push(RULE.diag(
                        vr,
                        format!("invalid chmod value {v:?}: expected an octal mode such as 755"),
                    ));
                }
            }
            Value::OneOf(words) => {
                if !words.contains(&v.as_str()) {
                    out.push(RULE.diag(
                        vr,
                        format!(
                            "unsupported value {v:?} for --{} (expected {})",
                            f.name,
                            words.join(", ")
                        ),
                    ));
                }
            }
            Value::Mount => {}
        }
    }
    for m in ctx.mounts(inst).iter() {
        if m.flag.value.is_some() && !m.flag.value.as_deref().unwrap_or("").is_empty() {
            check_mount(i, m, out);
        }
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in &ctx.insts {
        check_one(ctx, i, i.inst, out);
        if let Some(t) = i.inst.trigger() {
            check_one(ctx, i, t, out);
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
            "FROM a\nHEALTHCHECK --interval=10 --timeout=1x --start-period=100us --retries=-1 --timeout=5s CMD ls\n                       ^^ error[InvalidFlagValue]: time: missing unit in duration \"10\"\n                                    ^^ error[InvalidFlagValue]: time: unknown unit \"x\" in duration \"1x\"\n                                                      ^^^^^ error[InvalidFlagValue]: Interval \"start-period\" cannot be less than 1ms\n                                                                      ^^ error[InvalidFlagValue]: --retries cannot be negative\n                                                                         ^^^^^^^^^^^^ error[InvalidFlagValue]: Duplicate flag specified: timeout\nCOPY --chmod --link=abc --chmod=u+x . .\n     ^^^^^^^ error[InvalidFlagValue]: Missing a value on flag: chmod\n                    ^^^ error[InvalidFlagValue]: expecting boolean value for flag link, not: abc\n                        ^^^^^^^^^^^ error[InvalidFlagValue]: Duplicate flag specified: chmod\n                                ^^^ error[InvalidFlagValue]: invalid chmod value \"u+x\": expected an octal mode such as 755\nRUN --network=bridge --mount=type=cache,sharing=all,targt=/x --mount=type=secret,id=a true\n              ^^^^^^ error[InvalidFlagValue]: unsupported value \"bridge\" for --network (expected default, none, host)\n                             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ error[InvalidFlagValue]: mount type cache requires a target\n                                        ^^^^^^^ error[InvalidFlagValue]: unsupported sharing value \"all\" (expected shared, private or locked)\n                                                    ^^^^^ error[InvalidFlagValue]: unexpected key 'targt' for mount type cache (did you mean target?)\n",
        );
    }
}
