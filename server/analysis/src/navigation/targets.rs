//! The stages of a file as build targets, for `docksmith stages` and editor pickers.

use docksmith_syntax::Dockerfile;

use crate::semantics::{DepKind, DepTarget, Model, StageId};

/// One stage as a build target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetInfo {
    pub index: StageId,
    pub name: Option<String>,
    /// The base as written (`golang:${GO_VERSION}`, `builder`, `scratch`).
    pub base: Option<String>,
    /// The base image with variables substituted (`None` when unknown or a stage).
    pub image: Option<String>,
    /// The stage it is built on (`FROM <stage>`).
    pub base_stage: Option<StageId>,
    pub platform: Option<String>,
    /// 1-based line of the FROM.
    pub line: usize,
    /// Stages it needs directly (FROM, COPY --from, RUN --mount=from), each once, in order.
    pub depends_on: Vec<StageId>,
    /// External images it copies or mounts from.
    pub images: Vec<String>,
    /// Every stage a build of this target runs (itself included), in index order.
    pub needs: Vec<StageId>,
    /// The last stage: what `docker build` builds without `--target`.
    pub default_target: bool,
    /// Can be passed to `--target` (it has a name).
    pub targetable: bool,
}

/// The stages of the file, in order.
pub fn targets(df: &Dockerfile, m: &Model) -> Vec<TargetInfo> {
    let last = m.stages.len().checked_sub(1);
    m.stages
        .iter()
        .map(|s| {
            let mut depends_on = Vec::new();
            let mut images = Vec::new();
            let mut base_stage = None;
            for d in &s.deps {
                match &d.target {
                    DepTarget::Stage(t) => {
                        if d.kind == DepKind::FromBase {
                            base_stage = Some(*t);
                        }
                        if *t != s.index && !depends_on.contains(t) {
                            depends_on.push(*t);
                        }
                    }
                    DepTarget::Image(i) => {
                        if !images.contains(i) {
                            images.push(i.clone());
                        }
                    }
                    DepTarget::Unknown => {}
                }
            }
            let needs = m
                .needed_by(s.index)
                .iter()
                .enumerate()
                .filter(|(_, n)| **n)
                .map(|(i, _)| i)
                .collect();
            TargetInfo {
                index: s.index,
                name: s.name.as_ref().map(|n| n.text.clone()),
                base: s.image_word.as_ref().map(|w| w.0.clone()),
                image: if base_stage.is_some() {
                    None
                } else {
                    s.image.as_ref().map(|i| i.text.clone())
                },
                base_stage,
                platform: s.platform.as_ref().map(|p| p.0.clone()),
                line: m.line_of(df, s.from_range.start) as usize,
                depends_on,
                images,
                needs,
                default_target: Some(s.index) == last,
                targetable: s.name.is_some(),
            }
        })
        .collect()
}
