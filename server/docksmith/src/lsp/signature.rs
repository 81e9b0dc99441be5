//! `textDocument/signatureHelp`: position -> offset, [`docksmith_analysis::signature`], -> LSP.

use docksmith_analysis::signature::signature_help as analyse;
use tower_lsp_server::ls_types::{
    Documentation, MarkupContent, MarkupKind, ParameterInformation, ParameterLabel, SignatureHelp,
    SignatureHelpOptions, SignatureHelpParams, SignatureInformation, WorkDoneProgressOptions,
};

use super::position::position_to_offset;
use super::server::State;

pub fn capability() -> SignatureHelpOptions {
    SignatureHelpOptions {
        trigger_characters: Some(vec![" ".into()]),
        retrigger_characters: Some(vec!["=".into(), ",".into()]),
        work_done_progress_options: WorkDoneProgressOptions::default(),
    }
}

fn markdown(s: String) -> Documentation {
    Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value: s,
    })
}

pub fn signature_help(state: &State, params: &SignatureHelpParams) -> Option<SignatureHelp> {
    let p = &params.text_document_position_params;
    let doc = state.dockerfile(p.text_document.uri.as_str())?;
    let offset = position_to_offset(&doc.rope, p.position, state.encoding).byte;
    let h = analyse(&doc.syntax, u32::try_from(offset).ok()?)?;
    Some(SignatureHelp {
        signatures: h
            .signatures
            .into_iter()
            .map(|s| SignatureInformation {
                label: s.label,
                documentation: Some(markdown(s.documentation)),
                // Labels are ASCII: byte offsets are UTF-16 offsets.
                parameters: Some(
                    s.parameters
                        .into_iter()
                        .map(|p| ParameterInformation {
                            label: ParameterLabel::LabelOffsets([p.start, p.end]),
                            documentation: Some(markdown(p.documentation)),
                        })
                        .collect(),
                ),
                active_parameter: None,
            })
            .collect(),
        active_signature: u32::try_from(h.active_signature).ok(),
        active_parameter: h.active_parameter.and_then(|a| u32::try_from(a).ok()),
    })
}
