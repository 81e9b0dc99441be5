//! Code lenses on each FROM: which stages use this one, and a command line that builds it.

use docksmith_syntax::TextRange;

use crate::semantics::{Model, StageId};

/// What a lens says or does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LensKind {
    /// The stages that use this one (by FROM, COPY --from or RUN --mount=from).
    Dependents { stages: Vec<StageId> },
    /// Build this stage: `target` is the `--target` value (`None` for the last, unnamed
    /// stage, which is the default target); `command_line` is what to run in the
    /// build context's directory.
    Build {
        target: Option<String>,
        command_line: String,
    },
}

/// One lens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeLens {
    /// The FROM instruction it sits on.
    pub range: TextRange,
    pub stage: StageId,
    /// The text the editor shows.
    pub title: String,
    pub kind: LensKind,
}

/// Two lenses per FROM: dependents ("used by 2 stages: test, final"), and "Build this
/// stage" for stages that can be built on their own (named stages, with
/// `docker build --target <name> .`; the last stage is the default target). An
/// unnamed stage that is not the last cannot be a `--target` and gets no build lens.
pub fn code_lenses(m: &Model) -> Vec<CodeLens> {
    let mut out = Vec::new();
    let last = m.stages.len().checked_sub(1);
    for st in &m.stages {
        let deps = m.dependents(st.index);
        let names: Vec<String> = deps
            .iter()
            .filter_map(|&d| m.stages.get(d))
            .map(super::symbols::stage_label)
            .collect();
        let title = match deps.len() {
            0 if Some(st.index) == last => "default target".to_string(),
            0 => "used by no other stage".to_string(),
            1 => format!("used by 1 stage: {}", names.join(", ")),
            n => format!("used by {n} stages: {}", names.join(", ")),
        };
        out.push(CodeLens {
            range: st.from_range,
            stage: st.index,
            title,
            kind: LensKind::Dependents { stages: deps },
        });
        let target = st.name.as_ref().map(|n| n.text.clone());
        if target.is_some() || Some(st.index) == last {
            let command_line = match &target {
                Some(t) => format!("docker build --target {} .", shell_quote(t)),
                None => "docker build .".to_string(),
            };
            out.push(CodeLens {
                range: st.from_range,
                stage: st.index,
                title: "▶ Build this stage".to_string(),
                kind: LensKind::Build {
                    target,
                    command_line,
                },
            });
        }
    }
    out
}

/// A word for a POSIX shell: as it is when it holds only safe characters, else in
/// single quotes.
pub(crate) fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@=+".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
