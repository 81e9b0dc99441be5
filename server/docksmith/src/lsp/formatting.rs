//! `textDocument/formatting`, `rangeFormatting` and `onTypeFormatting`: convert the
//! params, call [`docksmith_analysis::format`], convert the edits.
//!
//! Options, strongest first: the `[format]` table of the `.docksmith.toml` nearest the
//! document (so that `docksmith fmt` in CI and every editor agree), the `docksmith.format.*`
//! settings, the editor's own `tabSize`/`insertSpaces`, the defaults.

use docksmith_analysis::format::{self as fmt, Edit, FormatOptions, Indent, KeywordCase};
use docksmith_syntax::TextRange;
use serde::Deserialize;
use tower_lsp_server::ls_types::{
    DocumentOnTypeFormattingOptions, FormattingOptions, Position, Range, TextEdit, Uri,
};
use tracing::warn;

use super::documents::Document;
use super::position::{PositionEncoding, position_to_offset, range_to_lsp};
use super::server::State;
use crate::fmt::config_for;

/// `docksmith.format.*` settings; each unset one falls through to the editor's options
/// or the default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FormatSettings {
    pub indent_width: Option<u8>,
    pub use_tabs: Option<bool>,
    pub keyword_case: Option<String>,
    pub keep_multiline: Option<bool>,
}

/// The on-type triggers: a newline indents the new line; the escape character (`\` or
/// `` ` ``) at the end of a line indents the next one.
pub fn on_type_capability() -> DocumentOnTypeFormattingOptions {
    DocumentOnTypeFormattingOptions {
        first_trigger_character: "\n".to_owned(),
        more_trigger_character: Some(vec!["\\".to_owned(), "`".to_owned()]),
    }
}

/// The options for one document.
pub fn options(state: &State, uri: &Uri, editor: &FormattingOptions) -> FormatOptions {
    let mut o = FormatOptions {
        indent: if editor.insert_spaces {
            Indent::Spaces(u8::try_from(editor.tab_size.clamp(1, 16)).unwrap_or(4))
        } else {
            Indent::Tab
        },
        tab_width: u8::try_from(editor.tab_size.clamp(1, 16)).unwrap_or(4),
        ..FormatOptions::default()
    };
    let s = &state.settings.format;
    if let Some(w) = s.indent_width.filter(|w| (1..=16).contains(w)) {
        o.indent = Indent::Spaces(w);
    }
    match s.use_tabs {
        Some(true) => o.indent = Indent::Tab,
        Some(false) if o.indent == Indent::Tab => {
            o.indent = Indent::Spaces(s.indent_width.unwrap_or(o.tab_width).clamp(1, 16));
        }
        _ => {}
    }
    if let Some(c) = &s.keyword_case {
        match KeywordCase::parse(c) {
            Some(c) => o.keyword_case = c,
            None => warn!("docksmith.format.keywordCase: unknown value {c:?}"),
        }
    }
    if let Some(k) = s.keep_multiline {
        o.keep_multiline = k;
    }
    if let Some(path) = uri.to_file_path() {
        match config_for(&path) {
            Ok(cfg) => o = cfg.apply_to(o),
            Err(e) => warn!("{e}"),
        }
    }
    o
}

fn to_lsp(doc: &Document, edits: Vec<Edit>, enc: PositionEncoding) -> Vec<TextEdit> {
    edits
        .into_iter()
        .map(|e| TextEdit {
            range: range_to_lsp(&doc.rope, e.range, enc),
            new_text: e.new_text,
        })
        .collect()
}

pub fn document(state: &State, uri: &Uri, editor: &FormattingOptions) -> Option<Vec<TextEdit>> {
    let doc = state.dockerfile(uri.as_str())?;
    let opts = options(state, uri, editor);
    Some(to_lsp(doc, fmt::format(&doc.syntax, &opts), state.encoding))
}

pub fn range(
    state: &State,
    uri: &Uri,
    range: Range,
    editor: &FormattingOptions,
) -> Option<Vec<TextEdit>> {
    let doc = state.dockerfile(uri.as_str())?;
    let opts = options(state, uri, editor);
    let start = position_to_offset(&doc.rope, range.start, state.encoding).byte;
    let end = position_to_offset(&doc.rope, range.end, state.encoding).byte;
    let r = TextRange::new(
        u32::try_from(start).unwrap_or(u32::MAX),
        u32::try_from(end.max(start)).unwrap_or(u32::MAX),
    );
    Some(to_lsp(
        doc,
        fmt::format_range(&doc.syntax, &opts, r),
        state.encoding,
    ))
}

pub fn on_type(
    state: &State,
    uri: &Uri,
    position: Position,
    ch: &str,
    editor: &FormattingOptions,
) -> Option<Vec<TextEdit>> {
    let doc = state.dockerfile(uri.as_str())?;
    let c = ch.chars().next()?;
    let opts = options(state, uri, editor);
    let at = position_to_offset(&doc.rope, position, state.encoding).byte;
    let at = u32::try_from(at).unwrap_or(u32::MAX);
    Some(to_lsp(
        doc,
        fmt::format_on_type(&doc.syntax, &opts, at, c),
        state.encoding,
    ))
}
