//! `PipNoCacheDir` (hadolint DL3042): `pip install` without `--no-cache-dir`.

use super::super::prelude::*;
use super::{has_cache_mount, insert_after, through_sudo};
use crate::shell::Command;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "PipNoCacheDir",
        aliases: &["DL3042"],
        severity: Severity::Info,
        category: Category::BestPractice,
        summary: "`pip install` without `--no-cache-dir` keeps pip's download cache in the image",
        why: "pip caches every wheel it downloads under `~/.cache/pip`; in an image that cache is dead weight (often tens of megabytes). Use `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or mount a cache over `/root/.cache/pip`. The fix adds the flag.",
        bad: "FROM python:3.12\nRUN pip install requests==2.32.3\n",
        good: "FROM python:3.12\nRUN pip install --no-cache-dir requests==2.32.3\n",
        fix: Some(Safety::Safe),
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

/// The index of the `install` word of a `pip install` (also `pip3`, `pipx`-less
/// `python -m pip`).
pub(crate) fn pip_install(c: &Command<'_>, pipx: bool) -> Option<usize> {
    let n = c.name();
    let start =
        if n == "pip" || (pipx && n == "pipx") || n.starts_with("pip3") || n.starts_with("pip2") {
            1
        } else if n.starts_with("python") {
            let m = c.words.iter().position(|w| w.text == "-m")?;
            (c.words.get(m + 1)?.text == "pip").then_some(m + 2)?
        } else {
            return None;
        };
    let mut k = start;
    while let Some(w) = c.words.get(k) {
        if w.text == "install" {
            return Some(k);
        }
        if !w.text.starts_with('-') {
            return None;
        }
        k += 1;
    }
    None
}

/// `Some(on)` when an ENV sets `PIP_NO_CACHE_DIR` (to a value that turns the cache
/// off or not).
fn sets_env(i: &InstructionRef<'_>) -> Option<bool> {
    let (InstructionKind::Env, Args::Pairs { pairs, .. }) = (i.inst.kind, &i.inst.args) else {
        return None;
    };
    pairs
        .iter()
        .rev()
        .find(|p| p.key.text == "PIP_NO_CACHE_DIR")
        .map(|p| {
            p.value
                .as_ref()
                .is_some_and(|v| truthy(v.text.trim_matches(['"', '\''])))
        })
}

/// pip reads `0`, `off`, `no` and `false` as "keep the cache".
fn truthy(v: &str) -> bool {
    !["0", "off", "no", "false", ""]
        .iter()
        .any(|f| v.eq_ignore_ascii_case(f))
}

/// `PIP_NO_CACHE_DIR=<true value>`.
fn enables(assignment: &str) -> bool {
    assignment
        .strip_prefix("PIP_NO_CACHE_DIR=")
        .is_some_and(truthy)
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    // One pass: whether `PIP_NO_CACHE_DIR` is on at each instruction (ENV is
    // inherited through `FROM <stage>`).
    let mut on = false;
    let mut stage_on: Vec<bool> = Vec::new();
    for (i, s) in ctx.all_with_scripts(&[InstructionKind::From, InstructionKind::Env]) {
        let i = &i;
        if i.inst.kind == InstructionKind::From {
            let st = ctx.stage_of(i.index);
            on = match st.map(|s| &s.base) {
                Some(crate::semantics::Base::Stage(b)) => {
                    stage_on.get(*b).copied().unwrap_or(false)
                }
                _ => false,
            };
            if let Some(st) = st {
                stage_on.resize(st.index + 1, false);
            }
        }
        if let Some(v) = sets_env(i) {
            on = v;
            if let Some(st) = ctx.stage_of(i.index)
                && let Some(x) = stage_on.get_mut(st.index)
            {
                *x = v;
            }
        }
        let Some(s) = s else { continue };
        if on || has_cache_mount(ctx, i, &["/root/.cache/pip", "/root/.cache"]) {
            continue;
        }
        let mut exported = false;
        for c in &s.commands {
            let c = through_sudo(c);
            if c.name() == "export" && c.args().iter().any(|w| enables(&w.text)) {
                exported = true;
            }
            let Some(k) = pip_install(&c, false) else {
                continue;
            };
            if exported
                || c.has_flag(&["--no-cache-dir"])
                || c.assignments.iter().any(|a| enables(a))
            {
                continue;
            }
            out.push(
                RULE.diag(
                    c.range,
                    "Use `pip install --no-cache-dir` so pip's cache does not stay in the image",
                )
                .with_fix(insert_after(
                    "Add `--no-cache-dir`",
                    &c.words[k],
                    "--no-cache-dir",
                )),
            );
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
            "FROM python\nRUN python3 -m pip install x && pip3 install --no-cache-dir y\n    ^^^^^^^^^^^^^^^^^^^^^^^^ info[PipNoCacheDir]: Use `pip install --no-cache-dir` so pip's cache does not stay in the image\nRUN --mount=type=cache,target=/root/.cache/pip pip install z\nENV PIP_NO_CACHE_DIR=1\nRUN PIP_NO_CACHE_DIR=1 pip install a && export PIP_NO_CACHE_DIR=1 && pip install b\nFROM python\nRUN PIP_NO_CACHE_DIR=off pip install c\n                         ^^^^^^^^^^^^^ info[PipNoCacheDir]: Use `pip install --no-cache-dir` so pip's cache does not stay in the image\n",
        );
        assert_fix(
            &RULE,
            "FROM p\nRUN pip install x\n",
            "FROM p\nRUN pip install --no-cache-dir x\n",
        );
    }
}
