//! The open documents: for each, its text as a [`Rope`] (for position conversion) and its
//! parse (a [`Dockerfile`], edited incrementally), kept byte-for-byte identical.
//!
//! Everything here is synchronous and cheap, so the server applies every `didOpen`,
//! `didChange` and `didClose` under one lock, at the top of its handler, before any `.await`:
//! edits are applied in the order the client sent them (see `docs/architecture.md`).

use std::collections::HashMap;
use std::sync::OnceLock;

use docksmith_analysis::Model;

use docksmith_syntax::Dockerfile;
use ropey::Rope;
use tower_lsp_server::ls_types::TextDocumentContentChangeEvent;

use super::position::{PositionEncoding, lsp_to_offsets};

/// One open document.
#[derive(Debug)]
pub struct Document {
    /// The version the client gave with the last change applied.
    pub version: i32,
    pub language_id: String,
    /// Bumped on every change, used as the pull-diagnostics result id.
    pub revision: u64,
    pub rope: Rope,
    pub syntax: Dockerfile,
    /// The semantic model of `syntax`, built on first use after each change.
    model: OnceLock<Model>,
}

impl Document {
    pub fn new(text: &str, version: i32, language_id: String) -> Self {
        Self {
            version,
            language_id,
            revision: 0,
            rope: Rope::from_str(text),
            syntax: Dockerfile::parse(text),
            model: OnceLock::new(),
        }
    }

    /// The semantic model of the current text (built once per change, then shared).
    pub fn model(&self) -> &Model {
        self.model.get_or_init(|| Model::build(&self.syntax))
    }

    /// Applies one content change of a `didChange`: a ranged (incremental) change edits the
    /// rope and the parse in place; a change without a range replaces the whole text.
    pub fn apply_change(&mut self, change: &TextDocumentContentChangeEvent, enc: PositionEncoding) {
        self.revision += 1;
        self.model = OnceLock::new();
        match change.range {
            None => {
                self.rope = Rope::from_str(&change.text);
                self.syntax = Dockerfile::parse(&change.text);
            }
            Some(range) => {
                let (start, end) = lsp_to_offsets(&self.rope, range, enc);
                self.rope.remove(start.char..end.char);
                self.rope.insert(start.char, &change.text);
                self.syntax.apply_edit(start.byte, end.byte, &change.text);
            }
        }
    }

    /// Re-parses from the rope; used to recover after a failure inside the parser.
    pub fn resync_syntax(&mut self) {
        self.revision += 1;
        self.model = OnceLock::new();
        self.syntax = Dockerfile::parse(&self.rope.to_string());
    }
}

/// What became of a `didChange`.
#[derive(Debug, PartialEq, Eq)]
pub enum ChangeOutcome {
    Applied,
    /// No such document is open: ignored.
    UnknownDocument,
    /// The version is not greater than the stored one: ignored (see [`DocumentStore::change`]).
    StaleVersion {
        stored: i32,
    },
}

/// The open documents, keyed by URI (as the client spelled it).
#[derive(Debug, Default)]
pub struct DocumentStore {
    docs: HashMap<String, Document>,
}

impl DocumentStore {
    /// `didOpen`. Opening a document that is already open replaces it (the client is the
    /// authority on the text).
    pub fn open(&mut self, uri: &str, text: &str, version: i32, language_id: String) {
        self.docs
            .insert(uri.to_owned(), Document::new(text, version, language_id));
    }

    /// `didChange`. Versions must increase (LSP: "the version number of a document will
    /// increase after each change"). A change whose version is not greater than the stored
    /// one was either sent twice or arrived out of order; applying incremental ranges to text
    /// they were not computed against would corrupt the document, so it is ignored and
    /// reported, and the document keeps its current text. Gaps (version jumping by more
    /// than one) are normal: Neovim, for one, sends its `changedtick`.
    pub fn change(
        &mut self,
        uri: &str,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        enc: PositionEncoding,
    ) -> ChangeOutcome {
        let Some(doc) = self.docs.get_mut(uri) else {
            return ChangeOutcome::UnknownDocument;
        };
        if version <= doc.version {
            return ChangeOutcome::StaleVersion {
                stored: doc.version,
            };
        }
        for change in changes {
            doc.apply_change(change, enc);
        }
        doc.version = version;
        ChangeOutcome::Applied
    }

    /// `didClose`. Returns whether the document was open.
    pub fn close(&mut self, uri: &str) -> bool {
        self.docs.remove(uri).is_some()
    }

    pub fn get(&self, uri: &str) -> Option<&Document> {
        self.docs.get(uri)
    }

    pub fn get_mut(&mut self, uri: &str) -> Option<&mut Document> {
        self.docs.get_mut(uri)
    }

    pub fn uris(&self) -> impl Iterator<Item = &str> {
        self.docs.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn edit(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range {
                start: Position {
                    line: l1,
                    character: c1,
                },
                end: Position {
                    line: l2,
                    character: c2,
                },
            }),
            range_length: None,
            text: text.to_owned(),
        }
    }

    fn full(text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: text.to_owned(),
        }
    }

    fn texts(store: &DocumentStore, uri: &str) -> (String, String) {
        let doc = store.get(uri).unwrap();
        (doc.rope.to_string(), doc.syntax.text())
    }

    /// (start text, encoding, changes, expected text)
    #[test]
    fn changes_table() {
        use PositionEncoding::{Utf8, Utf16};
        let cases: Vec<(
            &str,
            PositionEncoding,
            Vec<TextDocumentContentChangeEvent>,
            &str,
        )> = vec![
            (
                "FROM a\n",
                Utf16,
                vec![edit(0, 5, 0, 6, "alpine")],
                "FROM alpine\n",
            ),
            (
                "FROM a\n",
                Utf16,
                vec![edit(1, 0, 1, 0, "RUN x\n")],
                "FROM a\nRUN x\n",
            ),
            ("a😀b", Utf16, vec![edit(0, 1, 0, 3, "")], "ab"),
            ("a😀b", Utf16, vec![edit(0, 2, 0, 3, "x")], "axb"), // mid-surrogate start: emoji start
            ("a😀b", Utf8, vec![edit(0, 1, 0, 5, "é")], "aéb"),
            ("a\r\nb", Utf16, vec![edit(0, 9, 1, 0, "")], "ab"),
            ("a\r\nb", Utf16, vec![edit(0, 1, 0, 9, "x")], "ax\r\nb"),
            (
                "a\u{2028}b\nc",
                Utf16,
                vec![edit(1, 0, 1, 1, "d")],
                "a\u{2028}b\nd",
            ),
            ("abc", Utf16, vec![edit(0, 2, 0, 1, "X")], "aXc"), // reversed range is ordered
            ("abc", Utf16, vec![edit(7, 0, 9, 9, "!")], "abc!"), // past the end appends
            (
                "abc",
                Utf16,
                vec![full("new"), edit(0, 3, 0, 3, "!")],
                "new!",
            ),
            (
                "",
                Utf16,
                vec![
                    edit(0, 0, 0, 0, "😀"),
                    edit(0, 2, 0, 2, "😀"),
                    edit(0, 2, 0, 4, "x"),
                ],
                "😀x",
            ),
        ];
        for (start, enc, changes, want) in cases {
            let mut store = DocumentStore::default();
            store.open("file:///d", start, 1, "dockerfile".into());
            assert_eq!(
                store.change("file:///d", 2, &changes, enc),
                ChangeOutcome::Applied
            );
            let (rope, syntax) = texts(&store, "file:///d");
            assert_eq!(rope, want, "{start:?} {changes:?}");
            assert_eq!(syntax, want, "parse text diverged: {start:?} {changes:?}");
        }
    }

    #[test]
    fn stale_and_unknown_changes_are_ignored() {
        let mut store = DocumentStore::default();
        let enc = PositionEncoding::Utf16;
        assert_eq!(
            store.change("file:///x", 2, &[full("a")], enc),
            ChangeOutcome::UnknownDocument
        );
        store.open("file:///x", "a", 5, "dockerfile".into());
        assert_eq!(
            store.change("file:///x", 5, &[full("b")], enc),
            ChangeOutcome::StaleVersion { stored: 5 }
        );
        assert_eq!(
            store.change("file:///x", 3, &[full("b")], enc),
            ChangeOutcome::StaleVersion { stored: 5 }
        );
        assert_eq!(texts(&store, "file:///x").0, "a");
        assert_eq!(
            store.change("file:///x", 9, &[full("c")], enc),
            ChangeOutcome::Applied
        );
        assert_eq!(store.get("file:///x").unwrap().version, 9);
        assert!(store.close("file:///x"));
        assert!(!store.close("file:///x"));
        assert!(store.is_empty());
    }
}
