//! LSP glue for navigation over Dockerfiles (see `docs/navigation.md`): each handler
//! converts positions to byte offsets, calls `docksmith_analysis::navigation`, and converts
//! the result back. Requests on Compose files go to [`super::compose`].

use docksmith_analysis::navigation as nav;
use docksmith_syntax::TextRange;
use serde_json::json;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;

use super::documents::Document;
use super::line_index::LineIndex;
use super::position::{PositionEncoding, offset_to_position, position_to_offset, range_to_lsp};
use super::server::State;

/// The client-side command the "Build this stage" lens carries.
pub const BUILD_STAGE_COMMAND: &str = "docksmith.buildStage";

/// Sets the capabilities of the requests served here.
pub fn capabilities(caps: &mut ServerCapabilities) {
    caps.definition_provider = Some(OneOf::Left(true));
    caps.references_provider = Some(OneOf::Left(true));
    caps.document_highlight_provider = Some(OneOf::Left(true));
    caps.rename_provider = Some(OneOf::Right(RenameOptions {
        prepare_provider: Some(true),
        work_done_progress_options: WorkDoneProgressOptions::default(),
    }));
    caps.document_symbol_provider = Some(OneOf::Left(true));
    caps.folding_range_provider = Some(FoldingRangeProviderCapability::Simple(true));
    caps.selection_range_provider = Some(SelectionRangeProviderCapability::Simple(true));
    caps.code_lens_provider = Some(CodeLensOptions {
        resolve_provider: Some(false),
    });
    caps.inlay_hint_provider = Some(OneOf::Left(true));
    caps.workspace_symbol_provider = Some(OneOf::Left(true));
}

/// An open Dockerfile (not a Compose file) and a byte offset in it.
fn at<'a>(st: &'a State, uri: &Uri, pos: Position) -> Option<(&'a Document, u32)> {
    let doc = st.dockerfile(uri.as_str())?;
    let off = position_to_offset(&doc.rope, pos, st.encoding).byte;
    Some((doc, u32::try_from(off).ok()?))
}

fn range(doc: &Document, r: TextRange, enc: PositionEncoding) -> Range {
    range_to_lsp(&doc.rope, r, enc)
}

pub fn definition(st: &State, p: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let uri = p.text_document_position_params.text_document.uri;
    let Some((doc, off)) = at(st, &uri, p.text_document_position_params.position) else {
        return super::compose::definition(st, &uri, p.text_document_position_params.position);
    };
    let targets = nav::definition(&doc.syntax, doc.model(), off);
    let locs: Vec<Location> = targets
        .into_iter()
        .map(|t| Location::new(uri.clone(), range(doc, t.focus, st.encoding)))
        .collect();
    (!locs.is_empty()).then_some(GotoDefinitionResponse::Array(locs))
}

pub fn references(st: &State, p: ReferenceParams) -> Option<Vec<Location>> {
    let uri = p.text_document_position.text_document.uri;
    let (doc, off) = at(st, &uri, p.text_document_position.position)?;
    let refs = nav::references(&doc.syntax, doc.model(), off, p.context.include_declaration);
    Some(
        refs.into_iter()
            .map(|r| Location::new(uri.clone(), range(doc, r, st.encoding)))
            .collect(),
    )
}

pub fn highlight(st: &State, p: DocumentHighlightParams) -> Option<Vec<DocumentHighlight>> {
    let uri = p.text_document_position_params.text_document.uri;
    let (doc, off) = at(st, &uri, p.text_document_position_params.position)?;
    let hs = nav::highlights(&doc.syntax, doc.model(), off);
    Some(
        hs.into_iter()
            .map(|h| DocumentHighlight {
                range: range(doc, h.range, st.encoding),
                kind: Some(match h.kind {
                    nav::HighlightKind::Write => DocumentHighlightKind::WRITE,
                    nav::HighlightKind::Read => DocumentHighlightKind::READ,
                    nav::HighlightKind::Text => DocumentHighlightKind::TEXT,
                }),
            })
            .collect(),
    )
}

fn refused(message: String) -> Error {
    Error {
        // LSP's RequestFailed: the request was valid but could not be carried out.
        code: ErrorCode::ServerError(-32803),
        message: message.into(),
        data: None,
    }
}

pub fn prepare_rename(
    st: &State,
    p: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let Some((doc, off)) = at(st, &p.text_document.uri, p.position) else {
        return Ok(None);
    };
    if nav::symbol_at(&doc.syntax, doc.model(), off).is_none() {
        // Nothing renameable here: null, as LSP asks (an error is for a refusal).
        return Ok(None);
    }
    match nav::prepare_rename(&doc.syntax, doc.model(), off) {
        Ok((r, placeholder)) => Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
            range: range(doc, r, st.encoding),
            placeholder,
        })),
        Err(e) => Err(refused(e.message)),
    }
}

pub fn rename(st: &State, p: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let uri = p.text_document_position.text_document.uri;
    let Some((doc, off)) = at(st, &uri, p.text_document_position.position) else {
        return Ok(None);
    };
    let edits =
        nav::rename(&doc.syntax, doc.model(), off, &p.new_name).map_err(|e| refused(e.message))?;
    let edits: Vec<TextEdit> = edits
        .into_iter()
        .map(|e| TextEdit::new(range(doc, e.range, st.encoding), e.new_text))
        .collect();
    let mut changes = std::collections::HashMap::new();
    changes.insert(uri, edits);
    Ok(Some(WorkspaceEdit::new(changes)))
}

fn symbol_kind(k: nav::SymbolKind) -> SymbolKind {
    match k {
        nav::SymbolKind::Stage => SymbolKind::CLASS,
        nav::SymbolKind::Arg => SymbolKind::VARIABLE,
        nav::SymbolKind::Env => SymbolKind::CONSTANT,
        nav::SymbolKind::Instruction => SymbolKind::FUNCTION,
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written out
fn document_symbol(idx: &LineIndex<'_>, s: nav::DocumentSymbol) -> DocumentSymbol {
    DocumentSymbol {
        name: if s.name.is_empty() {
            "?".into()
        } else {
            s.name
        },
        detail: s.detail,
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        range: idx.range(s.range),
        selection_range: idx.range(s.selection_range),
        children: Some(
            s.children
                .into_iter()
                .map(|c| document_symbol(idx, c))
                .collect(),
        ),
    }
}

pub fn document_symbols(st: &State, p: DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
    let doc = st.dockerfile(p.text_document.uri.as_str())?;
    let syms = nav::document_symbols(&doc.syntax, doc.model());
    let idx = doc.line_index(st.encoding);
    Some(DocumentSymbolResponse::Nested(
        syms.into_iter().map(|s| document_symbol(&idx, s)).collect(),
    ))
}

/// [`document_symbols`] as JSON, written from the JSON of each instruction's symbols kept
/// with the document ([`OutlineCache`]): after a keystroke only the edited instruction's
/// symbols are made again. `None` for an unknown document.
pub fn document_symbols_json(st: &State, p: &DocumentSymbolParams) -> Option<Vec<u8>> {
    let doc = st.dockerfile(p.text_document.uri.as_str())?;
    let m = doc.model();
    let idx = doc.line_index(st.encoding);
    let mut cache = doc.outline.lock().unwrap_or_else(|p| p.into_inner());
    cache.generation = cache.generation.wrapping_add(1);
    // Room for the whole outline at once (a doubling 1 MB buffer is a 3 MB peak): the size
    // of the last one, or four bytes per byte of text (the generated files need 3.7) the
    // first time.
    let size = match cache.last_len {
        0 => doc.syntax.len() as usize * 4,
        n => n + n / 16,
    };
    let mut out = Vec::with_capacity(size);
    out.push(b'[');
    let mut top_first = true;
    for &n in &m.global_instructions {
        if let Some((e, _)) = cache.node(doc, &idx, n)
            && !e.json.is_empty()
        {
            if !std::mem::take(&mut top_first) {
                out.push(b',');
            }
            out.extend_from_slice(&e.json);
        }
    }
    for stage in &m.stages {
        if !std::mem::take(&mut top_first) {
            out.push(b',');
        }
        // The children first (JSON objects are unordered): the stage's range needs the
        // end of its last child.
        out.extend_from_slice(b"{\"children\":[");
        let mut first = true;
        let mut last_end = None;
        for &n in &stage.instructions {
            if let Some((e, start)) = cache.node(doc, &idx, n)
                && !e.json.is_empty()
            {
                if !std::mem::take(&mut first) {
                    out.push(b',');
                }
                out.extend_from_slice(&e.json);
                last_end = e.last_end.map(|end| start + end).or(last_end);
            }
        }
        out.extend_from_slice(b"],");
        let mut symbol = document_symbol(&idx, nav::stage_symbol(stage, last_end));
        symbol.children = None;
        let fields_at = out.len();
        // Serialising LSP types into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut out, &symbol);
        out.remove(fields_at); // its opening brace: the fields follow the children
    }
    out.push(b']');
    let generation = cache.generation;
    cache.entries.retain(|_, e| e.generation == generation);
    cache.last_len = out.len();
    Some(out)
}

/// The JSON of each instruction's outline symbols, by node (see [`document_symbols_json`]).
#[derive(Debug, Default)]
pub struct OutlineCache {
    entries: std::collections::HashMap<usize, OutlineEntry, std::hash::BuildHasherDefault<PtrHash>>,
    generation: u64,
    /// The size of the last outline.
    last_len: usize,
}

/// Hashes a node's address (the keys of [`OutlineCache`]).
#[derive(Debug, Default)]
struct PtrHash(u64);

impl std::hash::Hasher for PtrHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (n as u64 >> 4).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

#[derive(Debug)]
struct OutlineEntry {
    /// Held, so that its address (the key) names this node while the entry lives.
    node: std::sync::Arc<docksmith_syntax::Node>,
    /// Where the node starts and the escape character: the JSON holds absolute positions.
    start: Position,
    escape: char,
    /// The symbols, comma-separated (empty when the node has none).
    json: Box<[u8]>,
    /// Where the range of its last symbol ends, from the node's start.
    last_end: Option<u32>,
    generation: u64,
}

impl OutlineCache {
    /// The entry of node `n`, made or refreshed, and the node's start offset.
    fn node(
        &mut self,
        doc: &Document,
        idx: &LineIndex<'_>,
        n: usize,
    ) -> Option<(&OutlineEntry, u32)> {
        let df = &doc.syntax;
        let shared = df.shared_nodes().get(n)?;
        let start_offset = df.node(n)?.start;
        let start = idx.position(start_offset);
        let key = std::sync::Arc::as_ptr(shared) as usize;
        let generation = self.generation;
        let fresh = self.entries.get(&key).is_some_and(|e| {
            std::sync::Arc::ptr_eq(&e.node, shared) && e.start == start && e.escape == df.escape()
        });
        if !fresh {
            let mut symbols = Vec::new();
            if let Some(i) = nav::instruction(df, n) {
                nav::instruction_symbols(&i, df.escape(), &mut symbols);
            }
            let last_end = symbols
                .last()
                .map(|s| s.range.end.saturating_sub(start_offset));
            let mut json = Vec::new();
            for (k, s) in symbols.into_iter().enumerate() {
                if k > 0 {
                    json.push(b',');
                }
                let _ = serde_json::to_writer(&mut json, &document_symbol(idx, s));
            }
            self.entries.insert(
                key,
                OutlineEntry {
                    node: shared.clone(),
                    start,
                    escape: df.escape(),
                    json: json.into(),
                    last_end,
                    generation,
                },
            );
        }
        let e = self.entries.get_mut(&key)?;
        e.generation = generation;
        Some((e, start_offset))
    }
}

pub fn folding_ranges(st: &State, p: FoldingRangeParams) -> Option<Vec<FoldingRange>> {
    let doc = st.dockerfile(p.text_document.uri.as_str())?;
    let folds = nav::folding_ranges(&doc.syntax, doc.model());
    let idx = doc.line_index(st.encoding);
    Some(
        folds
            .into_iter()
            .map(|f| {
                let (a, b) = (
                    f.range.start.min(f.range.end),
                    f.range.start.max(f.range.end),
                );
                FoldingRange {
                    start_line: idx.line(a),
                    start_character: None,
                    end_line: idx.line(b),
                    end_character: None,
                    kind: match f.kind {
                        nav::FoldKind::Comment => Some(FoldingRangeKind::Comment),
                        nav::FoldKind::Stage => Some(FoldingRangeKind::Region),
                        _ => None,
                    },
                    collapsed_text: None,
                }
            })
            .filter(|f| f.end_line > f.start_line)
            .collect(),
    )
}

pub fn selection_ranges(st: &State, p: SelectionRangeParams) -> Option<Vec<SelectionRange>> {
    let doc = st.dockerfile(p.text_document.uri.as_str())?;
    let offsets: Vec<u32> = p
        .positions
        .iter()
        .map(|&pos| {
            u32::try_from(position_to_offset(&doc.rope, pos, st.encoding).byte).unwrap_or(u32::MAX)
        })
        .collect();
    let chains = nav::selection_ranges(&doc.syntax, doc.model(), &offsets);
    Some(
        chains
            .into_iter()
            .zip(&p.positions)
            .map(|(chain, &pos)| {
                let mut sel: Option<SelectionRange> = None;
                for r in chain.into_iter().rev() {
                    sel = Some(SelectionRange {
                        range: range(doc, r, st.encoding),
                        parent: sel.map(Box::new),
                    });
                }
                sel.unwrap_or(SelectionRange {
                    range: Range::new(pos, pos),
                    parent: None,
                })
            })
            .collect(),
    )
}

pub fn code_lenses(st: &State, p: CodeLensParams) -> Option<Vec<CodeLens>> {
    let uri = p.text_document.uri;
    let doc = st.dockerfile(uri.as_str())?;
    let lenses = nav::code_lenses(doc.model());
    let idx = doc.line_index(st.encoding);
    Some(
        lenses
            .into_iter()
            .map(|l| {
                let p = idx.position(l.range.start);
                let r = Range::new(p, p);
                let command = match l.kind {
                    nav::LensKind::Dependents { .. } => Command::new(l.title, String::new(), None),
                    nav::LensKind::Build {
                        target,
                        command_line,
                    } => Command::new(
                        l.title,
                        BUILD_STAGE_COMMAND.to_owned(),
                        Some(vec![json!({
                            "target": target,
                            "dockerfile": uri.as_str(),
                            "commandLine": command_line,
                        })]),
                    ),
                };
                CodeLens {
                    range: r,
                    command: Some(command),
                    data: None,
                }
            })
            .collect(),
    )
}

pub fn inlay_hints(st: &State, p: InlayHintParams) -> Option<Vec<InlayHint>> {
    let doc = st.dockerfile(p.text_document.uri.as_str())?;
    let start = position_to_offset(&doc.rope, p.range.start, st.encoding).byte;
    let end = position_to_offset(&doc.rope, p.range.end, st.encoding).byte;
    let r = TextRange::new(
        u32::try_from(start).unwrap_or(u32::MAX),
        u32::try_from(end).unwrap_or(u32::MAX),
    );
    let hints = nav::inlay_hints(&doc.syntax, doc.model(), r);
    Some(
        hints
            .into_iter()
            .map(|h| InlayHint {
                position: offset_to_position(&doc.rope, h.offset as usize, st.encoding),
                label: InlayHintLabel::String(h.label),
                kind: None,
                text_edits: None,
                tooltip: None,
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
            .collect(),
    )
}

pub fn workspace_symbols(st: &State, p: WorkspaceSymbolParams) -> Option<WorkspaceSymbolResponse> {
    let mut out = Vec::new();
    let mut uris: Vec<&str> = st.docs.uris().collect();
    uris.sort_unstable();
    for u in uris {
        let Ok(uri) = u.parse::<Uri>() else { continue };
        let Some(doc) = st.dockerfile(uri.as_str()) else {
            continue;
        };
        for s in nav::workspace_symbols(doc.model(), &p.query) {
            out.push(WorkspaceSymbol {
                name: s.name,
                kind: symbol_kind(s.kind),
                tags: None,
                container_name: s.container,
                location: OneOf::Left(Location::new(uri.clone(), range(doc, s.range, st.encoding))),
                data: None,
            });
            if out.len() >= 1000 {
                return Some(WorkspaceSymbolResponse::Nested(out));
            }
        }
    }
    Some(WorkspaceSymbolResponse::Nested(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::position::PositionEncoding;

    /// The outline written from per-instruction JSON equals the typed outline, after every
    /// kind of edit (typing, new lines, stage renames, ARG/ENV pairs, the escape directive).
    #[test]
    fn outline_json_equals_the_typed_outline_after_edits() {
        let uri = "file:///w/Dockerfile";
        let mut text = docksmith_testgen::dockerfile(300, 5);
        text.push_str("FROM base AS é😀\nENV a=1 b=\"2 3\"\nARG x\nfrobnicate now\n");
        let mut st = State::default();
        for enc in [PositionEncoding::Utf16, PositionEncoding::Utf8] {
            st.encoding = enc;
            let _ = st.docs.open(uri, &text, 1, "dockerfile".into());
            let edits: &[(u32, u32, u32, u32, &str)] = &[
                (150, 3, 150, 3, "x"),
                (150, 0, 150, 0, "\n"),
                (40, 0, 41, 0, ""),
                (0, 0, 0, 0, "# escape=`\n"),
                (0, 0, 1, 0, ""),
                (302, 0, 302, 0, "ENV k=v w=z\n"),
                (301, 10, 301, 10, "0"),
                (5, 0, 5, 0, "FROM scratch AS inserted\nRUN ok\n"),
            ];
            let params: DocumentSymbolParams =
                serde_json::from_value(json!({"textDocument": {"uri": uri}})).unwrap();
            for (v, &(l1, c1, l2, c2, new)) in edits.iter().enumerate() {
                let json = document_symbols_json(&st, &params).unwrap();
                let typed = document_symbols(&st, params.clone());
                let written = serde_json::from_slice::<serde_json::Value>(&json).unwrap();
                let typed = serde_json::to_value(typed).unwrap();
                assert!(written == typed, "before edit {v} ({enc:?})");
                let change = TextDocumentContentChangeEvent {
                    range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
                    range_length: None,
                    text: new.into(),
                };
                let version = i32::try_from(v).unwrap() + 2;
                st.docs.change(uri, version, &[change], enc);
            }
        }
    }
}
