//! LSP glue for navigation over Dockerfiles (see `docs/navigation.md`): each handler
//! converts positions to byte offsets, calls `docksmith_analysis::navigation`, and converts
//! the result back. Requests on Compose files go to [`super::compose`].

use docksmith_analysis::navigation as nav;
use docksmith_syntax::TextRange;
use serde_json::json;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;

use super::documents::Document;
use super::frame::Frame;
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

/// [`document_symbols`] as JSON, written into `out` from the JSON of each stage (and of
/// the global instructions) kept with the document ([`OutlineCache`]) and passed on without
/// a copy: after a keystroke only the edited stage is written again. `None` (nothing
/// written) for an unknown document.
pub fn document_symbols_json(st: &State, p: &DocumentSymbolParams, out: &mut Frame) -> Option<()> {
    let doc = st.dockerfile(p.text_document.uri.as_str())?;
    let m = doc.model();
    let idx = doc.line_index(st.encoding);
    let mut cache = doc.outline.lock().unwrap_or_else(|p| p.into_inner());
    cache.groups.truncate(m.stages.len() + 1);
    out.bytes(b"[");
    let mut first = true;
    let groups = std::iter::once((&m.global_instructions, None))
        .chain(m.stages.iter().map(|s| (&s.instructions, Some(s))));
    for (g, (nodes, stage)) in groups.enumerate() {
        let json = cache.group(g, doc, &idx, nodes, stage);
        // Each group starts with a comma; the first one of the array goes without it.
        if !json.is_empty() {
            out.push_piece(json, usize::from(std::mem::take(&mut first)));
        }
    }
    out.bytes(b"]");
    Some(())
}

/// The outline's JSON in pieces: one for the global instructions, one per stage, each kept
/// while it would be written the same (see [`OutlineCache::group`]).
#[derive(Debug, Default)]
pub struct OutlineCache {
    /// The global instructions' entry, then one per stage, in order.
    groups: Vec<Option<GroupEntry>>,
}

#[derive(Debug)]
struct GroupEntry {
    /// The instruction nodes it was written from, each with the line it starts on. The
    /// nodes are held, so that an address names the same node while the entry lives.
    nodes: Vec<(std::sync::Arc<docksmith_syntax::Node>, u32)>,
    escape: char,
    /// A stage's own symbol (without its children).
    stage: Option<DocumentSymbol>,
    /// Where the last symbol of the instructions ends: which of `nodes`, and the offset
    /// from that node's start.
    last_end: Option<(usize, u32)>,
    /// The global instructions' symbols, each after a comma; or a stage's symbol, after a
    /// comma, its children first. Empty when there is nothing to show.
    json: std::sync::Arc<[u8]>,
}

impl OutlineCache {
    /// The JSON of group `g`: the instructions `nodes` and, for a stage, the stage's own
    /// symbol. Kept while the nodes are the same ones, start on the same lines, the escape
    /// character is the same, and the stage's symbol is equal.
    fn group(
        &mut self,
        g: usize,
        doc: &Document,
        idx: &LineIndex<'_>,
        nodes: &[usize],
        stage: Option<&docksmith_analysis::semantics::Stage>,
    ) -> std::sync::Arc<[u8]> {
        let df = &doc.syntax;
        if self.groups.len() <= g {
            self.groups.resize_with(g + 1, || None);
        }
        let line_of = |n: usize| df.node(n).map_or(0, |r| idx.line(r.start));
        // The same nodes, each moved by the same number of lines (`None`: not so).
        let moved_by = |e: &GroupEntry| -> Option<i64> {
            if e.escape != df.escape() || e.nodes.len() != nodes.len() {
                return None;
            }
            let mut delta = None;
            for ((node, line), &n) in e.nodes.iter().zip(nodes) {
                let now = df.shared_nodes().get(n)?;
                let d = i64::from(line_of(n)) - i64::from(*line);
                if !std::sync::Arc::ptr_eq(node, now) || delta.is_some_and(|x| x != d) {
                    return None;
                }
                delta = Some(d);
            }
            Some(delta.unwrap_or(0))
        };
        // The stage's symbol needs the end of its last child: recomputed from the kept
        // nodes (the same ones, when the entry is kept).
        let stage_symbol = |last_end: Option<u32>| {
            stage.map(|s| {
                let mut symbol = document_symbol(idx, nav::stage_symbol(s, last_end));
                symbol.children = None;
                symbol
            })
        };
        if let Some(e) = &mut self.groups[g]
            && let Some(delta) = moved_by(e)
        {
            let last_end = e
                .last_end
                .and_then(|(k, rel)| Some(df.node(*nodes.get(k)?)?.start + rel));
            let symbol = stage_symbol(last_end);
            if delta == 0 && e.stage == symbol {
                return e.json.clone();
            }
            // Lines inserted or deleted above: the same JSON, every line number moved.
            if delta != 0
                && e.stage.as_ref().and_then(|s| moved_symbol(s, delta)) == symbol
                && let Some(json) = super::frame::move_lines(&e.json, delta)
            {
                for (_, line) in &mut e.nodes {
                    *line = u32::try_from(i64::from(*line) + delta).unwrap_or(*line);
                }
                e.stage = symbol;
                e.json = json.into();
                return e.json.clone();
            }
        }
        let mut json = Vec::new();
        let mut last_end: Option<(usize, u32)> = None;
        if stage.is_some() {
            json.extend_from_slice(b",{\"children\":[");
        }
        let mut symbols = Vec::new();
        let mut first = true;
        for (k, &n) in nodes.iter().enumerate() {
            symbols.clear();
            if let Some(i) = nav::instruction(df, n) {
                nav::instruction_symbols(&i, df.escape(), &mut symbols);
                last_end = symbols
                    .last()
                    .map(|s| (k, s.range.end.saturating_sub(i.base)))
                    .or(last_end);
            }
            for s in symbols.drain(..) {
                if stage.is_none() || !std::mem::take(&mut first) {
                    json.push(b',');
                }
                let _ = serde_json::to_writer(&mut json, &document_symbol(idx, s));
            }
        }
        let symbol =
            stage_symbol(last_end.and_then(|(k, rel)| Some(df.node(*nodes.get(k)?)?.start + rel)));
        if let Some(symbol) = &symbol {
            json.extend_from_slice(b"],");
            let fields_at = json.len();
            // Serialising LSP types into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut json, symbol);
            json.remove(fields_at); // its opening brace: the fields follow the children
        }
        let json: std::sync::Arc<[u8]> = json.into();
        self.groups[g] = Some(GroupEntry {
            nodes: nodes
                .iter()
                .filter_map(|&n| Some((df.shared_nodes().get(n)?.clone(), line_of(n))))
                .collect(),
            escape: df.escape(),
            stage: symbol,
            last_end,
            json: json.clone(),
        });
        json
    }
}

/// `symbol` with its ranges `delta` lines further (`None` if a line would be negative).
fn moved_symbol(symbol: &DocumentSymbol, delta: i64) -> Option<DocumentSymbol> {
    let line = |l: u32| u32::try_from(i64::from(l) + delta).ok();
    let range = |r: Range| -> Option<Range> {
        Some(Range::new(
            Position::new(line(r.start.line)?, r.start.character),
            Position::new(line(r.end.line)?, r.end.character),
        ))
    };
    let mut moved = symbol.clone();
    moved.range = range(symbol.range)?;
    moved.selection_range = range(symbol.selection_range)?;
    Some(moved)
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

    /// The outline written from the kept JSON of each stage equals the typed outline, after
    /// every kind of edit (typing, new lines, lines moving inside a stage, stage renames and
    /// merges, ARG/ENV pairs, a global ARG's default, the escape directive).
    #[test]
    fn outline_json_equals_the_typed_outline_after_edits() {
        let uri = "file:///w/Dockerfile";
        let mut text = docksmith_testgen::dockerfile(300, 5);
        text.push_str("FROM base AS é😀\nENV a=1 b=\"2 3\"\nARG x\nfrobnicate now\n");
        let mut st = State::default();
        for enc in [PositionEncoding::Utf16, PositionEncoding::Utf8] {
            st.encoding = enc;
            let _ = st.docs.open(uri, &text, 1, "dockerfile".into());
            // The line after the first global ARG.
            let arg = text.lines().position(|l| l.starts_with("ARG ")).unwrap();
            let next = u32::try_from(arg + 1).unwrap();
            let edits: &[(u32, u32, u32, u32, &str)] = &[
                // A comment between two global ARGs grows a line: the second ARG moves
                // down, unchanged.
                (next, 0, next, 0, "# c\n"),
                (next, 0, next, 0, "\n"),
                (150, 3, 150, 3, "x"),
                (150, 0, 150, 0, "\n"),
                (40, 0, 41, 0, ""),
                (0, 0, 0, 0, "# escape=`\n"),
                (0, 0, 1, 0, ""),
                (302, 0, 302, 0, "ENV k=v w=z\n"),
                (301, 10, 301, 10, "0"),
                (5, 0, 5, 0, "FROM scratch AS inserted\nRUN ok\n"),
                // A comment between two instructions of a stage grows a line: the
                // instructions after it move down, unchanged.
                (9, 0, 9, 0, "# more\n"),
                (9, 3, 9, 3, "\n"),
                // A new last instruction: the stage's range grows.
                (11, 0, 11, 0, "LABEL a=b\n"),
                // A global ARG's default: the FROM lines that use it see another value.
                (3, 15, 3, 21, "alpine"),
                // Two stages become one.
                (9, 0, 11, 0, ""),
            ];
            let params: DocumentSymbolParams =
                serde_json::from_value(json!({"textDocument": {"uri": uri}})).unwrap();
            for (v, &(l1, c1, l2, c2, new)) in edits.iter().enumerate() {
                let mut frame = Frame::new();
                document_symbols_json(&st, &params, &mut frame).unwrap();
                let json = frame.to_vec();
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
            let mut frame = Frame::new();
            document_symbols_json(&st, &params, &mut frame).unwrap();
            let written = serde_json::from_slice::<serde_json::Value>(&frame.to_vec()).unwrap();
            let typed = serde_json::to_value(document_symbols(&st, params.clone())).unwrap();
            assert!(written == typed, "after the last edit ({enc:?})");
            // Asked again, unchanged: the same answer from the kept pieces.
            let mut again = Frame::new();
            document_symbols_json(&st, &params, &mut again).unwrap();
            assert_eq!(again.to_vec(), frame.to_vec());
        }
    }
}
