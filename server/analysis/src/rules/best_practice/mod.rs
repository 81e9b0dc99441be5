//! Best-practice rules for lean, secure multi-stage images (hadolint-like), each
//! answering to its hadolint code where one exists. One file per rule; register each
//! in `rules::RULES` under "Best practice". Rules that read RUN bodies use the shared
//! shell analysis (`Ctx::runs`, `crate::shell`): parsed once per RUN.

use super::prelude::*;
use crate::semantics::{Base, Stage};
use crate::shell::{Command, ShellWord};

pub mod add_instead_of_copy;
pub mod apk_add_no_cache;
pub mod apk_add_unpinned;
pub mod apt_get_no_install_recommends;
pub mod apt_get_unpinned;
pub mod apt_get_update_alone;
pub mod apt_get_yes;
pub mod apt_instead_of_apt_get;
pub mod apt_lists_not_removed;
pub mod build_tools_in_final_stage;
pub mod cd_instead_of_workdir;
pub mod consecutive_run;
pub mod copy_all_without_dockerignore;
pub mod final_stage_no_user;
pub mod final_stage_root_user;
pub mod healthcheck_missing;
pub mod image_tag_latest;
pub mod image_tag_missing;
pub mod npm_install_in_final_stage;
pub mod pip_no_cache_dir;
pub mod pip_unpinned;
pub mod pipe_without_pipefail;
pub mod sudo;
pub mod unused_stage;

/// apt-get/apt options that take a value.
pub(crate) const APT_VALUE_OPTS: &[&str] = &[
    "-o",
    "-c",
    "-t",
    "--option",
    "--config-file",
    "--target-release",
];

/// Whether `c` is `apt-get`/`apt`/`aptitude` with subcommand `sub`; the index of the
/// subcommand word.
pub(crate) fn apt_sub(c: &Command<'_>, names: &[&str], sub: &str) -> Option<usize> {
    if !names.contains(&c.name()) {
        return None;
    }
    c.subcommand(APT_VALUE_OPTS)
        .filter(|(_, w)| w.text == sub)
        .map(|(k, _)| k)
}

/// Commands of a script, looking through `sudo` (its command is the next word).
pub(crate) fn through_sudo<'c, 'a>(c: &'c Command<'a>) -> std::borrow::Cow<'c, Command<'a>> {
    // `name()` is the part after the last `/`: a name that does not end in `sudo` is
    // not `sudo` (checked first, as this runs for every command in many rules).
    if c.words.len() > 1 && c.words[0].text.ends_with("sudo") && c.name() == "sudo" {
        let skip = c.words[1..]
            .iter()
            .position(|w| !w.text.starts_with('-'))
            .map_or(c.words.len(), |p| p + 1);
        if skip < c.words.len() {
            let words: Vec<ShellWord<'a>> = c.words[skip..].to_vec();
            let range = TextRange::new(words[0].range.start, c.range.end);
            return std::borrow::Cow::Owned(Command {
                words,
                range,
                pipeline: c.pipeline,
                assignments: c.assignments.clone(),
            });
        }
    }
    std::borrow::Cow::Borrowed(c)
}

/// A fix inserting ` text` after a word.
pub(crate) fn insert_after(title: &str, w: &ShellWord<'_>, text: &str) -> Fix {
    Fix::safe(title, vec![Edit::insert(w.range.end, format!(" {text}"))])
}

/// Whether the build has more than one stage.
pub(crate) fn multi_stage(ctx: &Ctx<'_>) -> bool {
    ctx.model.stages.len() > 1
}

/// Per stage: whether its file system ends up in the final image (the final stage
/// and the stages it is built on with `FROM <stage>`).
pub(crate) fn in_final_image(ctx: &Ctx<'_>) -> Vec<bool> {
    let mut v = vec![false; ctx.model.stages.len()];
    let mut cur = ctx.final_stage();
    let mut steps = 0;
    while let Some(s) = cur {
        if v[s.index] || steps > v.len() {
            break;
        }
        v[s.index] = true;
        steps += 1;
        cur = match s.base {
            Base::Stage(b) if b < s.index => ctx.model.stages.get(b),
            _ => None,
        };
    }
    v
}

/// The stage of an instruction node, when it is one whose content ends up in the
/// final image; ONBUILD triggers always count (they run in a downstream image).
pub(crate) fn reaches_final(ctx: &Ctx<'_>, i: &InstructionRef<'_>, fin: &[bool]) -> bool {
    if i.inst.kind == InstructionKind::Onbuild {
        return true;
    }
    ctx.stage_of(i.index)
        .is_none_or(|s: &Stage| fin.get(s.index).copied().unwrap_or(true))
}

/// Whether a RUN has a cache or tmpfs mount covering `dir`.
pub(crate) fn has_cache_mount<'a>(ctx: &Ctx<'a>, i: &InstructionRef<'a>, dirs: &[&str]) -> bool {
    let inst = i.inst.trigger().unwrap_or(i.inst);
    // The target is a part of the flag's value: skip reading the mounts when no value
    // holds any of `dirs`.
    if !inst.flags.iter().any(|f| {
        f.name == "mount"
            && f.value
                .as_deref()
                .is_some_and(|v| dirs.iter().any(|d| v.contains(d)))
    }) {
        return false;
    }
    ctx.mounts(inst).iter().any(|m| {
        matches!(m.kind(), "cache" | "tmpfs")
            && m.get("target")
                .or_else(|| m.get("dst"))
                .or_else(|| m.get("destination"))
                .and_then(|t| t.value.as_deref())
                .is_some_and(|t| dirs.contains(&t.trim_end_matches('/')))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Options;
    use crate::semantics::Model;
    use docksmith_syntax::Dockerfile;

    #[test]
    fn final_image_chain() {
        let df = Dockerfile::parse("FROM a AS one\nFROM b AS two\nFROM one AS three\n");
        let m = Model::build(&df);
        let opts = Options::default();
        let ctx = Ctx::new(&df, &m, &opts);
        assert_eq!(in_final_image(&ctx), [true, false, true]);
    }
}
