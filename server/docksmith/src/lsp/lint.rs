//! Diagnostics and code actions of the rules engine (`docksmith-analysis::diagnostics`):
//! plain findings in byte offsets converted to LSP, and fixes to code actions.
//!
//! Per request: convert the params, call the analysis, convert the result. The only IO
//! here is finding the configuration (`.docksmith.toml`, else `.hadolint.yaml`, from the
//! document's directory upward) and the `.dockerignore` beside it, cached for a few
//! seconds per directory.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use docksmith_analysis::config::{Config, RuleSetting};
use docksmith_analysis::diagnostics::{self as analysis, Safety, Severity, Tag};
use docksmith_analysis::fix::fix_all;
use docksmith_analysis::suppress;
use ropey::Rope;
use serde_json::Value;
use tower_lsp_server::ls_types::*;

use super::diagnostics::{SOURCE, severity};
use super::documents::Document;
use super::frame::Frame;
use super::position::{PositionEncoding, lsp_to_offsets, range_to_lsp};

/// The kind of our fix-all source action.
pub const FIX_ALL_KIND: &str = "source.fixAll.docksmith";

/// How long a configuration read from disk is reused.
const CONFIG_TTL: Duration = Duration::from_secs(3);

struct Cached {
    at: Instant,
    config: Config,
    dockerignore: Option<String>,
}

static CACHE: Mutex<Option<HashMap<(PathBuf, String), Cached>>> = Mutex::new(None);

/// The configuration files and `.dockerignore` that apply to a `file:` URI.
fn from_disk(uri: &str) -> (Config, Option<String>) {
    let Some(path) = uri
        .parse::<Uri>()
        .ok()
        .and_then(|u| u.to_file_path().map(std::borrow::Cow::into_owned))
    else {
        return (Config::default(), None);
    };
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return (Config::default(), None);
    };
    let key = (dir.to_path_buf(), name.to_string_lossy().into_owned());
    let mut guard = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    let cache = guard.get_or_insert_with(HashMap::new);
    if let Some(c) = cache.get(&key)
        && c.at.elapsed() < CONFIG_TTL
    {
        return (c.config.clone(), c.dockerignore.clone());
    }
    let (config, errors) = crate::project::rules_config(dir);
    for e in errors {
        tracing::warn!("{e}");
    }
    let dockerignore = crate::project::dockerignore_for(&path);
    if cache.len() > 256 {
        cache.clear();
    }
    cache.insert(
        key,
        Cached {
            at: Instant::now(),
            config: config.clone(),
            dockerignore: dockerignore.clone(),
        },
    );
    (config, dockerignore)
}

/// `docksmith.rules` from the LSP settings: `{ "<Rule>": "off" | "error" | ... }` or
/// `{ "<Rule>": { "severity": "...", "enabled": bool } }`.
pub fn rules_from_settings(rules: &serde_json::Map<String, Value>) -> Config {
    let mut c = Config::default();
    for (name, v) in rules {
        let setting = match v {
            Value::String(s) => match s.to_ascii_lowercase().as_str() {
                "off" => Some(RuleSetting {
                    enabled: Some(false),
                    severity: None,
                }),
                "on" => Some(RuleSetting {
                    enabled: Some(true),
                    severity: None,
                }),
                other => Severity::parse(other).map(|sev| RuleSetting {
                    enabled: Some(true),
                    severity: Some(sev),
                }),
            },
            Value::Bool(b) => Some(RuleSetting {
                enabled: Some(*b),
                severity: None,
            }),
            Value::Object(o) => Some(RuleSetting {
                enabled: o.get("enabled").and_then(Value::as_bool),
                severity: o
                    .get("severity")
                    .and_then(Value::as_str)
                    .and_then(Severity::parse),
            }),
            _ => None,
        };
        match setting {
            Some(s) => {
                if !c.set(name, s) {
                    tracing::warn!("docksmith.rules: unknown rule {name:?}");
                }
            }
            None => tracing::warn!(
                "docksmith.rules.{name}: expected \"off\", \"on\", a severity or {{severity, enabled}}"
            ),
        }
    }
    c
}

/// Runs `f` on the analysis findings of an open document, brought up to date by the
/// document's [`Incremental`](docksmith_analysis::incremental::Incremental) (which reuses
/// the previous call's work: nothing when the text and options are unchanged, a patch
/// after an edit inside one instruction). The model it builds becomes the document's.
pub fn with_findings<T>(
    uri: &str,
    doc: &Document,
    rules: &serde_json::Map<String, Value>,
    f: impl FnOnce(&[analysis::Diagnostic]) -> T,
) -> T {
    let (mut config, dockerignore) = from_disk(uri);
    config.merge(&rules_from_settings(rules));
    let opts = analysis::Options {
        config,
        dockerignore: dockerignore.as_deref(),
        buildkit_check: None,
    };
    let mut inc = doc.analysis.lock();
    // One thread: a check from scratch on two (`set_parallel`) opens a 10,000-line file
    // about 2.5 ms sooner, but the second thread's malloc arena costs about 1 MB of peak
    // memory, which the server's budget (20 MB at 10,000 lines) does not have
    // (docs/performance.md). `docksmith check` uses two threads for a single file.
    let found = inc.update(&doc.syntax, &opts);
    let out = f(found);
    doc.set_model(inc.model().clone());
    out
}

/// One finding as an LSP diagnostic.
pub fn to_lsp(
    uri: &Uri,
    rope: &Rope,
    d: &analysis::Diagnostic,
    enc: PositionEncoding,
) -> Diagnostic {
    to_lsp_with(uri, d, |r| range_to_lsp(rope, r, enc))
}

/// One finding as an LSP diagnostic, its ranges converted by `range`.
pub fn to_lsp_with(
    uri: &Uri,
    d: &analysis::Diagnostic,
    range: impl Fn(docksmith_syntax::TextRange) -> Range,
) -> Diagnostic {
    let url = d.url();
    let tags: Vec<DiagnosticTag> = d
        .tags
        .iter()
        .map(|t| match t {
            Tag::Unnecessary => DiagnosticTag::UNNECESSARY,
            Tag::Deprecated => DiagnosticTag::DEPRECATED,
        })
        .collect();
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .map(|r| DiagnosticRelatedInformation {
            location: Location {
                uri: uri.clone(),
                range: range(r.range),
            },
            message: r.message.clone(),
        })
        .collect();
    Diagnostic {
        range: range(d.range),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.rule.to_owned())),
        code_description: url.parse::<Uri>().ok().map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: (!tags.is_empty()).then_some(tags),
        data: None,
    }
}

/// All diagnostics of a document as a JSON array of LSP diagnostics, appended to `out`.
///
/// Each diagnostic is serialised once and its JSON kept with the document
/// ([`JsonCache`]) while it stays the same *in LSP terms* (rule, message, severity, tags,
/// line/column range, related information): typing on one line changes the byte offsets of
/// every later finding but none of their positions, so a keystroke re-serialises only the
/// findings it touched.
pub fn diagnostics_json(
    uri: &Uri,
    doc: &Document,
    rules: &serde_json::Map<String, Value>,
    enc: PositionEncoding,
    out: &mut Frame,
) {
    with_findings(uri.as_str(), doc, rules, |found| {
        write_json(uri, doc, found, enc, out);
    });
}

/// Writes the array of `found` into `out`: each diagnostic's JSON is a piece kept in the
/// document's [`JsonCache`] while its LSP form is unchanged, and goes out without a copy.
/// A diagnostic whose LSP form only moved by some lines (lines were inserted or deleted
/// above it) gets its kept piece with the line numbers moved, not written again.
fn write_json(
    uri: &Uri,
    doc: &Document,
    found: &[analysis::Diagnostic],
    enc: PositionEncoding,
    out: &mut Frame,
) {
    let idx = doc.line_index(enc);
    let uri_json = serde_json::to_vec(uri.as_str()).unwrap_or_default();
    let mut cache = doc.json_cache.lock().unwrap_or_else(|p| p.into_inner());
    let cache = &mut *cache;
    cache.generation = cache.generation.wrapping_add(1);
    let generation = cache.generation;
    let missing = found.len().saturating_sub(cache.entries.len());
    cache.entries.reserve(missing);
    // The pieces in order; the findings with no kept piece at their place, with their keys.
    let mut pieces: Vec<Option<std::sync::Arc<[u8]>>> = Vec::with_capacity(found.len());
    let mut misses = Vec::new();
    for (i, d) in found.iter().enumerate() {
        let key = Key::of(d, &idx);
        match cache.entries.get_mut(&key.hash()) {
            Some(e) if e.key == key => {
                e.generation = generation;
                pieces.push(Some(e.json.clone()));
            }
            _ => {
                pieces.push(None);
                misses.push((i, key));
            }
        }
    }
    cache.moved = 0;
    if !misses.is_empty() {
        // Kept pieces not used above, by their key without lines: those that moved.
        let mut moved: HashMap<u64, Vec<u64>> = HashMap::new();
        for (&h, e) in &cache.entries {
            if e.generation != generation {
                moved.entry(e.key.hash_without_lines()).or_default().push(h);
            }
        }
        let mut scratch = Vec::new();
        for (i, key) in misses {
            let d = &found[i];
            let kept = moved
                .get_mut(&key.hash_without_lines())
                .and_then(|hashes| {
                    let k = hashes.iter().position(|h| {
                        cache
                            .entries
                            .get(h)
                            .is_some_and(|e| e.generation != generation && e.key.moved(&key))
                    })?;
                    cache.entries.remove(&hashes.swap_remove(k))
                })
                .and_then(|e| {
                    let delta = i64::from(key.range[0]) - i64::from(e.key.range[0]);
                    super::frame::move_lines(&e.json, delta)
                });
            let json: std::sync::Arc<[u8]> = match kept {
                Some(json) => {
                    cache.moved += 1;
                    json.into()
                }
                None => {
                    let href = cache
                        .hrefs
                        .entry(d.rule)
                        .or_insert_with(|| {
                            let url = d.url();
                            url.parse::<Uri>()
                                .ok()
                                .and_then(|_| serde_json::to_vec(&url).ok())
                                .map(std::sync::Arc::from)
                        })
                        .clone();
                    scratch.clear();
                    scratch.push(b',');
                    write_diagnostic(&mut scratch, &uri_json, d, &key, href.as_deref());
                    scratch.as_slice().into()
                }
            };
            pieces[i] = Some(json.clone());
            cache.entries.insert(
                key.hash(),
                Box::new(CachedJson {
                    key: key.into_owned(),
                    json,
                    generation,
                }),
            );
        }
    }
    out.bytes(b"[");
    // Each piece starts with a comma; the first one goes without it.
    for (i, piece) in pieces.into_iter().flatten().enumerate() {
        out.push_piece(piece, usize::from(i == 0));
    }
    out.bytes(b"]");
    cache.entries.retain(|_, e| e.generation == generation);
}

/// Writes one diagnostic as LSP JSON (what serde writes for [`to_lsp`]'s result), its
/// ranges taken from `key`. `uri_json` is the document's URI as a JSON string.
/// `href` is the rule page's URL as a JSON string, if it has one.
fn write_diagnostic(
    out: &mut Vec<u8>,
    uri_json: &[u8],
    d: &analysis::Diagnostic,
    key: &Key<'_>,
    href: Option<&[u8]>,
) {
    use std::io::Write;
    fn range(out: &mut Vec<u8>, [l1, c1, l2, c2]: [u32; 4]) {
        let _ = write!(
            out,
            r#"{{"start":{{"line":{l1},"character":{c1}}},"end":{{"line":{l2},"character":{c2}}}}}"#
        );
    }
    fn string(out: &mut Vec<u8>, s: &str) {
        let _ = serde_json::to_writer(&mut *out, s);
    }
    out.extend_from_slice(b"{\"range\":");
    range(out, key.range);
    let severity = match d.severity {
        Severity::Error => 1,
        Severity::Warning => 2,
        Severity::Info => 3,
        Severity::Hint => 4,
    };
    let _ = write!(out, ",\"severity\":{severity},\"code\":");
    string(out, d.rule);
    if let Some(href) = href {
        out.extend_from_slice(b",\"codeDescription\":{\"href\":");
        out.extend_from_slice(href);
        out.push(b'}');
    }
    out.extend_from_slice(b",\"source\":");
    string(out, SOURCE);
    out.extend_from_slice(b",\"message\":");
    string(out, &d.message);
    if !key.related.is_empty() {
        out.extend_from_slice(b",\"relatedInformation\":[");
        for (i, (r, message)) in key.related.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"location\":{\"uri\":");
            out.extend_from_slice(uri_json);
            out.extend_from_slice(b",\"range\":");
            range(out, *r);
            out.extend_from_slice(b"},\"message\":");
            string(out, message);
            out.push(b'}');
        }
        out.push(b']');
    }
    if !d.tags.is_empty() {
        out.extend_from_slice(b",\"tags\":[");
        for (i, t) in d.tags.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.push(match t {
                Tag::Unnecessary => b'1',
                Tag::Deprecated => b'2',
            });
        }
        out.push(b']');
    }
    out.push(b'}');
}

/// The serialised diagnostics of one document, by what determines their JSON.
#[derive(Debug, Default)]
pub struct JsonCache {
    /// Boxed: a table slot is then 16 bytes, not 150 (the table has up to twice as many
    /// slots as entries).
    entries: HashMap<u64, Box<CachedJson>, std::hash::BuildHasherDefault<Identity>>,
    generation: u64,
    /// How many pieces the last write moved (see [`write_json`]).
    moved: usize,
    /// Each rule's page as a JSON string (`None`: no valid URL).
    hrefs: HashMap<&'static str, Option<std::sync::Arc<[u8]>>>,
}

/// The keys are hashes already.
#[derive(Debug, Default)]
struct Identity(u64);

impl std::hash::Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[derive(Debug)]
struct CachedJson {
    key: Key<'static>,
    /// The diagnostic's JSON after a comma.
    json: std::sync::Arc<[u8]>,
    generation: u64,
}

/// Everything the JSON of a diagnostic depends on (the URI and encoding are the
/// document's own and fixed).
#[derive(Debug, PartialEq, Eq)]
struct Key<'a> {
    rule: &'static str,
    range: [u32; 4],
    severity: Severity,
    tags: std::borrow::Cow<'a, [Tag]>,
    message: std::borrow::Cow<'a, str>,
    related: Vec<([u32; 4], std::borrow::Cow<'a, str>)>,
}

impl<'a> Key<'a> {
    fn of(d: &'a analysis::Diagnostic, idx: &super::line_index::LineIndex<'_>) -> Self {
        let flat = |r: docksmith_syntax::TextRange| {
            let r = idx.range(r);
            [r.start.line, r.start.character, r.end.line, r.end.character]
        };
        Key {
            rule: d.rule,
            range: flat(d.range),
            severity: d.severity,
            tags: std::borrow::Cow::Borrowed(&d.tags),
            message: std::borrow::Cow::Borrowed(&d.message),
            related: d
                .related
                .iter()
                .map(|r| {
                    (
                        flat(r.range),
                        std::borrow::Cow::Borrowed(r.message.as_str()),
                    )
                })
                .collect(),
        }
    }

    /// A cheap hash of the rule and range only (the rest is compared on a hit): two
    /// findings of one rule at one range share a slot, which costs a re-serialisation,
    /// never a wrong answer.
    fn hash(&self) -> u64 {
        let mut h = self.rule.as_ptr() as u64;
        for x in self.range {
            h = (h.rotate_left(5) ^ u64::from(x)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
        h
    }

    /// A hash of the rule and the range's columns and line count: equal for a finding
    /// that only moved by some lines.
    fn hash_without_lines(&self) -> u64 {
        let [l1, c1, l2, c2] = self.range;
        let mut h = self.rule.as_ptr() as u64;
        for x in [c1, l2.wrapping_sub(l1), c2] {
            h = (h.rotate_left(5) ^ u64::from(x)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
        h
    }

    /// Whether `other` is this key with every line moved by the same number: then its
    /// JSON is this one's with the line numbers moved.
    fn moved(&self, other: &Key<'_>) -> bool {
        let delta = i64::from(other.range[0]) - i64::from(self.range[0]);
        let same = |a: [u32; 4], b: [u32; 4]| {
            i64::from(a[0]) + delta == i64::from(b[0])
                && a[1] == b[1]
                && i64::from(a[2]) + delta == i64::from(b[2])
                && a[3] == b[3]
        };
        self.rule == other.rule
            && self.severity == other.severity
            && self.tags == other.tags
            && self.message == other.message
            && same(self.range, other.range)
            && self.related.len() == other.related.len()
            && self
                .related
                .iter()
                .zip(&other.related)
                .all(|((a, m), (b, n))| m == n && same(*a, *b))
    }

    fn into_owned(self) -> Key<'static> {
        Key {
            rule: self.rule,
            range: self.range,
            severity: self.severity,
            tags: std::borrow::Cow::Owned(self.tags.into_owned()),
            message: std::borrow::Cow::Owned(self.message.into_owned()),
            related: self
                .related
                .into_iter()
                .map(|(r, m)| (r, std::borrow::Cow::Owned(m.into_owned())))
                .collect(),
        }
    }
}

fn edit(uri: &Uri, rope: &Rope, edits: &[analysis::Edit], enc: PositionEncoding) -> WorkspaceEdit {
    let text_edits = edits
        .iter()
        .map(|e| TextEdit {
            range: range_to_lsp(rope, e.range, enc),
            new_text: e.new_text.clone(),
        })
        .collect();
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), text_edits)])),
        ..WorkspaceEdit::default()
    }
}

fn wants(only: Option<&Vec<CodeActionKind>>, kind: &CodeActionKind) -> bool {
    only.is_none_or(|o| {
        o.iter().any(|k| {
            kind.as_str() == k.as_str() || kind.as_str().starts_with(&format!("{}.", k.as_str()))
        })
    })
}

/// `textDocument/codeAction`: the fixes of the diagnostics in `range`, "skip in file" and
/// "ignore here" for each, and `source.fixAll.docksmith`.
pub fn code_actions(
    uri: &Uri,
    doc: &Document,
    rules: &serde_json::Map<String, Value>,
    range: Range,
    only: Option<&Vec<CodeActionKind>>,
    enc: PositionEncoding,
) -> Vec<CodeActionOrCommand> {
    let mut out = Vec::new();
    let quickfix = CodeActionKind::QUICKFIX;
    let fix_all_kind = CodeActionKind::from(FIX_ALL_KIND);
    let (a, b) = lsp_to_offsets(&doc.rope, range, enc);
    let (a, b) = (a.byte as u32, b.byte as u32);
    let (here, any_safe_fix) = with_findings(uri.as_str(), doc, rules, |found| {
        let here: Vec<analysis::Diagnostic> = found
            .iter()
            .filter(|d| d.range.start <= b && a <= d.range.end)
            .cloned()
            .collect();
        let any_safe_fix = found
            .iter()
            .any(|d| d.fixes.iter().any(|f| f.safety == Safety::Safe));
        (here, any_safe_fix)
    });
    if wants(only, &quickfix) {
        let mut seen_rules: Vec<&str> = Vec::new();
        for d in &here {
            let lsp = to_lsp(uri, &doc.rope, d, enc);
            for (k, f) in d.fixes.iter().enumerate() {
                let title = match f.safety {
                    Safety::Safe => f.title.clone(),
                    Safety::Unsafe => format!("{} (unsafe)", f.title),
                    Safety::DisplayOnly => format!("{} (suggestion)", f.title),
                };
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(quickfix.clone()),
                    diagnostics: Some(vec![lsp.clone()]),
                    edit: Some(edit(uri, &doc.rope, &f.edits, enc)),
                    is_preferred: Some(k == 0 && f.safety == Safety::Safe),
                    ..CodeAction::default()
                }));
            }
            if seen_rules.contains(&d.rule) {
                continue;
            }
            seen_rules.push(d.rule);
            if let Some(f) = suppress::ignore_here_fix(&doc.syntax, d.range.start, d.rule) {
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: f.title,
                    kind: Some(quickfix.clone()),
                    diagnostics: Some(vec![lsp.clone()]),
                    edit: Some(edit(uri, &doc.rope, &f.edits, enc)),
                    ..CodeAction::default()
                }));
            }
            let f = suppress::skip_in_file_fix(&doc.syntax, d.rule);
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: f.title,
                kind: Some(quickfix.clone()),
                diagnostics: Some(vec![lsp]),
                edit: Some(edit(uri, &doc.rope, &f.edits, enc)),
                ..CodeAction::default()
            }));
        }
    }
    // Only on request: fix-all rewrites the document.
    if only.is_some() && wants(only, &fix_all_kind) && any_safe_fix {
        let text = doc.rope.to_string();
        let (config, dockerignore) = from_disk(uri.as_str());
        let mut config = config;
        config.merge(&rules_from_settings(rules));
        let opts = analysis::Options {
            config,
            dockerignore: dockerignore.as_deref(),
            buildkit_check: None,
        };
        let (new, n) = fix_all(&text, &opts, 10);
        if n > 0 && new != text {
            let whole = docksmith_syntax::TextRange::new(0, text.len() as u32);
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Fix all safe Docksmith problems ({n})"),
                kind: Some(fix_all_kind),
                edit: Some(edit(
                    uri,
                    &doc.rope,
                    &[analysis::Edit::replace(whole, new)],
                    enc,
                )),
                ..CodeAction::default()
            }));
        }
    }
    out
}

/// The capability to advertise.
pub fn capability() -> CodeActionProviderCapability {
    CodeActionProviderCapability::Options(CodeActionOptions {
        code_action_kinds: Some(vec![
            CodeActionKind::QUICKFIX,
            CodeActionKind::from(FIX_ALL_KIND),
        ]),
        resolve_provider: Some(false),
        work_done_progress_options: WorkDoneProgressOptions::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written JSON of a diagnostic is what serde writes for its LSP form.
    #[test]
    fn written_diagnostics_equal_serialised_ones() {
        let mut text = docksmith_testgen::dockerfile(400, 3);
        text.push_str("FROM a\nMAINTAINER é \"x\"\nfrom a as b\nRUN cd /x\\\n\n && \\\n echo 😀\n");
        let uri: Uri = "file:///w/a%20b/Dockerfile".parse().unwrap();
        let rules = serde_json::Map::new();
        let expected = |doc: &Document, enc| {
            let idx = doc.line_index(enc);
            let typed: Vec<Diagnostic> = with_findings(uri.as_str(), doc, &rules, |found| {
                found
                    .iter()
                    .map(|d| to_lsp_with(&uri, d, |r| idx.range(r)))
                    .collect()
            });
            typed
        };
        for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
            let mut doc = Document::new(&text, 1, "dockerfile".into());
            let mut out = Frame::new();
            diagnostics_json(&uri, &doc, &rules, enc, &mut out);
            let written: Value = serde_json::from_slice(&out.to_vec()).unwrap();
            // The second time, every piece comes from the cache.
            let mut again = Frame::new();
            diagnostics_json(&uri, &doc, &rules, enc, &mut again);
            assert_eq!(again.to_vec(), out.to_vec());
            let typed = expected(&doc, enc);
            assert!(typed.len() > 50, "{}", typed.len());
            assert!(typed.iter().any(|d| d.related_information.is_some()));
            assert!(typed.iter().any(|d| d.tags.is_some()));
            assert_eq!(written, serde_json::to_value(&typed).unwrap());
            // Lines inserted and deleted: the findings below move, their pieces with them.
            let edits = [
                (200, 0, 200, 0, "\n\n"),
                (3, 0, 3, 0, "\n"),
                (10, 0, 12, 0, ""),
                (150, 0, 150, 0, "RUN apt-get install x\n"),
            ];
            for (l1, c1, l2, c2, new) in edits {
                let change = TextDocumentContentChangeEvent {
                    range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
                    range_length: None,
                    text: new.into(),
                };
                doc.apply_changes(&[change], enc);
                let mut out = Frame::new();
                diagnostics_json(&uri, &doc, &rules, enc, &mut out);
                let written: Value = serde_json::from_slice(&out.to_vec()).unwrap();
                let typed = expected(&doc, enc);
                assert_eq!(written, serde_json::to_value(&typed).unwrap(), "{l1}:{c1}");
                let moved = doc.json_cache.lock().unwrap().moved;
                assert!(moved >= 20, "{moved} pieces moved after {l1}:{c1}");
            }
        }
    }
}
