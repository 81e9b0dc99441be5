//! `textDocument/hover`: position -> offset, [`docksmith_analysis::hover::hover`], Markdown
//! (or plain text when the client prefers it) -> LSP.

use docksmith_analysis::hover;
use tower_lsp_server::ls_types::{
    Hover, HoverContents, HoverParams, HoverProviderCapability, MarkupContent, MarkupKind,
};

use super::position::{position_to_offset, range_to_lsp};
use super::server::State;

pub fn capability() -> HoverProviderCapability {
    HoverProviderCapability::Simple(true)
}

pub fn hover(state: &State, params: &HoverParams) -> Option<Hover> {
    let p = &params.text_document_position_params;
    let doc = state.dockerfile(p.text_document.uri.as_str())?;
    let offset = position_to_offset(&doc.rope, p.position, state.encoding).byte;
    let h = hover::hover(&doc.syntax, doc.model(), u32::try_from(offset).ok()?)?;
    let (kind, value) = if state.client.hover_plaintext {
        (MarkupKind::PlainText, hover::to_plain_text(&h.markdown))
    } else {
        (MarkupKind::Markdown, h.markdown)
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind, value }),
        range: Some(range_to_lsp(&doc.rope, h.range, state.encoding)),
    })
}
