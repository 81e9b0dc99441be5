//! `FromPlatformFlagConstDisallowed` (BuildKit): a constant `FROM --platform`.

use super::super::prelude::*;
use super::url;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "FromPlatformFlagConstDisallowed",
        aliases: &["DL3029"],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "FROM --platform flag should not use constant value",
        why: "A constant platform pins the stage to one architecture even in a multi-platform build; use `$BUILDPLATFORM` or `$TARGETPLATFORM` (or an ARG). BuildKit accepts a constant when the stage name mentions the platform's OS or architecture (`AS build-amd64`), which marks it as deliberate.",
        bad: "FROM --platform=linux/amd64 alpine AS build\n",
        good: "FROM --platform=$BUILDPLATFORM alpine AS build\n",
        fix: None,
        url: url!("from-platform-flag-const-disallowed"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in ctx.of_kind(InstructionKind::From) {
        let Some(from) = i.inst.as_from() else {
            continue;
        };
        let Some(f) = from.platform else { continue };
        let Some(v) = &f.value else { continue };
        if v.contains('$') || v.is_empty() {
            continue;
        }
        if let Some(name) = from.stage_name {
            let name = name.text.to_ascii_lowercase();
            let lv = v.to_ascii_lowercase();
            let mut parts = lv.split('/');
            let os = parts.next().unwrap_or("");
            let arch = parts.next().unwrap_or("");
            if (!os.is_empty() && name.contains(os)) || (!arch.is_empty() && name.contains(arch)) {
                continue;
            }
        }
        out.push(RULE.diag(
            i.abs(f.value_range.unwrap_or(f.range)),
            format!("FROM --platform flag should not use constant value {v:?}"),
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
            "FROM --platform=linux/amd64 scratch\n                ^^^^^^^^^^^ warning[FromPlatformFlagConstDisallowed]: FROM --platform flag should not use constant value \"linux/amd64\"\nFROM --platform=linux/amd64 scratch AS my_amd64\nFROM --platform=linux/arm64 scratch AS linux\nFROM --platform=$BUILDPLATFORM scratch\n",
        );
    }
}
