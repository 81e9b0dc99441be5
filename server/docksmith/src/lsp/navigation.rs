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

pub fn folding_ranges(st: &State, p: FoldingRangeParams) -> Option<Vec<FoldingRange>> {
    let doc = st.dockerfile(p.text_document.uri.as_str())?;
    let folds = nav::folding_ranges(&doc.syntax, doc.model());
    let idx = doc.line_index(st.encoding);
    Some(
        folds
            .into_iter()
            .map(|f| {
                let r = idx.range(f.range);
                FoldingRange {
                    start_line: r.start.line,
                    start_character: None,
                    end_line: r.end.line,
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
