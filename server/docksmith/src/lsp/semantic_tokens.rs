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
        let id = (self.next_id.fetch_add(1, Ordering::Relaxed) + 1).to_string();
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if last.len() >= MAX_CACHED && !last.contains_key(uri) {
            last.clear();
        }
        last.insert(uri.to_owned(), (id.clone(), data.to_vec()));
        id
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
    let tokens = st::semantic_tokens(&doc.syntax, model, range);
    // The parser breaks lines at '\n' only; LSP also at a lone '\r'. When the file has
    // one, take positions from the rope instead.
    let lf_lines = model.line_of(&doc.syntax, doc.syntax.len()) as usize;
    let exact = lf_lines == doc.rope.len_lines();
    let mut out = Vec::with_capacity(tokens.len());
    let (mut prev_line, mut prev_col) = (0u32, 0u32);
    for t in tokens {
        let (line, col, len) = if exact {
            match enc {
                PositionEncoding::Utf8 => (t.line, t.col_utf8, t.len_utf8),
                PositionEncoding::Utf16 => (t.line, t.col_utf16, t.len_utf16),
            }
        } else {
            let s = offset_to_position(&doc.rope, t.range.start as usize, enc);
            let e = offset_to_position(&doc.rope, t.range.end as usize, enc);
            if s.line != e.line {
                continue;
            }
            (s.line, s.character, e.character - s.character)
        };
        if line < prev_line || (line == prev_line && col < prev_col && !out.is_empty()) {
            continue;
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
    }
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
