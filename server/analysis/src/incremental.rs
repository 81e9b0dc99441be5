//! Incremental model and diagnostics: one [`Incremental`] per open document.
//!
//! [`Incremental::update`] takes the document's current parse and returns the same
//! model and diagnostics as [`Model::build`] and [`crate::diagnostics::check`] from
//! scratch (equal, same order), reusing the previous call's work when the parse
//! changed in one "light" instruction only.
//!
//! It keeps the previous parse's nodes (`Arc`s: [`Dockerfile::apply_edit`] keeps the
//! nodes it did not reparse as the same `Arc`, and holding them keeps their pointers
//! from being reused), the model, which nodes have a shell script, the suppressions and
//! the diagnostics: nothing about nodes no longer in the file. On each call it compares
//! the nodes by pointer:
//!
//! - all the same (and the same options): nothing to do;
//! - exactly one node differs, and it is the same kind of light instruction as before
//!   (RUN without `--mount=from=`, COPY/ADD without `--from`, EXPOSE, LABEL, VOLUME,
//!   STOPSIGNAL, MAINTAINER) with the same keyword and the same variable names: no
//!   stage, declaration, dependency or scope changes, so the model is the old one with
//!   ranges after the edit moved and the node's variable uses re-read (resolved to the
//!   same declarations); the [`Extent::Instruction`] rules run on that node only (its
//!   script parsed again), the [`Extent::Pair`] rules on it and its neighbours, the
//!   [`Extent::File`] rules (none today) on the whole file, and the
//!   [`Extent::Stages`] rules' findings are kept (moved);
//! - anything else (a new line, an edit across nodes, a FROM, ARG, ENV, SHELL,
//!   comment or directive, other options, another document): everything from scratch.
//!
//! A kept finding that points into the edited node (a related range, a fix) cannot be
//! moved reliably, so it also sends the call to the full path.

use std::sync::Arc;

use docksmith_syntax::{
    Dockerfile, Instruction, InstructionKind, InstructionRef, Node, NodeKind, TextRange,
};

use crate::config::Config;
use crate::diagnostics::{self, Diagnostic, Options};
use crate::rules::{self, Ctx, Extent};
use crate::semantics::{Model, VarUse, shift_range};
use crate::shell::Script;
use crate::suppress::Suppressions;

/// What the last [`Incremental::update`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Update {
    /// Same parse and options as the call before: nothing recomputed.
    Unchanged,
    /// One light instruction changed: patched.
    Patched,
    /// Computed from scratch.
    Full,
}

/// The options of the last call, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
struct OptsKey {
    config: Config,
    dockerignore: Option<String>,
    buildkit_check: Option<String>,
}

impl OptsKey {
    fn of(o: &Options<'_>) -> OptsKey {
        OptsKey {
            config: o.config.clone(),
            dockerignore: o.dockerignore.map(str::to_string),
            buildkit_check: o.buildkit_check.map(str::to_string),
        }
    }

    fn matches(&self, o: &Options<'_>) -> bool {
        self.dockerignore.as_deref() == o.dockerignore
            && self.buildkit_check.as_deref() == o.buildkit_check
            && self.config == o.config
    }
}

/// A document's model and diagnostics, kept up to date across edits.
///
/// ```
/// use docksmith_analysis::diagnostics::Options;
/// use docksmith_analysis::incremental::Incremental;
/// use docksmith_syntax::Dockerfile;
///
/// let mut df = Dockerfile::parse("FROM alpine\nRUN apk add curl\n");
/// let mut inc = Incremental::new();
/// let opts = Options::default();
/// let before = inc.update(&df, &opts).len();
/// df.apply_edit(28, 28, " git");
/// let after = inc.update(&df, &opts);
/// assert_eq!(after, docksmith_analysis::diagnostics::check_text(&df.text(), &opts));
/// assert_eq!(inc.model().stages.len(), 1);
/// # let _ = before;
/// ```
#[derive(Default)]
pub struct Incremental {
    /// The nodes of the parse last seen (empty before the first call).
    nodes: Vec<Arc<Node>>,
    escape: char,
    opts: Option<OptsKey>,
    model: Arc<Model>,
    /// Per node: whether it is an instruction with a script (a RUN in a POSIX shell).
    has_script: Vec<bool>,
    sup: Suppressions,
    diags: Vec<Diagnostic>,
    last: Option<Update>,
    /// Whether the full path uses two threads ([`Incremental::set_parallel`]).
    parallel: bool,
}

impl Incremental {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether an update that computes everything from scratch (the first one, and
    /// after a change the patch cannot follow) uses two threads: the shell analysis
    /// beside the model, then the rules split in two ([`diagnostics::check_parallel`]).
    /// The results are the same. Off by default; the patch after an edit inside one
    /// instruction is always serial (it is short).
    pub fn set_parallel(&mut self, on: bool) {
        self.parallel = on;
    }

    /// Bring the model and the diagnostics up to date with `df` checked with `opts`,
    /// and return the diagnostics: equal to `check(df, &Model::build(df), opts)`.
    pub fn update(&mut self, df: &Dockerfile, opts: &Options<'_>) -> &[Diagnostic] {
        let same_opts = self.opts.as_ref().is_some_and(|k| k.matches(opts));
        let done = if same_opts && self.escape == df.escape() {
            self.patch(df, opts)
        } else {
            None
        };
        let how = match done {
            Some(u) => u,
            None => {
                self.full(df, opts);
                Update::Full
            }
        };
        self.last = Some(how);
        &self.diags
    }

    /// The model of the parse of the last [`Incremental::update`] (equal to
    /// `Model::build` of it). Shared: a clone is cheap, and the next update copies the
    /// model only if a clone is still held.
    pub fn model(&self) -> &Arc<Model> {
        &self.model
    }

    /// The diagnostics of the last [`Incremental::update`].
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diags
    }

    /// What the last [`Incremental::update`] did (`None` before the first).
    pub fn last_update(&self) -> Option<Update> {
        self.last
    }

    #[inline(never)]
    fn full(&mut self, df: &Dockerfile, opts: &Options<'_>) {
        let mut insts: Vec<InstructionRef<'_>> = Vec::with_capacity(df.instruction_count());
        insts.extend(df.instructions());
        let (model, scripts) = if self.parallel {
            // The shell analysis on a second thread while this one builds the model
            // (when it does not need the model: no non-POSIX SHELL in the file).
            std::thread::scope(|s| {
                let worker = std::thread::Builder::new()
                    .name("docksmith-shell".into())
                    .spawn_scoped(s, || crate::shell::scripts_without_model(&insts));
                let model = Model::build(df);
                let scripts = match worker.map(|w| w.join()) {
                    Ok(Ok(Some(scripts))) => scripts,
                    Ok(Err(p)) => std::panic::resume_unwind(p),
                    Ok(Ok(None)) | Err(_) => crate::shell::scripts(&insts, &model),
                };
                (model, scripts)
            })
        } else {
            let model = Model::build(df);
            let scripts = crate::shell::scripts(&insts, &model);
            (model, scripts)
        };
        let sup = Suppressions::collect(df, opts.buildkit_check);
        let diags = {
            let ctx = Ctx::with_scripts(df, &model, opts, insts, &scripts);
            diagnostics::check_ctx_threads(&ctx, &sup, self.parallel)
        };
        self.nodes = df.shared_nodes().to_vec();
        self.escape = df.escape();
        self.opts = Some(OptsKey::of(opts));
        self.model = Arc::new(model);
        let mut has_script = vec![false; self.nodes.len()];
        for (i, s) in df.instructions().zip(&scripts) {
            has_script[i.index] = s.is_some();
        }
        self.has_script = has_script;
        self.sup = sup;
        self.diags = diags;
    }

    /// The incremental path; `None` when the change needs the full one (the state may
    /// then be partly updated: the full path replaces all of it).
    #[inline(never)]
    fn patch(&mut self, df: &Dockerfile, opts: &Options<'_>) -> Option<Update> {
        let new = df.shared_nodes();
        let old = &self.nodes;
        if new.len() != old.len() {
            return None;
        }
        let n = new.len();
        let mut k = 0;
        while k < n && Arc::ptr_eq(&old[k], &new[k]) {
            k += 1;
        }
        if k == n {
            return Some(Update::Unchanged);
        }
        let mut j = n;
        while j > k + 1 && Arc::ptr_eq(&old[j - 1], &new[j - 1]) {
            j -= 1;
        }
        if j != k + 1 {
            return None;
        }
        let (on, nn) = (Arc::clone(&old[k]), Arc::clone(&new[k]));
        let (oi, ni) = (on.instruction.as_deref()?, nn.instruction.as_deref()?);
        if !light(&on, oi, &nn, ni) {
            return None;
        }
        let ws = df.node(k)?.start;
        let old_end = ws + on.len();
        let delta = i64::from(nn.len()) - i64::from(on.len());
        // The instructions before and after (unchanged), for `Extent::Pair` rules.
        let prev = (0..k).rev().find_map(|p| inst_at(df, p));
        let next = (k + 1..n).find_map(|q| inst_at(df, q));
        let pair_end = next.map_or(old_end, |q| {
            u32::try_from(i64::from(q.node_range().end) - delta).unwrap_or(old_end)
        });

        // Which findings go (to be recomputed); kept ones must not point into the
        // edited node.
        let inside = |r: TextRange| r.start < old_end && (r.end > ws || r.start >= ws);
        let mut gone = Vec::with_capacity(self.diags.len());
        for d in &self.diags {
            let start = d.range.start;
            let g = match extent_of(d.rule) {
                Extent::File => true,
                Extent::Instruction => start >= ws && start < old_end,
                Extent::Pair => start >= ws && start < pair_end,
                Extent::Stages => false,
            };
            if !g && ranges(d).any(inside) {
                return None;
            }
            gone.push(g);
        }

        // The model: the node's uses re-read, everything after it moved.
        let model = Arc::make_mut(&mut self.model);
        let (lo, block) = new_uses(model, oi, ni, ws, old_end)?;
        model.shift(old_end, delta);
        model.uses.splice(lo..lo, block);
        let nl = nn.newlines() as i64 - on.newlines() as i64;
        if nl != 0 {
            for l in model.node_lines.iter_mut().skip(k + 1) {
                *l = u32::try_from(i64::from(*l) + nl).unwrap_or(*l);
            }
        }

        // The diagnostics: drop those recomputed, move the others.
        let mut g = gone.into_iter();
        self.diags.retain(|_| !g.next().unwrap_or(true));
        for d in &mut self.diags {
            shift_diag(d, old_end, delta);
        }
        self.nodes[k] = nn;

        // Run the rules again on the edited instruction (and its neighbours).
        let model: &Model = &self.model;
        let sup = &self.sup;
        let has_script = &self.has_script;
        fn script<'d>(has: &[bool], i: &InstructionRef<'d>) -> Option<Script<'d>> {
            if has.get(i.index).copied().unwrap_or(false) {
                crate::shell::run(i)
            } else {
                None
            }
        }
        let wi = inst_at(df, k)?;
        let one = [script(has_script, &wi)];
        let part = Ctx::part(df, model, opts, vec![wi], &one);
        let pair_insts: Vec<InstructionRef<'_>> =
            prev.into_iter().chain([wi]).chain(next).collect();
        let pair_scripts: Vec<Option<Script<'_>>> = pair_insts
            .iter()
            .map(|i| {
                if i.index == k {
                    one[0].clone()
                } else {
                    script(has_script, i)
                }
            })
            .collect();
        let pair = Ctx::part(df, model, opts, pair_insts, &pair_scripts);
        let whole = std::cell::OnceCell::new();
        let mut fresh = Vec::new();
        for rule in rules::RULES {
            if !diagnostics::enabled(rule, &opts.config, sup) {
                continue;
            }
            match rule.extent {
                Extent::Instruction => diagnostics::run_rule(rule, &part, sup, &mut fresh),
                Extent::Pair => {
                    let from = fresh.len();
                    diagnostics::run_rule(rule, &pair, sup, &mut fresh);
                    // Findings about the instruction before are not new.
                    let mine: Vec<Diagnostic> = fresh
                        .drain(from..)
                        .filter(|d| d.range.start >= ws)
                        .collect();
                    fresh.extend(mine);
                }
                Extent::File => {
                    let whole = whole.get_or_init(|| Ctx::new(df, model, opts));
                    diagnostics::run_rule(rule, whole, sup, &mut fresh);
                }
                Extent::Stages => {}
            }
        }
        fresh.retain(|d| !sup.suppressed(df, d));
        self.diags.extend(fresh);
        diagnostics::sort_positions(&mut self.diags);
        Some(Update::Patched)
    }
}

/// The instruction of node `k`.
fn inst_at(df: &Dockerfile, k: usize) -> Option<InstructionRef<'_>> {
    let n = df.node(k)?;
    Some(InstructionRef {
        index: k,
        base: n.start,
        node: n.node,
        inst: n.node.instruction.as_deref()?,
    })
}

/// Whether replacing instruction `a` (node `na`) by `b` (node `nb`) leaves the model
/// as it was, but for the node's variable uses' ranges.
fn light(na: &Node, a: &Instruction, nb: &Node, b: &Instruction) -> bool {
    use InstructionKind as K;
    if na.kind != NodeKind::Instruction
        || nb.kind != NodeKind::Instruction
        || a.kind != b.kind
        || a.keyword.text != b.keyword.text
        || a.keyword.range != b.keyword.range
        || a.vars.len() != b.vars.len()
        || a.vars
            .iter()
            .zip(&b.vars)
            .any(|(x, y)| x.name != y.name || x.context != y.context)
    {
        return false;
    }
    let no_mount_from = |i: &Instruction| {
        !i.flags.iter().any(|f| f.name == "mount")
            || i.mounts().iter().all(|m| m.get("from").is_none())
    };
    let no_copy_from = |i: &Instruction| i.as_copy().is_none_or(|c| c.from.is_none());
    match a.kind {
        K::Run => no_mount_from(a) && no_mount_from(b),
        K::Copy | K::Add => no_copy_from(a) && no_copy_from(b),
        K::Expose | K::Label | K::Volume | K::Stopsignal | K::Maintainer => true,
        _ => false,
    }
}

/// Take out the variable uses of the edited node (old instruction `a` at
/// `ws..old_end`) and return where they were with the new instruction `b`'s (at `ws`):
/// same names in the same order, so the same declarations.
fn new_uses(
    m: &mut Model,
    a: &Instruction,
    b: &Instruction,
    ws: u32,
    old_end: u32,
) -> Option<(usize, Vec<VarUse>)> {
    let lo = m.uses.partition_point(|u| u.range.start < ws);
    let hi = m.uses.partition_point(|u| u.range.start < old_end);
    if hi - lo != a.vars.len() {
        return None;
    }
    // The model sorts uses by start (stably, from the instruction's order).
    let mut old_order: Vec<usize> = (0..a.vars.len()).collect();
    old_order.sort_by_key(|&v| a.vars[v].range.start);
    let mut by_var: Vec<Option<VarUse>> = vec![None; a.vars.len()];
    for (u, &v) in m.uses.drain(lo..hi).zip(&old_order) {
        by_var[v] = Some(u);
    }
    let mut block = Vec::with_capacity(b.vars.len());
    for (v, slot) in b.vars.iter().zip(by_var) {
        let mut u = slot?;
        u.range = v.range.offset(ws);
        u.name_range = v.name_range.offset(ws);
        block.push(u);
    }
    block.sort_by_key(|u| u.range.start);
    Some((lo, block))
}

fn shift_diag(d: &mut Diagnostic, at: u32, delta: i64) {
    shift_range(&mut d.range, at, delta);
    for f in &mut d.fixes {
        for e in &mut f.edits {
            shift_range(&mut e.range, at, delta);
        }
    }
    for r in &mut d.related {
        shift_range(&mut r.range, at, delta);
    }
}

/// Every range a diagnostic holds.
fn ranges(d: &Diagnostic) -> impl Iterator<Item = TextRange> + '_ {
    std::iter::once(d.range)
        .chain(d.fixes.iter().flat_map(|f| f.edits.iter().map(|e| e.range)))
        .chain(d.related.iter().map(|r| r.range))
}

/// The extent of the rule a diagnostic names (by the address of the name, which the
/// rules copy from their metadata; by name otherwise). Unknown names: `File`.
fn extent_of(rule: &'static str) -> Extent {
    type Entry = (usize, &'static str, Extent);
    static INDEX: std::sync::OnceLock<Vec<Entry>> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut v: Vec<Entry> = rules::RULES
            .iter()
            .map(|r| (r.meta.name.as_ptr() as usize, r.meta.name, r.extent))
            .collect();
        v.sort_by_key(|e| e.0);
        v
    });
    let p = rule.as_ptr() as usize;
    match index.binary_search_by_key(&p, |e| e.0) {
        Ok(k) if index[k].1 == rule => index[k].2,
        _ => rules::lookup(rule).map_or(Extent::File, |r| r.extent),
    }
}
