//! `textDocument/completion`: position -> offset, [`docksmith_analysis::completion`], -> LSP.

use docksmith_analysis::completion::{self, ItemKind};
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionItemTag, CompletionOptions, CompletionParams,
    CompletionResponse, CompletionTextEdit, Documentation, InsertTextFormat, MarkupContent,
    MarkupKind, TextEdit,
};

use super::position::{position_to_offset, range_to_lsp};
use super::server::State;

pub fn capability() -> CompletionOptions {
    CompletionOptions {
        trigger_characters: Some(
            ["-", "=", "$", "{", ",", "/", "#", " "]
                .map(String::from)
                .to_vec(),
        ),
        ..CompletionOptions::default()
    }
}

fn kind(k: ItemKind) -> CompletionItemKind {
    match k {
        ItemKind::Keyword => CompletionItemKind::KEYWORD,
        ItemKind::Directive => CompletionItemKind::KEYWORD,
        ItemKind::Flag => CompletionItemKind::PROPERTY,
        ItemKind::Value => CompletionItemKind::ENUM_MEMBER,
        ItemKind::Stage => CompletionItemKind::CLASS,
        ItemKind::Variable => CompletionItemKind::VARIABLE,
        ItemKind::Image => CompletionItemKind::MODULE,
        ItemKind::Rule => CompletionItemKind::REFERENCE,
        ItemKind::Signal => CompletionItemKind::CONSTANT,
    }
}

/// `${1:name}` -> `name`, `$1` -> ``: for clients without snippet support.
fn plain(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len());
    let mut chars = snippet.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('\\', Some(_)) => out.extend(chars.next()),
            ('$', Some('{')) => {
                chars.next();
                while chars.next_if(char::is_ascii_digit).is_some() {}
                let _ = chars.next_if_eq(&':');
                for d in chars.by_ref() {
                    if d == '}' {
                        break;
                    }
                    out.push(d);
                }
            }
            ('$', Some(d)) if d.is_ascii_digit() => {
                while chars.next_if(char::is_ascii_digit).is_some() {}
            }
            _ => out.push(c),
        }
    }
    out
}

pub fn completion(state: &State, params: &CompletionParams) -> Option<CompletionResponse> {
    let p = &params.text_document_position;
    let doc = state.dockerfile(p.text_document.uri.as_str())?;
    let offset = position_to_offset(&doc.rope, p.position, state.encoding).byte;
    let (_, items) = completion::complete(&doc.syntax, doc.model(), u32::try_from(offset).ok()?);
    let snippets = state.client.snippets;
    let items = items
        .into_iter()
        .enumerate()
        .map(|(k, i)| {
            let range = range_to_lsp(&doc.rope, i.range, state.encoding);
            let (text, format) = if i.snippet && snippets {
                (i.insert, InsertTextFormat::SNIPPET)
            } else if i.snippet {
                (plain(&i.insert), InsertTextFormat::PLAIN_TEXT)
            } else {
                (i.insert, InsertTextFormat::PLAIN_TEXT)
            };
            CompletionItem {
                label: i.label,
                kind: Some(kind(i.kind)),
                detail: i.detail,
                documentation: i.documentation.map(|d| {
                    Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: d,
                    })
                }),
                // Keep the analysis order.
                sort_text: Some(format!("{k:04}")),
                filter_text: None,
                insert_text_format: Some(format),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                    range,
                    new_text: text,
                })),
                tags: i.deprecated.then(|| vec![CompletionItemTag::DEPRECATED]),
                ..CompletionItem::default()
            }
        })
        .collect();
    Some(CompletionResponse::Array(items))
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn snippets_to_plain_text() {
        assert_eq!(plain("FROM ${1:image} AS ${2:name}"), "FROM image AS name");
        assert_eq!(plain("CMD [\"${1:executable}\"]$0"), "CMD [\"executable\"]");
        assert_eq!(plain("a \\$b"), "a $b");
    }
}
