//! `InvalidDefinitionDescription` (BuildKit, experimental): a comment right above an
//! ARG or a named FROM should start with the name it describes.

use super::super::prelude::*;
use super::url;
use docksmith_syntax::NodeKind;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "InvalidDefinitionDescription",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`. If this is not intended to be a description comment, add an empty line or comment between the instruction and the comment.",
        why: "Tools (`docker buildx build --call outline`) read the comment right above an ARG or a named stage as its description when it starts with the name. Experimental in BuildKit: enable it with `# check=experimental=InvalidDefinitionDescription` or in the configuration.",
        bad: "# the version to build\nARG VERSION=1.0\n",
        good: "# VERSION the version to build\nARG VERSION=1.0\n",
        fix: None,
        url: url!("invalid-definition-description"),
        default_enabled: false,
        experimental: true,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in ctx.of_kinds(&[InstructionKind::Arg, InstructionKind::From]) {
        // Only instructions right after a comment.
        if i.index
            .checked_sub(1)
            .and_then(|k| ctx.df.node(k))
            .is_none_or(|p| p.node.kind != NodeKind::Comment)
        {
            continue;
        }
        let (what, names, range): (&str, Vec<String>, TextRange) = match i.inst.kind {
            InstructionKind::Arg => {
                let pairs = i.inst.pairs();
                let Some(first) = pairs.first() else { continue };
                let names = pairs.iter().map(|p| p.key.text.clone()).collect();
                ("ARG", names, i.abs(first.key.range))
            }
            InstructionKind::From => {
                let Some(n) = i.inst.as_from().and_then(|f| f.stage_name) else {
                    continue;
                };
                ("FROM", vec![n.text.clone()], i.abs(n.range))
            }
            _ => continue,
        };
        let Some(prev) = i.index.checked_sub(1).and_then(|k| ctx.df.node(k)) else {
            continue;
        };
        if prev.node.kind != NodeKind::Comment {
            continue;
        }
        let body = prev.node.text().trim();
        let content = body.trim_start_matches('#').trim();
        if content.is_empty() {
            continue;
        }
        let first = content.split_whitespace().next().unwrap_or("");
        if names.iter().any(|n| n == first) {
            continue;
        }
        let shown = if names.len() == 1 {
            names[0].as_str()
        } else {
            "<arg_key>"
        };
        out.push(RULE.diag(
            range,
            format!("Comment for {what} should follow the format: `# {shown} <description>`"),
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
            "# bar this is the bar\nARG foo=bar\n    ^^^ warning[InvalidDefinitionDescription]: Comment for ARG should follow the format: `# foo <description>`\n# BasE the base\nFROM scratch AS base\n                ^^^^ warning[InvalidDefinitionDescription]: Comment for FROM should follow the format: `# base <description>`\n# bad\nARG a=1 b=2\n    ^ warning[InvalidDefinitionDescription]: Comment for ARG should follow the format: `# <arg_key> <description>`\n# b is b\nARG a=1 b=2\n#\nARG c\n\nARG d\n",
        );
    }
}
