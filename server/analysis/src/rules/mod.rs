//! The rules: one file per rule, each holding its metadata ([`RuleMeta`]), its check,
//! its fix and its tests. [`RULES`] lists them all; [`lookup`] finds one by name or
//! alias (hadolint code), case-insensitively.
//!
//! # Writing a rule
//!
//! ```text
//! // rules/my_rule.rs
//! use super::prelude::*;
//!
//! pub static RULE: Rule = Rule {
//!     meta: RuleMeta {
//!         name: "MyRule",               // CamelCase; BuildKit's name for its checks
//!         aliases: &["DL3000"],         // hadolint codes answer too
//!         severity: Severity::Warning,  // default
//!         category: Category::BestPractice,
//!         summary: "One line: what is wrong",
//!         why: "A short paragraph: why it matters.",
//!         bad: "FROM alpine\n...",
//!         good: "FROM alpine:3.20\n...",
//!         fix: Some(Safety::Safe),      // what the fix is, None when there is none
//!         url: None,                    // Some(..) for BuildKit's pages; ours otherwise
//!         default_enabled: true,
//!         experimental: false,
//!     },
//!     check,
//! };
//!
//! fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
//!     for i in &ctx.insts { /* ... */ out.push(RULE.diag(range, "message")); }
//! }
//!
//! #[cfg(test)]
//! mod tests {
//!     use super::*;
//!     #[test]
//!     fn fixtures() {
//!         assert_rule(&RULE, "FROM alpine\n^^^^^^^^^^^ warning[MyRule]: message\n");
//!         assert_fix(&RULE, "before\n", "after\n");
//!     }
//! }
//! ```
//!
//! Then add it to [`RULES`] and run `UPDATE_SNAPSHOTS=1 cargo test -p
//! docksmith-analysis --test rule_docs` to write `docs/rules/MyRule.md`.

use docksmith_syntax::{Dockerfile, InstructionKind, InstructionRef, TextRange};

use crate::diagnostics::{Diagnostic, Options, Safety, Severity};
use crate::semantics::Model;

mod best_practice;
pub(crate) mod buildkit;
pub mod suppression;
mod syntax;

/// What a rule is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    /// The file is not valid: BuildKit rejects it or the build fails.
    Syntax,
    /// One of BuildKit's build checks (`docker build --check`), under its own name.
    BuildKit,
    /// Best practice for lean, secure images (hadolint-like).
    BestPractice,
    /// Problems with suppression comments and directives.
    Suppression,
}

impl Category {
    pub const fn name(self) -> &'static str {
        match self {
            Self::Syntax => "syntax",
            Self::BuildKit => "buildkit",
            Self::BestPractice => "best-practice",
            Self::Suppression => "suppression",
        }
    }
}

/// What a rule is, for users and tools.
#[derive(Clone, Copy, Debug)]
pub struct RuleMeta {
    /// The canonical name, CamelCase (BuildKit's own for its checks).
    pub name: &'static str,
    /// Other names it answers to (hadolint codes such as `DL3006`).
    pub aliases: &'static [&'static str],
    pub severity: Severity,
    pub category: Category,
    /// One line.
    pub summary: &'static str,
    /// Why it matters (a short paragraph, Markdown).
    pub why: &'static str,
    /// A Dockerfile that triggers the rule.
    pub bad: &'static str,
    /// The same, fixed.
    pub good: &'static str,
    /// The safety of the rule's fix; `None` when it has none.
    pub fix: Option<Safety>,
    /// The rule's page elsewhere (BuildKit's); `None`: our generated page.
    pub url: Option<&'static str>,
    pub default_enabled: bool,
    /// Runs only when enabled by `# check=experimental=` or configuration.
    pub experimental: bool,
}

/// A rule: metadata and check.
pub struct Rule {
    pub meta: RuleMeta,
    pub check: fn(&Ctx<'_>, &mut Vec<Diagnostic>),
    /// What the rule's findings depend on, for incremental checking
    /// ([`crate::incremental::Incremental`]).
    pub extent: Extent,
}

/// What a rule's findings depend on. [`crate::incremental::Incremental`] re-checks
/// after an edit confined to one "light" instruction (RUN, COPY/ADD without `--from`,
/// EXPOSE, LABEL, VOLUME, STOPSIGNAL, MAINTAINER whose keyword, variable names and
/// mount sources stay the same: see `incremental.rs`), and uses this to decide which
/// rules to run again. Every other edit re-checks everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Extent {
    /// The findings about an instruction depend only on that instruction (its text,
    /// its script, its own variable uses) and on facts about its stage or the file
    /// that such an edit cannot change (stage graph, declarations, SHELL). Each finding
    /// lies in its instruction's node. Run again on the edited instruction only: the
    /// [`Ctx`] then holds that instruction alone in `insts` (and `all_insts()` the
    /// whole file).
    Instruction,
    /// The findings depend only on what such an edit cannot change (FROM lines, stage
    /// names, declarations, instruction kinds and keywords): kept, shifted.
    Stages,
    /// The findings about an instruction depend on it and on the instruction right
    /// before it (as [`Extent::Instruction`] otherwise). Run again on the edited
    /// instruction with the one before and the one after it.
    Pair,
    /// Anything else: run again over the whole file on every check, so it must be
    /// cheap. (No rule needs it today.)
    File,
}

/// Where our own rule pages live.
pub const DOCS_BASE: &str = "https://github.com/docksmith/docksmith/blob/main/docs/rules/";

impl Rule {
    /// A diagnostic of this rule with its default severity.
    pub fn diag(&self, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule: self.meta.name,
            range,
            message: message.into(),
            severity: self.meta.severity,
            tags: Vec::new(),
            fixes: Vec::new(),
            related: Vec::new(),
        }
    }

    /// The rule's documentation page.
    pub fn url(&self) -> String {
        match self.meta.url {
            Some(u) => u.to_string(),
            None => format!("{DOCS_BASE}{}.md", self.meta.name),
        }
    }

    /// Whether `name` names this rule (its name or an alias, any case).
    pub fn answers_to(&self, name: &str) -> bool {
        self.meta.name.eq_ignore_ascii_case(name)
            || self
                .meta
                .aliases
                .iter()
                .any(|a| a.eq_ignore_ascii_case(name))
    }

    /// The rule's documentation as Markdown (what `docs/rules/<name>.md` holds and
    /// what hovers show).
    pub fn doc_markdown(&self) -> String {
        let m = &self.meta;
        let mut s = format!("# {}\n\n{}\n\n", m.name, m.summary);
        s.push_str("| | |\n| --- | --- |\n");
        s.push_str(&format!("| category | {} |\n", m.category.name()));
        s.push_str(&format!("| default severity | {} |\n", m.severity.name()));
        let state = if m.experimental {
            "experimental (off unless enabled)"
        } else if m.default_enabled {
            "on"
        } else {
            "off"
        };
        s.push_str(&format!("| enabled by default | {state} |\n"));
        if !m.aliases.is_empty() {
            s.push_str(&format!("| aliases | {} |\n", m.aliases.join(", ")));
        }
        s.push_str(&format!(
            "| fix | {} |\n",
            m.fix.map_or("none", |f| f.name())
        ));
        if let Some(u) = m.url {
            s.push_str(&format!("| upstream | <{u}> |\n"));
        }
        s.push_str(&format!("\n## Why\n\n{}\n", m.why.trim()));
        s.push_str(&format!(
            "\n## Example\n\nTriggers the rule:\n\n```dockerfile\n{}\n```\n\nFixed:\n\n```dockerfile\n{}\n```\n",
            m.bad.trim_end(),
            m.good.trim_end()
        ));
        s.push_str(&format!(
            "\n## Suppress\n\n```dockerfile\n# check=skip={n}\n```\n\nin the first lines of the file, or `# docksmith ignore={n}` on the line above one instruction, or in `.docksmith.toml`:\n\n```toml\n[rules]\n{n} = \"off\"\n```\n",
            n = m.name
        ));
        s
    }
}

/// Every rule, in documentation order.
pub static RULES: &[&Rule] = &[
    // Syntax and validity.
    &syntax::parse_error::RULE,
    &syntax::unknown_instruction::RULE,
    &syntax::instruction_before_from::RULE,
    &syntax::argument_count::RULE,
    &syntax::unknown_flag::RULE,
    &syntax::invalid_flag_value::RULE,
    &syntax::invalid_image_reference::RULE,
    &syntax::invalid_stage_name::RULE,
    &syntax::invalid_stage_reference::RULE,
    &syntax::invalid_port::RULE,
    &syntax::invalid_signal::RULE,
    &syntax::unsupported_modifier::RULE,
    &syntax::onbuild_trigger::RULE,
    &syntax::shell_json_form::RULE,
    &syntax::json_single_quotes::RULE,
    &syntax::invalid_key_value::RULE,
    &syntax::copy_destination::RULE,
    &suppression::RULE,
    // BuildKit's checks.
    &buildkit::stage_name_casing::RULE,
    &buildkit::from_as_casing::RULE,
    &buildkit::no_empty_continuation::RULE,
    &buildkit::consistent_instruction_casing::RULE,
    &buildkit::duplicate_stage_name::RULE,
    &buildkit::reserved_stage_name::RULE,
    &buildkit::json_args_recommended::RULE,
    &buildkit::maintainer_deprecated::RULE,
    &buildkit::undefined_arg_in_from::RULE,
    &buildkit::workdir_relative_path::RULE,
    &buildkit::undefined_var::RULE,
    &buildkit::multiple_instructions_disallowed::RULE,
    &buildkit::legacy_key_value_format::RULE,
    &buildkit::invalid_base_image_platform::RULE,
    &buildkit::redundant_target_platform::RULE,
    &buildkit::secrets_used_in_arg_or_env::RULE,
    &buildkit::invalid_default_arg_in_from::RULE,
    &buildkit::from_platform_flag_const_disallowed::RULE,
    &buildkit::copy_ignored_file::RULE,
    &buildkit::invalid_definition_description::RULE,
    &buildkit::expose_proto_casing::RULE,
    &buildkit::expose_invalid_format::RULE,
    // Best practice (rules/best_practice/): add new rules below this line.
    &best_practice::image_tag_missing::RULE,
    &best_practice::image_tag_latest::RULE,
    &best_practice::final_stage_root_user::RULE,
    &best_practice::final_stage_no_user::RULE,
    &best_practice::apt_get_yes::RULE,
    &best_practice::apt_get_no_install_recommends::RULE,
    &best_practice::apt_get_unpinned::RULE,
    &best_practice::apt_lists_not_removed::RULE,
    &best_practice::apt_get_update_alone::RULE,
    &best_practice::apt_instead_of_apt_get::RULE,
    &best_practice::apk_add_no_cache::RULE,
    &best_practice::apk_add_unpinned::RULE,
    &best_practice::pip_no_cache_dir::RULE,
    &best_practice::pip_unpinned::RULE,
    &best_practice::npm_install_in_final_stage::RULE,
    &best_practice::build_tools_in_final_stage::RULE,
    &best_practice::add_instead_of_copy::RULE,
    &best_practice::cd_instead_of_workdir::RULE,
    &best_practice::sudo::RULE,
    &best_practice::pipe_without_pipefail::RULE,
    &best_practice::consecutive_run::RULE,
    &best_practice::copy_all_without_dockerignore::RULE,
    &best_practice::unused_stage::RULE,
    &best_practice::healthcheck_missing::RULE,
];

/// The rule with this name or alias (case-insensitive). Called for every diagnostic
/// (its page, its category), so an index built once rather than a scan of every rule.
pub fn lookup(name: &str) -> Option<&'static Rule> {
    static INDEX: std::sync::OnceLock<std::collections::HashMap<String, &'static Rule>> =
        std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut m = std::collections::HashMap::new();
        // The first rule to claim a name wins, as the scan did.
        for r in RULES.iter().copied() {
            for n in std::iter::once(r.meta.name).chain(r.meta.aliases.iter().copied()) {
                m.entry(n.to_ascii_lowercase()).or_insert(r);
            }
        }
        m
    });
    index.get(&name.to_ascii_lowercase()).copied()
}

/// What a check sees: the file, its model, the options, and the instructions to
/// check, in order.
///
/// Usually `insts` is every instruction of the file. When
/// [`crate::incremental::Incremental`] re-checks one edited instruction, `insts` holds
/// that instruction only (and its neighbours for [`Extent::Pair`] rules): a part.
pub struct Ctx<'a> {
    pub df: &'a Dockerfile,
    pub model: &'a Model,
    pub opts: &'a Options<'a>,
    /// The instructions to check.
    pub insts: Vec<InstructionRef<'a>>,
    /// Whether `insts` is only a part of the file (a contiguous run of instructions).
    part: bool,
    /// Scripts computed elsewhere (parallel to `insts`).
    given: Option<&'a [Option<crate::shell::Script<'a>>]>,
    /// The shell analysis of every RUN, built on first use (see [`Ctx::scripts`]).
    shell: std::sync::OnceLock<Vec<Option<crate::shell::Script<'a>>>>,
    /// The kind of each of `insts`, compact (rules that look at a few kinds scan this
    /// rather than every instruction), built on first use.
    kinds: std::sync::OnceLock<Vec<InstructionKind>>,
    /// The positions in `insts` of the instructions with a script, built on first use.
    run_pos: std::sync::OnceLock<Vec<usize>>,
    /// Per node: the position of its instruction in `insts` (`u32::MAX`: none), built on
    /// first use of [`Ctx::inst`].
    pos_of: std::sync::OnceLock<Vec<u32>>,
    /// The `--mount` flags of `insts` and their ONBUILD triggers, read once, by the
    /// instruction's address (see [`Ctx::mounts`]).
    mounts: std::sync::OnceLock<Vec<(usize, Vec<docksmith_syntax::views::Mount<'a>>)>>,
}

impl<'a> Ctx<'a> {
    pub fn new(df: &'a Dockerfile, model: &'a Model, opts: &'a Options<'a>) -> Self {
        let mut insts = Vec::with_capacity(df.instruction_count());
        insts.extend(df.instructions());
        Self::build(df, model, opts, insts, false, None)
    }

    /// A context over a contiguous run of the file's instructions, with their scripts
    /// (parallel to `insts`, as [`crate::shell::scripts`] gives them for the file).
    pub fn part(
        df: &'a Dockerfile,
        model: &'a Model,
        opts: &'a Options<'a>,
        insts: Vec<InstructionRef<'a>>,
        scripts: &'a [Option<crate::shell::Script<'a>>],
    ) -> Self {
        Self::build(df, model, opts, insts, true, Some(scripts))
    }

    /// A context over every instruction, with their scripts already computed
    /// (parallel to `insts`, as [`crate::shell::scripts`] returns them).
    pub fn with_scripts(
        df: &'a Dockerfile,
        model: &'a Model,
        opts: &'a Options<'a>,
        insts: Vec<InstructionRef<'a>>,
        scripts: &'a [Option<crate::shell::Script<'a>>],
    ) -> Self {
        Self::build(df, model, opts, insts, false, Some(scripts))
    }

    fn build(
        df: &'a Dockerfile,
        model: &'a Model,
        opts: &'a Options<'a>,
        insts: Vec<InstructionRef<'a>>,
        part: bool,
        given: Option<&'a [Option<crate::shell::Script<'a>>]>,
    ) -> Self {
        Ctx {
            df,
            model,
            opts,
            insts,
            part,
            given,
            shell: std::sync::OnceLock::new(),
            kinds: std::sync::OnceLock::new(),
            run_pos: std::sync::OnceLock::new(),
            pos_of: std::sync::OnceLock::new(),
            mounts: std::sync::OnceLock::new(),
        }
    }

    /// Whether the scripts are computed already (given, or built by a first
    /// [`Ctx::scripts`]).
    pub(crate) fn scripts_ready(&self) -> bool {
        self.given.is_some() || self.shell.get().is_some()
    }

    /// Whether this context checks only a part of the file.
    pub fn is_part(&self) -> bool {
        self.part
    }

    /// Whether the instruction of node `node` is one this context checks.
    pub fn checks(&self, node: usize) -> bool {
        if !self.part {
            return true;
        }
        match (self.insts.first(), self.insts.last()) {
            (Some(a), Some(b)) => a.index <= node && node <= b.index,
            _ => false,
        }
    }

    /// The instruction of a node (any node of the file).
    fn inst_at(&self, node: usize) -> Option<InstructionRef<'a>> {
        let n = self.df.node(node)?;
        let inst = n.node.instruction.as_deref()?;
        Some(InstructionRef {
            index: node,
            base: n.start,
            node: n.node,
            inst,
        })
    }

    /// For rules that carry state along the file (an ENV or SHELL earlier in the
    /// stage, inherited through `FROM <stage>`) but report on the checked instructions
    /// only: the instructions of the given `kinds` and those with a script, in order,
    /// from where that state starts (the file's start; for a part, the FROM of the
    /// first stage of its stage's chain of `FROM <stage>` bases) up to the last checked
    /// one, each with its script when it is a checked one (`None` for the others).
    pub fn all_with_scripts<'s>(
        &'s self,
        kinds: &'s [InstructionKind],
    ) -> Box<dyn Iterator<Item = (InstructionRef<'a>, Option<&'s crate::shell::Script<'a>>)> + 's>
    {
        let scripts = self.scripts();
        if !self.part {
            return Box::new(
                self.kinds()
                    .iter()
                    .zip(&self.insts)
                    .zip(scripts)
                    .filter(move |((k, _), s)| s.is_some() || kinds.contains(k))
                    .map(|((_, i), s)| (*i, s.as_ref())),
            );
        }
        let (lo, hi) = match (self.insts.first(), self.insts.last()) {
            (Some(a), Some(b)) => (self.chain_root(a.index), b.index + 1),
            _ => (0, 0),
        };
        let mut k = 0;
        Box::new(
            (lo..hi)
                .filter_map(|n| self.inst_at(n))
                .map(move |i| {
                    let s = if self.checks(i.index) {
                        k += 1;
                        scripts.get(k - 1).and_then(Option::as_ref)
                    } else {
                        None
                    };
                    (i, s)
                })
                .filter(move |(i, s)| s.is_some() || kinds.contains(&i.inst.kind)),
        )
    }

    /// The FROM node of the first stage of the chain of `FROM <stage>` bases that
    /// leads to the stage of `node` (0 before the first FROM).
    fn chain_root(&self, node: usize) -> usize {
        let m = self.model;
        let Some(mut sid) = m.node_stage.get(node).copied().flatten() else {
            return 0;
        };
        // Bases are earlier stages, so this ends.
        while let Some(crate::semantics::Base::Stage(b)) = m.stages.get(sid).map(|s| &s.base) {
            if *b >= sid {
                break;
            }
            sid = *b;
        }
        m.stages.get(sid).map_or(0, |s| s.node)
    }

    /// The script of the checked instruction of node `node`.
    pub fn script_of(&self, node: usize) -> Option<&crate::shell::Script<'a>> {
        let k = self.insts.binary_search_by_key(&node, |i| i.index).ok()?;
        self.scripts().get(k)?.as_ref()
    }

    /// The variable uses in the checked instructions (all of the model's for a
    /// whole-file context), in order.
    pub fn uses(&self) -> &'a [crate::semantics::VarUse] {
        let uses = &self.model.uses[..];
        if !self.part {
            return uses;
        }
        let (Some(a), Some(b)) = (self.insts.first(), self.insts.last()) else {
            return &[];
        };
        let (start, end) = (a.base, b.node_range().end);
        let lo = uses.partition_point(|u| u.range.start < start);
        let hi = uses.partition_point(|u| u.range.start < end);
        &uses[lo..hi.max(lo)]
    }

    /// The analysed shell script of each instruction (parallel to `insts`; `Some` for
    /// RUN and ONBUILD RUN in a POSIX shell), parsed once and shared by all rules.
    pub fn scripts(&self) -> &[Option<crate::shell::Script<'a>>] {
        if let Some(s) = self.given {
            return s;
        }
        self.shell
            .get_or_init(|| crate::shell::scripts(&self.insts, self.model))
    }

    /// The RUN instructions (also ONBUILD RUN) with their scripts.
    pub fn runs(&self) -> impl Iterator<Item = (&InstructionRef<'a>, &crate::shell::Script<'a>)> {
        let scripts = self.scripts();
        let pos = self.run_pos.get_or_init(|| {
            scripts
                .iter()
                .enumerate()
                .filter_map(|(k, s)| s.as_ref().map(|_| k))
                .collect()
        });
        pos.iter()
            .filter_map(move |&k| Some((self.insts.get(k)?, scripts.get(k)?.as_ref()?)))
    }

    fn kinds(&self) -> &[InstructionKind] {
        self.kinds
            .get_or_init(|| self.insts.iter().map(|i| i.inst.kind).collect())
    }

    /// The instructions of one kind.
    pub fn of_kind(&self, kind: InstructionKind) -> impl Iterator<Item = &InstructionRef<'a>> {
        self.kinds()
            .iter()
            .zip(&self.insts)
            .filter(move |(k, _)| **k == kind)
            .map(|(_, i)| i)
    }

    /// The instructions of some kinds, in order.
    pub fn of_kinds<'s>(
        &'s self,
        kinds: &'s [InstructionKind],
    ) -> impl Iterator<Item = &'s InstructionRef<'a>> + 's {
        self.kinds()
            .iter()
            .zip(&self.insts)
            .filter(move |(k, _)| kinds.contains(k))
            .map(|(_, i)| i)
    }

    /// The text of an absolute range that lies within one node ("" otherwise).
    pub fn slice(&self, r: TextRange) -> &'a str {
        let Some(n) = self.df.node_index_at(r.start).and_then(|i| self.df.node(i)) else {
            return "";
        };
        if r.start < n.start {
            return "";
        }
        n.node.slice(TextRange::new(
            r.start - n.start,
            r.end.saturating_sub(n.start),
        ))
    }

    /// The stage an instruction node belongs to (`None` before the first FROM).
    pub fn stage_of(&self, node: usize) -> Option<&'a crate::semantics::Stage> {
        let sid = self.model.node_stage.get(node).copied().flatten()?;
        self.model.stages.get(sid)
    }

    /// The last stage (what `docker build` builds without `--target`).
    pub fn final_stage(&self) -> Option<&'a crate::semantics::Stage> {
        self.model.stages.last()
    }

    /// The instructions of a stage (after its FROM), in order.
    pub fn stage_insts<'s>(
        &'s self,
        stage: &'s crate::semantics::Stage,
    ) -> impl Iterator<Item = &'s InstructionRef<'a>> + 's {
        stage.instructions.iter().filter_map(|&n| self.inst(n))
    }

    /// The `--mount` flags of `inst` (one of `insts` or an ONBUILD trigger of one), as
    /// [`docksmith_syntax::Instruction::mounts`] reads them, read once per context.
    pub fn mounts(
        &self,
        inst: &'a docksmith_syntax::Instruction,
    ) -> std::borrow::Cow<'_, [docksmith_syntax::views::Mount<'a>]> {
        if !inst.flags.iter().any(|f| f.name == "mount") {
            return std::borrow::Cow::Borrowed(&[]);
        }
        let key = |i: &docksmith_syntax::Instruction| std::ptr::from_ref(i) as usize;
        let all = self.mounts.get_or_init(|| {
            let mut v = Vec::new();
            for i in &self.insts {
                for x in std::iter::once(i.inst).chain(i.inst.trigger()) {
                    if x.flags.iter().any(|f| f.name == "mount") {
                        v.push((key(x), x.mounts()));
                    }
                }
            }
            v.sort_by_key(|e| e.0);
            v
        });
        match all.binary_search_by_key(&key(inst), |e| e.0) {
            Ok(k) => std::borrow::Cow::Borrowed(&all[k].1),
            Err(_) => std::borrow::Cow::Owned(inst.mounts()),
        }
    }

    /// The instruction of a node index (among the checked ones).
    pub fn inst(&self, node: usize) -> Option<&InstructionRef<'a>> {
        if self.part {
            return self
                .insts
                .binary_search_by_key(&node, |i| i.index)
                .ok()
                .map(|k| &self.insts[k]);
        }
        let pos = self.pos_of.get_or_init(|| {
            let mut v = vec![u32::MAX; self.df.nodes().len()];
            for (k, i) in self.insts.iter().enumerate() {
                if let Some(p) = v.get_mut(i.index) {
                    *p = u32::try_from(k).unwrap_or(u32::MAX);
                }
            }
            v
        });
        let k = *pos.get(node)?;
        self.insts.get(usize::try_from(k).ok()?)
    }
}

/// The `key=value` pairs of ENV, LABEL and ARG, as [`docksmith_syntax::Instruction::pairs`]
/// gives them, borrowed when the parser already holds them.
pub fn pairs_of(
    inst: &docksmith_syntax::Instruction,
) -> std::borrow::Cow<'_, [docksmith_syntax::KeyValue]> {
    match &inst.args {
        docksmith_syntax::Args::Pairs { pairs, .. } => std::borrow::Cow::Borrowed(pairs),
        _ => std::borrow::Cow::Owned(inst.pairs()),
    }
}

/// A word as written, borrowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordView<'a> {
    pub text: &'a str,
    /// Relative to the node, as the parser's ranges.
    pub range: TextRange,
}

/// A `key=value` pair as [`docksmith_syntax::Instruction::pairs`] reads it, borrowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PairView<'a> {
    pub range: TextRange,
    pub key: WordView<'a>,
    pub value: Option<WordView<'a>>,
}

/// The pairs of ENV, LABEL and ARG (see [`PairView`]), without copying their text.
pub fn pair_views(inst: &docksmith_syntax::Instruction) -> PairViews<'_> {
    match (&inst.kind, &inst.args) {
        (_, docksmith_syntax::Args::Pairs { pairs, .. }) => PairViews::Pairs(pairs.iter()),
        (InstructionKind::Arg, docksmith_syntax::Args::Words(ws)) => PairViews::Words(ws.iter()),
        _ => PairViews::Pairs([].iter()),
    }
}

/// The iterator of [`pair_views`].
pub enum PairViews<'a> {
    Pairs(std::slice::Iter<'a, docksmith_syntax::KeyValue>),
    /// ARG's words, split at `=` as the parser's `arg_pair` does.
    Words(std::slice::Iter<'a, docksmith_syntax::Word>),
}

impl<'a> Iterator for PairViews<'a> {
    type Item = PairView<'a>;

    fn next(&mut self) -> Option<PairView<'a>> {
        fn word(w: &docksmith_syntax::Word) -> WordView<'_> {
            WordView {
                text: &w.text,
                range: w.range,
            }
        }
        match self {
            PairViews::Pairs(it) => it.next().map(|p| PairView {
                range: p.range,
                key: word(&p.key),
                value: p.value.as_ref().map(word),
            }),
            PairViews::Words(it) => it.next().map(|w| match w.text.find('=') {
                Some(eq) => {
                    let eq32 = w.range.start + u32::try_from(eq).unwrap_or(0);
                    PairView {
                        range: w.range,
                        key: WordView {
                            text: &w.text[..eq],
                            range: TextRange::new(w.range.start, eq32),
                        },
                        value: Some(WordView {
                            text: &w.text[eq + 1..],
                            range: TextRange::new(eq32 + 1, w.range.end),
                        }),
                    }
                }
                None => PairView {
                    range: w.range,
                    key: word(w),
                    value: None,
                },
            }),
        }
    }
}

/// [`docksmith_syntax::views::unquote`], without a copy when there is nothing to
/// unquote.
pub fn unquoted(raw: &str, escape: char) -> std::borrow::Cow<'_, str> {
    if raw.contains(['\'', '"', escape]) {
        std::borrow::Cow::Owned(docksmith_syntax::views::unquote(raw, escape))
    } else {
        std::borrow::Cow::Borrowed(raw)
    }
}

/// Edit distance with transpositions (optimal string alignment), for "did you mean".
/// Bounded work: inputs over 64 characters compare by equality only.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() > 64 || b.len() > 64 {
        return if a == b { 0 } else { usize::MAX };
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, v) in d.iter_mut().enumerate().take(w) {
        *v = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j - 1] + cost)
                .min(d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// The closest candidate to `word` within a distance that grows with its length
/// (case-insensitive comparison; the first of equally close ones).
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let lw = word.to_ascii_lowercase();
    let max = match word.chars().count() {
        0..=2 => 0,
        3..=7 => 1,
        _ => 2,
    };
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        let d = edit_distance(&lw, &c.to_ascii_lowercase());
        if d <= max.max(usize::from(c.eq_ignore_ascii_case(word)))
            && best.is_none_or(|(bd, _)| d < bd)
        {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// What rule files import.
pub mod prelude {
    #[cfg(test)]
    pub use super::testing::{assert_fix, assert_rule, assert_rule_with};
    pub use super::{
        Category, Ctx, Extent, Rule, RuleMeta, did_you_mean, pair_views, pairs_of, unquoted,
    };
    pub use crate::diagnostics::{Diagnostic, Edit, Fix, Safety, Severity, Tag};
    pub use docksmith_syntax::{Args, InstructionKind, InstructionRef, TextRange};
}

/// Test helpers: fixtures with markers, and fixes.
#[cfg(test)]
pub mod testing {
    use super::*;
    use crate::fixture::{Fixture, render};

    /// Run one rule on `text` (no suppressions or configuration).
    pub fn run(rule: &Rule, text: &str, opts: &Options<'_>) -> Vec<Diagnostic> {
        let df = Dockerfile::parse(text);
        let model = Model::build(&df);
        let ctx = Ctx::new(&df, &model, opts);
        let mut out = Vec::new();
        (rule.check)(&ctx, &mut out);
        for d in &out {
            assert_eq!(d.rule, rule.meta.name, "a rule reports under its own name");
        }
        out
    }

    /// `fixture` is a Dockerfile with one marker line under each expected diagnostic
    /// (`^^^ warning[Rule]: message`); the rule's output rendered back must equal it.
    pub fn assert_rule(rule: &Rule, fixture: &str) {
        assert_rule_with(rule, fixture, &Options::default());
    }

    pub fn assert_rule_with(rule: &Rule, fixture: &str, opts: &Options<'_>) {
        let f = Fixture::parse(fixture);
        let diags = run(rule, &f.text, opts);
        let anns: Vec<(TextRange, String)> = diags
            .iter()
            .map(|d| {
                (
                    d.range,
                    format!("{}[{}]: {}", d.severity.name(), d.rule, d.message),
                )
            })
            .collect();
        let got = render(&f.text, &anns);
        assert_eq!(got, fixture, "\n--- expected\n{fixture}\n--- got\n{got}");
    }

    /// Applying the first fix of every diagnostic of `rule` turns `before` into
    /// `after`.
    pub fn assert_fix(rule: &Rule, before: &str, after: &str) {
        let diags = run(rule, before, &Options::default());
        let edits: Vec<_> = diags
            .iter()
            .filter_map(|d| d.fixes.first())
            .flat_map(|f| f.edits.iter().cloned())
            .collect();
        let got = crate::fix::apply(before, &edits);
        assert_eq!(got, after, "\n--- expected\n{after}\n--- got\n{got}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_camel_case() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            let n = r.meta.name;
            assert!(
                n.chars().next().is_some_and(|c| c.is_ascii_uppercase()),
                "{n}"
            );
            assert!(n.chars().all(|c| c.is_ascii_alphanumeric()), "{n}");
            assert!(seen.insert(n.to_ascii_lowercase()), "duplicate {n}");
            for a in r.meta.aliases {
                assert!(seen.insert(a.to_ascii_lowercase()), "duplicate alias {a}");
            }
            assert!(!r.meta.summary.is_empty() && !r.meta.why.is_empty(), "{n}");
            assert!(!r.meta.bad.is_empty() && !r.meta.good.is_empty(), "{n}");
        }
    }

    #[test]
    fn lookup_by_name_and_alias() {
        assert_eq!(
            lookup("stagenamecasing").map(|r| r.meta.name),
            Some("StageNameCasing")
        );
        assert!(lookup("NoSuchRule").is_none());
    }

    #[test]
    fn rule_examples_behave() {
        // Every rule fires on its bad example and not on its good one.
        for r in RULES {
            // Nothing to check offline / produced while reading suppressions.
            if r.meta.category == Category::Suppression || r.meta.name == "InvalidBaseImagePlatform"
            {
                continue;
            }
            let opts = Options {
                // CopyAllWithoutDockerignore is about a missing .dockerignore.
                dockerignore: (r.meta.name != "CopyAllWithoutDockerignore").then_some("secrets/\n"),
                ..Options::default()
            };
            let bad = testing::run(r, r.meta.bad, &opts);
            assert!(
                !bad.is_empty(),
                "{} does not fire on its bad example",
                r.meta.name
            );
            let good = testing::run(r, r.meta.good, &opts);
            assert!(
                good.is_empty(),
                "{} fires on its good example: {good:?}",
                r.meta.name
            );
        }
    }

    #[test]
    fn ctx_helpers() {
        let df = Dockerfile::parse("ARG A\nFROM a AS one\nRUN x\nFROM one\nCMD y\n");
        let m = Model::build(&df);
        let opts = Options::default();
        let ctx = Ctx::new(&df, &m, &opts);
        let run = ctx.insts[2].index;
        assert_eq!(ctx.stage_of(run).map(|s| s.index), Some(0));
        assert!(ctx.stage_of(ctx.insts[0].index).is_none());
        let last = ctx.final_stage().unwrap();
        assert_eq!(last.index, 1);
        let kinds: Vec<_> = ctx.stage_insts(last).map(|i| i.inst.kind).collect();
        assert_eq!(kinds, [InstructionKind::Cmd]);
        assert_eq!(ctx.slice(ctx.insts[2].range()), "RUN x");
    }

    #[test]
    fn did_you_mean_picks_closest() {
        assert_eq!(did_you_mean("buidl", ["build", "test"]), Some("build"));
        assert_eq!(did_you_mean("xyz", ["build"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
