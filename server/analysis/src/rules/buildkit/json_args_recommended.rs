//! `JSONArgsRecommended` (BuildKit): exec form for ENTRYPOINT and CMD.

use super::super::prelude::*;
use super::url;
use crate::semantics::{Base, Source};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "JSONArgsRecommended",
        aliases: &["DL3025"],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals",
        why: "In shell form the command runs under `/bin/sh -c`, which becomes PID 1 and does not pass signals on: `docker stop` waits for the timeout and then kills the process. BuildKit does not report stages that set their own `SHELL` (there the shell form is deliberate). The fix converts plain words to exec form; commands that need a shell (variables, `&&`, pipes, quotes) get no automatic fix.",
        bad: "FROM alpine\nCMD my-server --port 80\n",
        good: "FROM alpine\nCMD [\"my-server\", \"--port\", \"80\"]\n",
        fix: Some(Safety::Safe),
        url: url!("json-args-recommended"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

/// `s` as a JSON string, appended to `out`.
fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The exec form of a shell-form command made of plain words only.
pub(crate) fn exec_form(text: &str) -> Option<String> {
    const SHELL: &[char] = &[
        '$', '`', '\\', '"', '\'', '|', '&', ';', '<', '>', '(', ')', '*', '?', '[', ']', '{', '}',
        '~', '#', '=', '!', '\n',
    ];
    if text.contains(SHELL) || text.trim().is_empty() {
        return None;
    }
    // One string, written in place (no string per word).
    let mut out = String::with_capacity(text.len() + 8);
    out.push('[');
    for (k, w) in text.split_whitespace().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        push_json_string(&mut out, w);
    }
    out.push(']');
    Some(out)
}

/// Whether the stage holding `node` set SHELL before it (itself or a base stage).
fn shell_changed(ctx: &Ctx<'_>, node: usize) -> bool {
    let Some(Some(sid)) = ctx.model.node_stage.get(node).copied() else {
        return false;
    };
    let st = &ctx.model.stages[sid];
    // Any instruction of the file, not only the checked ones (`ctx.inst`): a part
    // checks the CMD alone.
    let own = st.instructions.iter().any(|&n| {
        n < node
            && ctx
                .df
                .node(n)
                .and_then(|x| x.node.instruction.as_deref())
                .is_some_and(|i| i.kind == InstructionKind::Shell)
    });
    own || matches!(st.base, Base::Stage(b) if ctx.model.stages.get(b).is_some_and(|b| b.shell.source != Source::Default))
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in ctx.of_kinds(&[InstructionKind::Cmd, InstructionKind::Entrypoint]) {
        let kind = i.inst.kind;
        if !matches!(kind, InstructionKind::Cmd | InstructionKind::Entrypoint) {
            continue;
        }
        let Args::Text(w) = &i.inst.args else {
            continue;
        };
        // A malformed JSON array is a parse error, not the shell form.
        if !i.node.errors.is_empty() || shell_changed(ctx, i.index) {
            continue;
        }
        let r = i.abs(w.range);
        let mut d = RULE.diag(
            r,
            format!(
                "JSON arguments recommended for {} to prevent unintended behavior related to OS signals",
                kind.name()
            ),
        );
        if let Some(exec) = exec_form(&w.text) {
            d = d.with_fix(Fix::safe(
                "Convert to exec form",
                vec![Edit::replace(r, exec)],
            ));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM a AS base\nCMD run it\n    ^^^^^^ warning[JSONArgsRecommended]: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals\nENTRYPOINT [\"x\"]\nSHELL [\"/bin/bash\", \"-c\"]\nCMD run it\nFROM base\nCMD run it\nFROM a\nCMD [\"a\", 1]\n",
        );
        assert_fix(
            &RULE,
            "FROM a\nCMD run  it\nENTRYPOINT echo $HOME\n",
            "FROM a\nCMD [\"run\", \"it\"]\nENTRYPOINT echo $HOME\n",
        );
    }
}
