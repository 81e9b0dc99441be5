//! LSP glue for Compose files (`compose.yaml` and friends): diagnostics for unknown
//! `build.target` stages, completion of stage names there, and definition from a target to
//! its stage. The YAML is read by `docksmith_analysis::compose`; this module finds the
//! Dockerfile (open in the editor, else on disk) and converts positions.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use docksmith_analysis::Model;
use docksmith_analysis::compose::{self, ComposeBuild, ComposeFile};
use docksmith_syntax::Dockerfile;
use ropey::Rope;
use tower_lsp_server::ls_types::*;

use super::diagnostics::{Finding, Severity, to_lsp};
use super::position::{position_to_offset, range_to_lsp};
use super::server::State;

/// Whether the URI names a Compose file (by its file name).
pub fn is_compose_uri(uri: &Uri) -> bool {
    let path = uri.path().as_str();
    let name = path.rsplit('/').next().unwrap_or(path);
    compose::is_compose_file_name(name)
}

/// Whether an open document is YAML (by language id or extension): only Compose files among
/// them are served; the others get nothing (the server may be attached to every YAML file).
pub fn is_yaml(uri: &str, language_id: &str) -> bool {
    let path = uri.to_ascii_lowercase();
    language_id.contains("yaml")
        || language_id == "dockercompose"
        || path.ends_with(".yaml")
        || path.ends_with(".yml")
}

/// The largest Dockerfile read from disk for a Compose file.
const MAX_DOCKERFILE_BYTES: u64 = 16 << 20;

/// A Dockerfile a compose build points at: its URI, text and model (borrowed from the
/// open document when there is one, read from disk otherwise).
struct Target<'a> {
    uri: Uri,
    rope: Cow<'a, Rope>,
    model: Cow<'a, Model>,
    /// The path as the compose file writes it, for messages.
    shown: String,
}

fn compose_dir(uri: &Uri) -> Option<PathBuf> {
    let path = uri.to_file_path()?;
    path.parent().map(Path::to_path_buf)
}

/// Finds and reads the Dockerfile of a build: the open document when there is one, else the
/// file on disk. `Err` says why it cannot be checked (`None`: nothing to say).
fn load<'a>(
    st: &'a State,
    compose_uri: &Uri,
    b: &ComposeBuild,
) -> Result<Target<'a>, Option<String>> {
    let rel = b.dockerfile_path().ok_or(None)?;
    let dir = compose_dir(compose_uri).ok_or(None)?;
    let path = dir.join(&rel);
    let uri = Uri::from_file_path(&path).ok_or(None)?;
    if let Some(doc) = st.docs.get(uri.as_str()) {
        return Ok(Target {
            uri,
            rope: Cow::Borrowed(&doc.rope),
            model: Cow::Borrowed(doc.model()),
            shown: rel,
        });
    }
    let meta = std::fs::metadata(&path).map_err(|_| Some(format!("{rel} not found")))?;
    if !meta.is_file() || meta.len() > MAX_DOCKERFILE_BYTES {
        return Err(Some(format!("{rel} is not a readable Dockerfile")));
    }
    let bytes = std::fs::read(&path).map_err(|e| Some(format!("cannot read {rel}: {e}")))?;
    let text: Cow<'_, str> = String::from_utf8_lossy(&bytes);
    let df = Dockerfile::parse(&text);
    Ok(Target {
        uri,
        rope: Cow::Owned(Rope::from_str(&text)),
        model: Cow::Owned(Model::build(&df)),
        shown: rel,
    })
}

fn parse(st: &State, uri: &Uri) -> Option<ComposeFile> {
    if !is_compose_uri(uri) {
        return None;
    }
    let doc = st.docs.get(uri.as_str())?;
    Some(compose::parse_compose(&doc.rope.to_string()))
}

/// The diagnostics of an open Compose file: unknown or empty `build.target` values, and
/// targets whose Dockerfile cannot be found (as warnings). `None` when `uri` is not a
/// Compose file.
pub fn diagnostics(st: &State, uri: &Uri) -> Option<(i32, Vec<Diagnostic>)> {
    let file = parse(st, uri)?;
    let doc = st.docs.get(uri.as_str())?;
    let mut findings = Vec::new();
    for b in &file.builds {
        let Some(t) = &b.target else { continue };
        match load(st, uri, b) {
            Ok(target) => {
                if let Some(d) = compose::check_target(b, &target.model, &target.shown) {
                    findings.push(Finding {
                        range: d.range,
                        severity: Severity::Error,
                        code: Some("UnknownBuildTarget".to_owned()),
                        message: d.message,
                    });
                }
            }
            Err(Some(why)) => findings.push(Finding {
                range: t.range,
                severity: Severity::Warning,
                code: None,
                message: format!("cannot check build target {:?}: {why}", t.value),
            }),
            Err(None) => {}
        }
    }
    Some((doc.version, to_lsp(&doc.rope, findings, st.encoding)))
}

fn offset(st: &State, uri: &Uri, pos: Position) -> Option<u32> {
    let doc = st.docs.get(uri.as_str())?;
    u32::try_from(position_to_offset(&doc.rope, pos, st.encoding).byte).ok()
}

/// From a `target:` value to the stage's `AS name` in its Dockerfile.
pub fn definition(st: &State, uri: &Uri, pos: Position) -> Option<GotoDefinitionResponse> {
    let file = parse(st, uri)?;
    let off = offset(st, uri, pos)?;
    let b = compose::target_at(&file, off)?;
    let target = load(st, uri, b).ok()?;
    let stage = compose::resolve_target(&target.model, &b.target.as_ref()?.value)?;
    let s = target.model.stages.get(stage)?;
    let r = s.name.as_ref().map_or(s.from_range, |n| n.range);
    Some(GotoDefinitionResponse::Scalar(Location::new(
        target.uri.clone(),
        range_to_lsp(&target.rope, r, st.encoding),
    )))
}

/// Stage names for a `target:` value.
pub fn completion(st: &State, p: &CompletionParams) -> Option<CompletionResponse> {
    let uri = &p.text_document_position.text_document.uri;
    let file = parse(st, uri)?;
    let off = offset(st, uri, p.text_document_position.position)?;
    let b = compose::target_at(&file, off)?;
    let target = load(st, uri, b).ok()?;
    let doc = st.docs.get(uri.as_str())?;
    let replace = range_to_lsp(&doc.rope, b.target.as_ref()?.range, st.encoding);
    let items = compose::complete_target(&target.model)
        .into_iter()
        .map(|(name, detail)| CompletionItem {
            label: name.clone(),
            kind: Some(CompletionItemKind::CLASS),
            detail: Some(detail),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(replace, name))),
            ..CompletionItem::default()
        })
        .collect();
    Some(CompletionResponse::Array(items))
}
