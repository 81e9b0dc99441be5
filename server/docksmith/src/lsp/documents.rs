//! The open documents: for each, its text as a [`Rope`] (for position conversion) and its
//! parse (a [`Dockerfile`], edited incrementally), kept byte-for-byte identical.
//!
//! Everything here is synchronous and cheap, so the server applies every `didOpen`,
//! `didChange` and `didClose` under one lock, at the top of its handler, before any `.await`:
//! edits are applied in the order the client sent them (see `docs/architecture.md`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use docksmith_syntax::Dockerfile;
use ropey::Rope;
use tower_lsp_server::ls_types::TextDocumentContentChangeEvent;

use super::position::{PositionEncoding, lsp_to_offsets};

fn next_revision() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A document's [`Incremental`](docksmith_analysis::incremental::Incremental), locked.
#[derive(Default)]
pub struct Analysis(std::sync::Mutex<docksmith_analysis::incremental::Incremental>);

impl Analysis {
    pub fn lock(&self) -> std::sync::MutexGuard<'_, docksmith_analysis::incremental::Incremental> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl std::fmt::Debug for Analysis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Analysis")
    }
}

/// A cached answer: method, raw params, JSON result.
type Answer = (&'static str, Box<str>, std::sync::Arc<Vec<u8>>);

/// One open document.
#[derive(Debug)]
pub struct Document {
    /// The version the client gave with the last change applied.
    pub version: i32,
    pub language_id: String,
    /// Changes on every change, unique across documents and re-opens (a pull-diagnostics
    /// result id must never name two different texts).
    pub revision: u64,
    pub rope: Rope,
    pub syntax: Dockerfile,
    /// The semantic model of `syntax`: the one the diagnostics built (see
    /// [`super::lint::with_findings`]), or built on first use after each change.
    model: std::sync::OnceLock<std::sync::Arc<docksmith_analysis::Model>>,
    /// The model and diagnostics, kept up to date incrementally.
    pub analysis: Analysis,
    /// Where the lines of `syntax` start, found on first use after each change.
    lines: std::sync::OnceLock<super::line_index::Lines>,
    /// The JSON of each instruction's outline symbols (see
    /// [`super::navigation::document_symbols_json`]).
    pub outline: std::sync::Mutex<super::navigation::OutlineCache>,
    /// The JSON of the diagnostics last published (see [`super::lint::diagnostics_json`]).
    pub json_cache: std::sync::Mutex<super::lint::JsonCache>,
    /// Whole-document answers of this revision, as JSON, by method and raw params (see
    /// [`super::direct`]); emptied by every change.
    answers: std::sync::Mutex<Vec<Answer>>,
}

impl Document {
    pub fn new(text: &str, version: i32, language_id: String) -> Self {
        Self {
            version,
            language_id,
            revision: next_revision(),
            rope: Rope::from_str(text),
            syntax: Dockerfile::parse(text),
            model: std::sync::OnceLock::new(),
            analysis: Analysis::default(),
            lines: std::sync::OnceLock::new(),
            json_cache: std::sync::Mutex::default(),
            outline: std::sync::Mutex::default(),
            answers: std::sync::Mutex::default(),
        }
    }

    /// The JSON answer to `method` with these raw `params` for this revision, computed by
    /// `compute` on first use.
    pub fn answer(
        &self,
        method: &'static str,
        params: &str,
        compute: impl FnOnce() -> Vec<u8>,
    ) -> std::sync::Arc<Vec<u8>> {
        /// Distinct requests remembered per revision (an editor asks a few, repeatedly).
        const MAX_ANSWERS: usize = 8;
        let lock = || self.answers.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, _, json)) = lock()
            .iter()
            .find(|(m, p, _)| *m == method && &**p == params)
        {
            return json.clone();
        }
        let json = std::sync::Arc::new(compute());
        let mut answers = lock();
        if answers.len() >= MAX_ANSWERS {
            answers.remove(0);
        }
        answers.push((method, params.into(), json.clone()));
        json
    }

    /// Converts many offsets of the current text to LSP positions (see [`super::line_index::LineIndex`]).
    pub fn line_index(&self, enc: PositionEncoding) -> super::line_index::LineIndex<'_> {
        let lines = self
            .lines
            .get_or_init(|| super::line_index::Lines::new(&self.syntax));
        super::line_index::LineIndex::with(&self.syntax, lines, enc)
    }

    /// The semantic model of the current text (built once per change).
    pub fn model(&self) -> &docksmith_analysis::Model {
        self.model
            .get_or_init(|| std::sync::Arc::new(docksmith_analysis::Model::build(&self.syntax)))
    }

    /// Adopts the model the diagnostics built for the current text, if none is set yet.
    pub fn set_model(&self, model: std::sync::Arc<docksmith_analysis::Model>) {
        let _ = self.model.set(model);
    }

    /// Applies the content changes of one `didChange`, in order. A ranged (incremental)
    /// change edits the text in place; a change without a range replaces the whole text.
    ///
    /// The rope is edited first, for all changes (this cannot fail: positions clamp), then
    /// the parse follows the same edits. Should the parser fail (panic) on one, the parse is
    /// rebuilt from the rope, so the document always holds the client's text.
    pub fn apply_changes(
        &mut self,
        changes: &[TextDocumentContentChangeEvent],
        enc: PositionEncoding,
    ) {
        self.revision = next_revision();
        self.model = std::sync::OnceLock::new();
        self.answers = std::sync::Mutex::default();
        // Only changes after the last full replacement matter to the parse.
        let first = changes.iter().rposition(|c| c.range.is_none());
        // The line table follows edits inside one line; anything else rebuilds it.
        let mut lines = self.lines.take().filter(|_| first.is_none());
        let mut edits = Vec::with_capacity(changes.len());
        for (i, change) in changes.iter().enumerate() {
            match change.range {
                None => self.rope = Rope::from_str(&change.text),
                Some(range) => {
                    let (start, end) = lsp_to_offsets(&self.rope, range, enc);
                    self.rope.remove(start.char..end.char);
                    self.rope.insert(start.char, &change.text);
                    if first.is_none_or(|f| i > f) {
                        edits.push((start.byte, end.byte, change.text.as_str()));
                    }
                    lines = lines
                        .filter(|_| u32::try_from(start.byte).is_ok())
                        .and_then(|mut l| {
                            let (a, b) = (start.byte as u32, end.byte as u32);
                            l.apply_edit(a, b, &change.text).then_some(l)
                        });
                }
            }
        }
        let syntax = &mut self.syntax;
        let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            if let Some(f) = first {
                *syntax = Dockerfile::parse(&changes[f].text);
            }
            for (start, end, text) in edits {
                syntax.apply_edit(start, end, text);
            }
        }));
        if parsed.is_err() {
            tracing::error!("the parser failed on an edit; re-parsing the whole document");
            self.resync_syntax();
        } else if let Some(l) = lines {
            let _ = self.lines.set(l);
        }
    }

    /// Re-parses from the rope; used to recover after a failure inside the parser.
    pub fn resync_syntax(&mut self) {
        self.revision = next_revision();
        self.model = std::sync::OnceLock::new();
        self.lines = std::sync::OnceLock::new();
        self.answers = std::sync::Mutex::default();
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
    /// authority on the text). Returns the replaced document, for the caller to drop
    /// outside its lock (dropping a big parse takes a while).
    #[must_use = "drop the old document outside the lock"]
    pub fn open(
        &mut self,
        uri: &str,
        text: &str,
        version: i32,
        language_id: String,
    ) -> Option<Document> {
        self.docs
            .insert(uri.to_owned(), Document::new(text, version, language_id))
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
        doc.apply_changes(changes, enc);
        doc.version = version;
        ChangeOutcome::Applied
    }

    /// `didClose`. Returns the document if it was open (drop it outside the lock).
    pub fn close(&mut self, uri: &str) -> Option<Document> {
        self.docs.remove(uri)
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
                "abc",
                Utf16,
                vec![
                    edit(0, 0, 0, 0, "X"),
                    full("new\n"),
                    edit(1, 0, 1, 0, "😀"),
                    edit(0, 0, 0, 1, ""),
                ],
                "ew\n😀",
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
            let _ = store.open("file:///d", start, 1, "dockerfile".into());
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
        assert!(
            store
                .open("file:///x", "a", 5, "dockerfile".into())
                .is_none()
        );
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
        assert!(store.close("file:///x").is_some());
        assert!(store.close("file:///x").is_none());
        assert!(store.is_empty());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Text made of the characters that matter to positions.
        fn text() -> impl Strategy<Value = String> {
            let pieces = prop::sample::select(vec![
                "a", "RUN x", "\n", "\r\n", "\r", "\u{2028}", "\u{85}", "😀", "é", "€", " ", "\\",
            ]);
            prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
        }

        fn change() -> impl Strategy<Value = TextDocumentContentChangeEvent> {
            let pos = (0u32..8, prop_oneof![0u32..12, Just(u32::MAX)]);
            (pos.clone(), pos, text(), prop::bool::weighted(0.05)).prop_map(
                |((l1, c1), (l2, c2), text, full_change)| {
                    if full_change {
                        full(&text)
                    } else {
                        edit(l1, c1, l2, c2, &text)
                    }
                },
            )
        }

        proptest! {
            /// Any changes, in range or not, in either encoding: no panic, and the parse
            /// holds exactly the rope's text.
            #[test]
            fn rope_and_parse_never_diverge(
                start in text(),
                batches in prop::collection::vec(prop::collection::vec(change(), 1..4), 1..12),
                utf8 in any::<bool>(),
            ) {
                let enc = if utf8 { PositionEncoding::Utf8 } else { PositionEncoding::Utf16 };
                let mut store = DocumentStore::default();
                let _ = store.open("file:///p", &start, 0, "dockerfile".into());
                for (i, batch) in batches.iter().enumerate() {
                    prop_assert_eq!(store.change("file:///p", i as i32 + 1, batch, enc), ChangeOutcome::Applied);
                    let (rope, syntax) = texts(&store, "file:///p");
                    prop_assert_eq!(&rope, &syntax);
                    prop_assert_eq!(docksmith_syntax::Dockerfile::parse(&rope), store.get("file:///p").unwrap().syntax.clone());
                }
            }
        }
    }
}
