//! `textDocument/semanticTokens/{full,full/delta,range}`: [`docksmith_analysis::semantic_tokens`]
//! gives tokens with their line and columns in both encodings; here they become LSP's
//! relative encoding. Deltas diff against the last result sent for the document.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use docksmith_analysis::semantic_tokens::{self as st, MODIFIER_LEGEND, TokenType};
use docksmith_syntax::TextRange;
use tower_lsp_server::ls_types::{
    Range, SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens,
    SemanticTokensDelta, SemanticTokensEdit, SemanticTokensFullOptions, SemanticTokensLegend,
    SemanticTokensOptions, SemanticTokensServerCapabilities, WorkDoneProgressOptions,
};

use super::documents::Document;
use super::position::{PositionEncoding, lsp_to_offsets, offset_to_position};
use super::server::State;

pub fn capability() -> SemanticTokensServerCapabilities {
    SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
        work_done_progress_options: WorkDoneProgressOptions::default(),
        legend: SemanticTokensLegend {
            token_types: TokenType::LEGEND
                .iter()
                .map(|t| SemanticTokenType::new(t))
                .collect(),
            token_modifiers: MODIFIER_LEGEND
                .iter()
                .map(|m| SemanticTokenModifier::new(m))
                .collect(),
        },
        range: Some(true),
        full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
    })
}

/// The last result sent per document (for deltas), bounded; lives in the server state.
#[derive(Debug, Default)]
pub struct Cache {
    last: Mutex<HashMap<String, (String, Vec<SemanticToken>)>>,
    next_id: AtomicU64,
}

const MAX_CACHED: usize = 64;

impl Cache {
    fn remember(&self, uri: &str, data: &[SemanticToken]) -> String {
        let id = self.next_id();
        self.keep(uri, id.clone(), data.to_vec());
        id
    }

    fn next_id(&self) -> String {
        (self.next_id.fetch_add(1, Ordering::Relaxed) + 1).to_string()
    }

    /// Keeps `data`, sent as result `id`, as the document's last result.
    fn keep(&self, uri: &str, id: String, data: Vec<SemanticToken>) {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if last.len() >= MAX_CACHED && !last.contains_key(uri) {
            last.clear();
        }
        last.insert(uri.to_owned(), (id, data));
    }

    fn previous(&self, uri: &str, id: &str) -> Option<Vec<SemanticToken>> {
        let last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        last.get(uri)
            .filter(|(i, _)| i == id)
            .map(|(_, d)| d.clone())
    }
}

fn encode(doc: &Document, enc: PositionEncoding, range: Option<TextRange>) -> Vec<SemanticToken> {
    let model = doc.model();
    // The parser breaks lines at '\n' only; LSP also at a lone '\r'. When the file has
    // one, take positions from the rope instead.
    let lf_lines = model.line_of(&doc.syntax, doc.syntax.len()) as usize;
    let exact = lf_lines == doc.rope.len_lines();
    let mut out = Vec::new();
    let (mut prev_line, mut prev_col) = (0u32, 0u32);
    st::each_semantic_token(&doc.syntax, model, range, |t| {
        let (line, col, len) = if exact {
            match enc {
                PositionEncoding::Utf8 => (t.line, t.col_utf8, t.len_utf8),
                PositionEncoding::Utf16 => (t.line, t.col_utf16, t.len_utf16),
            }
        } else {
            let s = offset_to_position(&doc.rope, t.range.start as usize, enc);
            let e = offset_to_position(&doc.rope, t.range.end as usize, enc);
            if s.line != e.line {
                return;
            }
            (s.line, s.character, e.character - s.character)
        };
        if line < prev_line || (line == prev_line && col < prev_col && !out.is_empty()) {
            return;
        }
        let delta_line = line - prev_line;
        let delta_start = if delta_line == 0 { col - prev_col } else { col };
        out.push(SemanticToken {
            delta_line,
            delta_start,
            length: len,
            token_type: t.ty as u32,
            token_modifiers_bitset: t.modifiers,
        });
        (prev_line, prev_col) = (line, col);
    });
    out.shrink_to_fit();
    out
}

pub fn full(state: &State, uri: &str) -> Option<SemanticTokens> {
    let doc = state.dockerfile(uri)?;
    let data = encode(doc, state.encoding, None);
    let id = state.semantic_tokens.remember(uri, &data);
    Some(SemanticTokens {
        result_id: Some(id),
        data,
    })
}

/// [`full`] as JSON, written into `out` from the tokens that are then kept for deltas (not
/// a copy of them, and no second array of `SemanticToken`s in between: at 10,000 lines the
/// tokens are 350 KB and their JSON 1 MB). `false` (nothing written) for an unknown
/// document.
pub fn full_json(state: &State, uri: &str, out: &mut super::frame::Frame) -> bool {
    let Some(doc) = state.dockerfile(uri) else {
        return false;
    };
    let data = encode(doc, state.encoding, None);
    let id = state.semantic_tokens.next_id();
    let json = out.written();
    // Five numbers a token, most of one or two digits.
    json.reserve(data.len() * 14 + 40);
    json.extend_from_slice(b"{\"resultId\":");
    // Serialising a string into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *json, &id);
    json.extend_from_slice(b",\"data\":[");
    for (i, t) in data.iter().enumerate() {
        if i > 0 {
            json.push(b',');
        }
        let numbers = [
            t.delta_line,
            t.delta_start,
            t.length,
            t.token_type,
            t.token_modifiers_bitset,
        ];
        for (k, n) in numbers.into_iter().enumerate() {
            if k > 0 {
                json.push(b',');
            }
            super::frame::write_u32(json, n);
        }
    }
    json.extend_from_slice(b"]}");
    state.semantic_tokens.keep(uri, id, data);
    true
}

/// A delta against `previous` when it is the last result we sent, else the full tokens.
pub fn delta(
    state: &State,
    uri: &str,
    previous: &str,
) -> Option<Result<SemanticTokensDelta, SemanticTokens>> {
    let doc = state.dockerfile(uri)?;
    let data = encode(doc, state.encoding, None);
    let old = state.semantic_tokens.previous(uri, previous);
    let id = state.semantic_tokens.remember(uri, &data);
    let Some(old) = old else {
        return Some(Err(SemanticTokens {
            result_id: Some(id),
            data,
        }));
    };
    let prefix = old.iter().zip(&data).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(data.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(data.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    let edits = if old == data {
        Vec::new()
    } else {
        vec![SemanticTokensEdit {
            start: (prefix * 5) as u32,
            delete_count: ((old.len() - prefix - suffix) * 5) as u32,
            data: Some(data[prefix..data.len() - suffix].to_vec()),
        }]
    };
    Some(Ok(SemanticTokensDelta {
        result_id: Some(id),
        edits,
    }))
}

pub fn range(state: &State, uri: &str, range: Range) -> Option<SemanticTokens> {
    let doc = state.dockerfile(uri)?;
    let (a, b) = lsp_to_offsets(&doc.rope, range, state.encoding);
    let r = TextRange::new(u32::try_from(a.byte).ok()?, u32::try_from(b.byte).ok()?);
    Some(SemanticTokens {
        result_id: None,
        data: encode(doc, state.encoding, Some(r)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written JSON carries what serde writes for the typed result, and its
    /// tokens are kept for a delta.
    #[test]
    fn written_tokens_equal_serialised_ones() {
        let uri = "file:///w/Dockerfile";
        let mut text = docksmith_testgen::dockerfile(300, 2);
        text.push_str("FROM a AS é😀\nRUN echo \"${X:-😀}\"\n");
        let mut st = State::default();
        for enc in [PositionEncoding::Utf16, PositionEncoding::Utf8] {
            st.encoding = enc;
            let _ = st.docs.open(uri, &text, 1, "dockerfile".into());
            let mut out = super::super::frame::Frame::new();
            assert!(full_json(&st, uri, &mut out));
            let written: serde_json::Value = serde_json::from_slice(&out.to_vec()).unwrap();
            let id = written["resultId"].as_str().unwrap().to_owned();
            let typed = serde_json::to_value(full(&st, uri).unwrap()).unwrap();
            assert!(written["data"].as_array().unwrap().len() > 1000);
            assert_eq!(written["data"], typed["data"]);
            // The second full result is now the last one sent: a delta against it is
            // empty; one against the first is refused (the full tokens come instead).
            let second = typed["resultId"].as_str().unwrap();
            let empty = matches!(delta(&st, uri, second), Some(Ok(d)) if d.edits.is_empty());
            assert!(empty, "delta against the last result");
            let _ = st.docs.open(uri, &text, 1, "dockerfile".into());
            let mut out = super::super::frame::Frame::new();
            assert!(full_json(&st, uri, &mut out));
            let written: serde_json::Value = serde_json::from_slice(&out.to_vec()).unwrap();
            let last = written["resultId"].as_str().unwrap();
            let empty = matches!(delta(&st, uri, last), Some(Ok(d)) if d.edits.is_empty());
            assert!(empty, "delta against the written result");
            assert!(
                matches!(delta(&st, uri, &id), Some(Err(_))),
                "a stale result id"
            );
            let mut none = super::super::frame::Frame::new();
            assert!(!full_json(&st, "file:///w/other", &mut none));
            assert!(none.is_empty());
        }
    }
}
