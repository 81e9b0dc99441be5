//! Diagnostics as plain data, and the entry point that runs the rules.
//!
//! A [`Diagnostic`] names the rule that produced it, says where (byte range), what
//! (message), how bad (severity) and, when there is one, how to fix it ([`Fix`]: edits
//! as byte ranges and new text, with a [`Safety`]). [`check`] runs every enabled rule
//! of [`crate::rules::RULES`] over a parsed file and its model, then applies the
//! configuration ([`crate::config::Config`]) and the suppressions written in the file
//! ([`crate::suppress`]).

use docksmith_syntax::{Dockerfile, TextRange};

use crate::config::Config;
use crate::rules::{self, Category, Ctx};
use crate::semantics::Model;
use crate::suppress::Suppressions;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Most serious first: the order is `Error < Warning < Info < Hint`.
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub const fn name(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
            Self::Hint => "hint",
        }
    }

    /// Read a severity name (`error`, `warning`/`warn`, `info`/`information`/`style`,
    /// `hint`), case-insensitively.
    pub fn parse(s: &str) -> Option<Severity> {
        match s.trim().to_ascii_lowercase().as_str() {
            "error" => Some(Self::Error),
            "warning" | "warn" => Some(Self::Warning),
            "info" | "information" | "style" => Some(Self::Info),
            "hint" => Some(Self::Hint),
            _ => None,
        }
    }

    /// At least as serious as `level`.
    pub fn at_least(self, level: Severity) -> bool {
        self <= level
    }
}

/// Extra meaning an editor can show (greyed-out or struck-through text).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tag {
    Unnecessary,
    Deprecated,
}

/// Whether a fix may be applied without a human looking at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Safety {
    /// Keeps the meaning of the build: applied by `--fix` and `source.fixAll`.
    Safe,
    /// May change the meaning: offered, never applied in bulk.
    Unsafe,
    /// Shown as a suggestion only (the edit is a guess).
    DisplayOnly,
}

impl Safety {
    pub const fn name(self) -> &'static str {
        match self {
            Self::Safe => "safe",
            Self::Unsafe => "unsafe",
            Self::DisplayOnly => "display-only",
        }
    }
}

/// Replace `range` with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: TextRange,
    pub new_text: String,
}

impl Edit {
    pub fn replace(range: TextRange, new_text: impl Into<String>) -> Edit {
        Edit {
            range,
            new_text: new_text.into(),
        }
    }

    pub fn delete(range: TextRange) -> Edit {
        Edit::replace(range, "")
    }

    pub fn insert(at: u32, new_text: impl Into<String>) -> Edit {
        Edit::replace(TextRange::empty(at), new_text)
    }
}

/// A fix: a title for the menu and non-overlapping edits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    pub safety: Safety,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            safety: Safety::Safe,
        }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            safety: Safety::Unsafe,
        }
    }
}

/// Another place that explains a diagnostic (the first definition of a duplicate).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub range: TextRange,
    pub message: String,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule's canonical name (`StageNameCasing`).
    pub rule: &'static str,
    pub range: TextRange,
    pub message: String,
    pub severity: Severity,
    pub tags: Vec<Tag>,
    /// Fixes, the preferred one first.
    pub fixes: Vec<Fix>,
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }

    pub fn with_tag(mut self, tag: Tag) -> Self {
        self.tags.push(tag);
        self
    }

    pub fn with_related(mut self, range: TextRange, message: impl Into<String>) -> Self {
        self.related.push(Related {
            range,
            message: message.into(),
        });
        self
    }

    /// The rule's documentation page.
    pub fn url(&self) -> String {
        rules::lookup(self.rule).map_or_else(String::new, |r| r.url())
    }
}

/// What a check needs besides the file.
#[derive(Clone, Debug, Default)]
pub struct Options<'a> {
    pub config: Config,
    /// The content of `.dockerignore` (or `<Dockerfile>.dockerignore`) in the build
    /// context, when there is one. Read by the binary; `CopyIgnoredFile` uses it.
    pub dockerignore: Option<&'a str>,
    /// The value of the `BUILDKIT_DOCKERFILE_CHECK` build argument, which replaces the
    /// file's `# check=` directive (as in BuildKit).
    pub buildkit_check: Option<&'a str>,
}

/// Parse, build the model and check.
pub fn check_text(text: &str, opts: &Options<'_>) -> Vec<Diagnostic> {
    let df = Dockerfile::parse(text);
    let model = Model::build(&df);
    check(&df, &model, opts)
}

/// Run every enabled rule; apply configuration and suppressions; sort by position.
pub fn check(df: &Dockerfile, model: &Model, opts: &Options<'_>) -> Vec<Diagnostic> {
    let sup = Suppressions::collect(df, opts.buildkit_check);
    let ctx = Ctx::new(df, model, opts);
    check_ctx(&ctx, &sup)
}

/// [`check`] on two threads: the same result (the same diagnostics in the same
/// order), sooner on a machine with two free cores. The rules are split over the
/// calling thread and one more (`std::thread::scope`); the shell analysis of the RUNs
/// is done on the second. Falls back to [`check`] when no thread can be started.
///
/// For one file at a time (the language server opening a document); a caller that
/// checks many files in parallel already (`docksmith check`) wants [`check`].
pub fn check_parallel(df: &Dockerfile, model: &Model, opts: &Options<'_>) -> Vec<Diagnostic> {
    let sup = Suppressions::collect(df, opts.buildkit_check);
    let ctx = Ctx::new(df, model, opts);
    check_ctx_threads(&ctx, &sup, true)
}

/// [`check`] over a context built by the caller (with its scripts, for
/// [`crate::incremental::Incremental`]).
pub(crate) fn check_ctx(ctx: &Ctx<'_>, sup: &Suppressions) -> Vec<Diagnostic> {
    check_ctx_threads(ctx, sup, false)
}

/// The rules that read the shell analysis (`Ctx::scripts`), run on the second thread
/// of a two-thread check, with (measured, 10,000 generated lines) about half of the
/// rules' time when the scripts are ready. The `LATE` ones move to the calling thread
/// (after its own rules) when the second thread has to compute the scripts first.
const SECOND_THREAD: &[&str] = &[
    "PipNoCacheDir",
    "AptGetUnpinned",
    "ApkAddUnpinned",
    "AptGetUpdateAlone",
    "AptGetNoInstallRecommends",
    "ApkAddNoCache",
    "AptGetMissingYes",
    "PipUnpinned",
    "NpmInstallInFinalStage",
    "AptInsteadOfAptGet",
    "CdInsteadOfWorkdir",
    "SudoInRun",
    "PipeWithoutPipefail",
    "ConsecutiveRun",
    "BuildToolsInFinalStage",
    "AptListsNotRemoved",
];
const LATE: &[&str] = &[
    "PipNoCacheDir",
    "AptGetUnpinned",
    "ApkAddUnpinned",
    "AptGetUpdateAlone",
];

/// [`check_ctx`], on two threads when `parallel`. The result does not depend on it:
/// each rule appends its findings in its own order, whichever thread runs it, and the
/// final sort is stable with the rule name in its key, so findings that compare equal
/// come from one rule, in that rule's order, as in the serial run.
pub(crate) fn check_ctx_threads(
    ctx: &Ctx<'_>,
    sup: &Suppressions,
    parallel: bool,
) -> Vec<Diagnostic> {
    let opts = ctx.opts;
    let mut out = Vec::new();
    if !(parallel && run_two_threads(ctx, sup, &mut out)) {
        for rule in rules::RULES {
            if enabled(rule, &opts.config, sup) {
                run_rule(rule, ctx, sup, &mut out);
            }
        }
    }
    out.retain(|d| !sup.suppressed(ctx.df, d));
    if enabled(&rules::suppression::RULE, &opts.config, sup) {
        let sev = opts
            .config
            .severity(rules::suppression::RULE.meta.name)
            .unwrap_or(rules::suppression::RULE.meta.severity);
        out.extend(sup.problems.iter().cloned().map(|mut d| {
            d.severity = sev;
            d
        }));
    }
    sort_positions(&mut out);
    out
}

/// Every enabled rule, split over this thread and a second one; `false` (nothing
/// run) when the second thread cannot be started.
fn run_two_threads(ctx: &Ctx<'_>, sup: &Suppressions, out: &mut Vec<Diagnostic>) -> bool {
    let config = &ctx.opts.config;
    let ready = ctx.scripts_ready();
    let second = |r: &rules::Rule| {
        SECOND_THREAD.contains(&r.meta.name) && (ready || !LATE.contains(&r.meta.name))
    };
    std::thread::scope(|s| {
        let worker = std::thread::Builder::new()
            .name("docksmith-check".into())
            .spawn_scoped(s, || {
                // The shell analysis first (it is shared, and the calling thread's
                // `LATE` rules wait for it).
                let _ = ctx.scripts();
                let mut o = Vec::new();
                for rule in rules::RULES {
                    if second(rule) && enabled(rule, config, sup) {
                        run_rule(rule, ctx, sup, &mut o);
                    }
                }
                o
            });
        let Ok(worker) = worker else {
            return false;
        };
        for rule in rules::RULES {
            if !second(rule) && enabled(rule, config, sup) {
                run_rule(rule, ctx, sup, out);
            }
        }
        match worker.join() {
            Ok(o) => out.extend(o),
            // A rule panicked there: as it would have here.
            Err(p) => std::panic::resume_unwind(p),
        }
        true
    })
}

/// Run one rule, appending its findings to `out` with the severity the configuration
/// gives them.
pub(crate) fn run_rule(
    rule: &rules::Rule,
    ctx: &Ctx<'_>,
    sup: &Suppressions,
    out: &mut Vec<Diagnostic>,
) {
    let config = &ctx.opts.config;
    let start = out.len();
    (rule.check)(ctx, out);
    // The configuration wins; then `# check=error=true` for BuildKit checks; else
    // what the rule chose (its default, or another level for some findings).
    let severity = config.severity(rule.meta.name).or_else(|| {
        (sup.error && rule.meta.category == Category::BuildKit).then_some(Severity::Error)
    });
    if let Some(severity) = severity {
        for d in &mut out[start..] {
            d.severity = severity;
        }
    }
}

/// The order of [`check`]'s result: by range, then rule name (stable).
pub(crate) fn sort(out: &mut [Diagnostic]) {
    out.sort_by(|a, b| {
        (a.range.start, a.range.end, a.rule).cmp(&(b.range.start, b.range.end, b.rule))
    });
}

/// [`sort`] with a smaller buffer (a stable sort of `n` diagnostics allocates room for
/// `n` of them, ~120 bytes each): the positions are sorted by the same key (stably, so
/// equal keys keep their order), then the diagnostics are permuted in place.
pub(crate) fn sort_positions(out: &mut [Diagnostic]) {
    let key = |d: &Diagnostic| (d.range.start, d.range.end, d.rule);
    if out.is_sorted_by(|a, b| key(a) <= key(b)) {
        return;
    }
    if u32::try_from(out.len()).is_err() {
        return sort(out);
    }
    let mut order: Vec<(u32, u32, &'static str, u32)> = out
        .iter()
        .zip(0u32..)
        .map(|(d, k)| (d.range.start, d.range.end, d.rule, k))
        .collect();
    // Stable (it finds the runs the rules wrote in order) on keys of 32 bytes: its
    // buffer is a quarter of one of diagnostics.
    order.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
    // `out[j]` becomes the old `out[order[j].3]`, one cycle of the permutation at a
    // time; a done position is marked with `u32::MAX`.
    for i in 0..order.len() {
        let mut j = i;
        loop {
            let k = std::mem::replace(&mut order[j].3, u32::MAX) as usize;
            if k == u32::MAX as usize || k == i {
                break;
            }
            out.swap(j, k);
            j = k;
        }
    }
}

/// Whether a rule runs: the configuration decides first, then the file's `# check=`
/// directive (BuildKit checks only), then the rule's default.
pub(crate) fn enabled(rule: &rules::Rule, config: &Config, sup: &Suppressions) -> bool {
    let name = rule.meta.name;
    if let Some(on) = config.enabled(name) {
        return on && !sup.skips_file(rule);
    }
    if sup.skips_file(rule) {
        return false;
    }
    if rule.meta.experimental {
        return sup.experimental(name);
    }
    rule.meta.default_enabled
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The split of the two-thread check names rules by their canonical names: a
    /// renamed rule would silently move to the calling thread.
    #[test]
    fn second_thread_names_are_rules() {
        for name in SECOND_THREAD.iter().chain(LATE) {
            let rule = rules::lookup(name);
            assert_eq!(rule.map(|r| r.meta.name), Some(*name), "{name}");
        }
        for name in LATE {
            assert!(SECOND_THREAD.contains(name), "{name}");
        }
    }

    /// `sort_positions` gives the stable sort's order, equal keys included.
    #[test]
    fn sort_positions_is_the_stable_sort() {
        let rules = ["B", "A", "C"];
        let mut state = 7u64;
        for n in [0usize, 1, 2, 5, 40, 300] {
            let v: Vec<Diagnostic> = (0..n)
                .map(|k| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                    let x = (state >> 33) as u32;
                    let start = x % 7;
                    Diagnostic {
                        rule: rules[(x as usize / 7) % 3],
                        range: TextRange::new(start, start + (x / 21) % 3),
                        message: k.to_string(),
                        severity: Severity::Warning,
                        tags: Vec::new(),
                        fixes: Vec::new(),
                        related: Vec::new(),
                    }
                })
                .collect();
            let mut a = v.clone();
            sort(&mut a);
            let mut b = v;
            sort_positions(&mut b);
            assert_eq!(a, b, "{n} diagnostics");
        }
    }
}
