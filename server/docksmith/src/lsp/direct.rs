//! The direct lane: text synchronisation and the requests whose answers grow with the
//! document, served by the input task itself and written straight to the output.
//!
//! Why: `tower-lsp-server` 0.23 turns every params and result into a `serde_json::Value`
//! tree before (de)serialising it. For a 10,000-line Dockerfile that is a 336 KB `didOpen`,
//! a 1 MB `publishDiagnostics` (2,000 findings) on every keystroke, a 1 MB outline: building,
//! writing and freeing those trees cost 30-50 ms per message, ten times the analysis itself.
//! Here, params are deserialised from the raw body into their types, and results are
//! serialised from their types into the outgoing frame, with no tree in between.
//!
//! What comes here (see [`Direct::handle`]): `didOpen`, `didChange`, `didClose`, and the
//! whole-document requests (outline, folding, selection ranges, code lenses, inlay hints,
//! semantic tokens, formatting, pull diagnostics, workspace symbols). Everything else — the
//! lifecycle, settings, small position requests, and the client's answers to our own
//! requests — goes on to `tower-lsp-server` unchanged.
//!
//! Ordering: [`super::transport::sanitize`] reads messages one at a time and calls
//! [`Direct::handle`] before forwarding the next one, so an edit is applied before any later
//! message is looked at, by either lane, and a direct request sees every earlier edit. The
//! lane serves only between the answer to `initialize` and a `shutdown` request; outside
//! that window messages go to `tower-lsp-server`, which answers them as the specification
//! asks (`ServerNotInitialized`, `InvalidRequest`).
//!
//! Direct requests are answered synchronously, before the next message is read, so there
//! is nothing to cancel: a `$/cancelRequest` for one finds it answered.

use std::borrow::Cow;

use serde::Deserialize;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use tokio::sync::mpsc::UnboundedSender;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tracing::{debug, warn};

use super::server::{self, SharedState, State, guard, lock};

pub use super::frame::Frame;

/// The parts of a message the lane looks at; the rest stays raw.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    jsonrpc: Option<Cow<'a, str>>,
    #[serde(borrow)]
    id: Option<&'a RawValue>,
    #[serde(borrow)]
    method: Option<Cow<'a, str>>,
    #[serde(borrow)]
    params: Option<&'a RawValue>,
}

/// The lane's handle on the server: its state, the publish queue, and the output.
pub struct Direct {
    state: SharedState,
    publish: UnboundedSender<Uri>,
    out: UnboundedSender<Frame>,
    /// A `shutdown` request went by: from now on `tower-lsp-server` answers everything.
    shut_down: bool,
}

impl Direct {
    pub fn new(
        state: SharedState,
        publish: UnboundedSender<Uri>,
        out: UnboundedSender<Frame>,
    ) -> Self {
        Direct {
            state,
            publish,
            out,
            shut_down: false,
        }
    }

    /// Serves `body` if it belongs to this lane; `false` means: forward it.
    pub fn handle(&mut self, body: &[u8]) -> bool {
        let Ok(env) = serde_json::from_slice::<Envelope<'_>>(body) else {
            return false;
        };
        let (Some("2.0"), Some(method)) = (env.jsonrpc.as_deref(), env.method.as_deref()) else {
            return false;
        };
        if method == "shutdown" {
            self.shut_down = true;
        }
        if self.shut_down || !lock(&self.state).initialized {
            return false;
        }
        match env.id {
            None => self.notification(method, env.params),
            Some(id) if is_valid_id(id) => self.request(method, id, env.params),
            Some(_) => false,
        }
    }

    fn notification(&self, method: &str, params: Option<&RawValue>) -> bool {
        let (state, queue) = (&self.state, &self.publish);
        let started = std::time::Instant::now();
        match method {
            "textDocument/didOpen" => {
                if let Some(p) = open_params(params) {
                    server::did_open(state, queue, p);
                }
            }
            "textDocument/didChange" => {
                if let Some(p) = notification_params(method, params) {
                    server::did_change(state, queue, p);
                }
            }
            "textDocument/didClose" => {
                if let Some(p) = notification_params(method, params) {
                    server::did_close(state, queue, p);
                }
            }
            _ => return false,
        }
        debug!(
            "{method} applied in {:.3} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
        true
    }

    fn request(&self, method: &str, id: &RawValue, params: Option<&RawValue>) -> bool {
        use super::{formatting, navigation, semantic_tokens};
        let started = std::time::Instant::now();
        let frame = match method {
            // Kept per stage, not per revision (see navigation::OutlineCache).
            "textDocument/documentSymbol" => {
                self.answer_raw(method, id, params, |st, p: DocumentSymbolParams, out| {
                    if navigation::document_symbols_json(st, &p, out).is_none() {
                        out.bytes(b"null");
                    }
                    Ok(())
                })
            }
            "textDocument/foldingRange" => {
                self.answer_cached("textDocument/foldingRange", id, params, |st, p| {
                    to_json(&navigation::folding_ranges(st, p))
                })
            }
            "textDocument/selectionRange" => self.answer(method, id, params, |st, p| {
                Ok(navigation::selection_ranges(st, p))
            }),
            "textDocument/codeLens" => {
                self.answer_cached("textDocument/codeLens", id, params, |st, p| {
                    to_json(&navigation::code_lenses(st, p))
                })
            }
            "textDocument/inlayHint" => self.answer(method, id, params, |st, p| {
                Ok(navigation::inlay_hints(st, p))
            }),
            "workspace/symbol" => self.answer(method, id, params, |st, p| {
                Ok(navigation::workspace_symbols(st, p))
            }),
            "textDocument/semanticTokens/full" => {
                self.answer_raw(method, id, params, |st, p: SemanticTokensParams, out| {
                    if !semantic_tokens::full_json(st, p.text_document.uri.as_str(), out) {
                        out.bytes(b"null");
                    }
                    Ok(())
                })
            }
            "textDocument/semanticTokens/full/delta" => {
                self.answer(method, id, params, |st, p: SemanticTokensDeltaParams| {
                    let uri = p.text_document.uri.as_str();
                    Ok(
                        semantic_tokens::delta(st, uri, &p.previous_result_id).map(|r| match r {
                            Ok(d) => SemanticTokensFullDeltaResult::TokensDelta(d),
                            Err(full) => SemanticTokensFullDeltaResult::Tokens(full),
                        }),
                    )
                })
            }
            "textDocument/semanticTokens/range" => {
                self.answer(method, id, params, |st, p: SemanticTokensRangeParams| {
                    Ok(
                        semantic_tokens::range(st, p.text_document.uri.as_str(), p.range)
                            .map(SemanticTokensRangeResult::Tokens),
                    )
                })
            }
            "textDocument/formatting" => {
                self.answer(method, id, params, |st, p: DocumentFormattingParams| {
                    Ok(formatting::document(st, &p.text_document.uri, &p.options))
                })
            }
            "textDocument/rangeFormatting" => self.answer(
                method,
                id,
                params,
                |st, p: DocumentRangeFormattingParams| {
                    Ok(formatting::range(
                        st,
                        &p.text_document.uri,
                        p.range,
                        &p.options,
                    ))
                },
            ),
            "textDocument/diagnostic" => self.answer_raw(method, id, params, |st, p, out| {
                server::pull_diagnostics(st, &p, out);
                Ok(())
            }),
            _ => return false,
        };
        debug!(
            "{method} answered in {:.3} ms ({} bytes)",
            started.elapsed().as_secs_f64() * 1e3,
            frame.len()
        );
        if self.out.send(frame).is_err() {
            debug!("output closed; {method} not answered");
        }
        true
    }

    /// Like [`Direct::answer`], for answers that depend on the document's text only: they
    /// are kept with the document until it changes ([`super::documents::Document::answer`]).
    fn answer_cached<P>(
        &self,
        method: &'static str,
        id: &RawValue,
        params: Option<&RawValue>,
        f: impl FnOnce(&State, P) -> Vec<u8>,
    ) -> Frame
    where
        P: DeserializeOwned + OfDocument,
    {
        let raw = params.map_or("null", RawValue::get);
        self.answer_raw(method, id, params, |st, p: P, out| {
            let compute = |p| f(st, p);
            match st.dockerfile(p.uri().as_str()) {
                Some(doc) => out.shared(doc.answer(method, raw, || compute(p))),
                None => out.bytes(&compute(p)),
            }
            Ok(())
        })
    }

    /// Like [`Direct::answer`], for a result that `f` writes as JSON itself (after the
    /// response's head, in the frame it is given): the one place that parses params, guards
    /// the handler and frames the answer or the error.
    fn answer_raw<P: DeserializeOwned>(
        &self,
        method: &str,
        id: &RawValue,
        params: Option<&RawValue>,
        f: impl FnOnce(&State, P, &mut Frame) -> Result<()>,
    ) -> Frame {
        let params = match parse_params::<P>(params) {
            Ok(p) => p,
            Err(e) => {
                warn!("{method}: invalid params: {e}");
                return error_frame(id, &Error::invalid_params(e.to_string()));
            }
        };
        let mut frame = Frame::new();
        frame.bytes(b"{\"jsonrpc\":\"2.0\",\"id\":");
        frame.bytes(id.get().as_bytes());
        frame.bytes(b",\"result\":");
        match guard(method, || f(&lock(&self.state), params, &mut frame)).and_then(|r| r) {
            Ok(()) => {
                frame.bytes(b"}");
                frame
            }
            Err(e) => error_frame(id, &e),
        }
    }

    /// Runs `f` on the typed params under the lock and a panic guard; the response frame
    /// with its result serialised.
    fn answer<P, R>(
        &self,
        method: &str,
        id: &RawValue,
        params: Option<&RawValue>,
        f: impl FnOnce(&State, P) -> Result<R>,
    ) -> Frame
    where
        P: DeserializeOwned,
        R: Serialize,
    {
        self.answer_raw(method, id, params, |st, p, out| {
            f(st, p).map(|r| write_json(out, &r))
        })
    }
}

/// The JSON of a result. Serialising LSP types into a Vec does not fail; should it, the
/// answer is still valid JSON.
fn to_json<R: Serialize>(result: &R) -> Vec<u8> {
    serde_json::to_vec(result).unwrap_or_else(|e| {
        warn!("cannot serialise a result: {e}");
        b"null".to_vec()
    })
}

/// Writes a result's JSON into `out` (see [`to_json`]).
fn write_json<R: Serialize>(out: &mut Frame, result: &R) {
    let at = out.written().len();
    if let Err(e) = serde_json::to_writer(out.written(), result) {
        warn!("cannot serialise a result: {e}");
        out.written().truncate(at);
        out.bytes(b"null");
    }
}

/// Params that name one document.
pub trait OfDocument {
    fn uri(&self) -> &Uri;
}

impl OfDocument for DocumentSymbolParams {
    fn uri(&self) -> &Uri {
        &self.text_document.uri
    }
}

impl OfDocument for FoldingRangeParams {
    fn uri(&self) -> &Uri {
        &self.text_document.uri
    }
}

impl OfDocument for CodeLensParams {
    fn uri(&self) -> &Uri {
        &self.text_document.uri
    }
}

fn parse_params<'a, P: Deserialize<'a>>(params: Option<&'a RawValue>) -> serde_json::Result<P> {
    serde_json::from_str(params.map_or("null", RawValue::get))
}

/// Typed params of a notification; `None` (logged) when they do not parse, as
/// `tower-lsp-server` drops such a notification too.
fn notification_params<'a, P: Deserialize<'a>>(
    method: &str,
    params: Option<&'a RawValue>,
) -> Option<P> {
    match parse_params(params) {
        Ok(p) => Some(p),
        Err(e) => {
            warn!("{method}: invalid params, ignored: {e}");
            None
        }
    }
}

/// `didOpen`'s params. The document's text is the biggest string a client sends (336 KB
/// at 10,000 lines): it is unescaped once into a string of the right size ([`json_string`]),
/// where serde would grow a scratch buffer by doubling and then copy it (1.3 MB allocated
/// and touched for 336 KB). `None` (logged) when they do not parse, as for any
/// notification.
fn open_params(params: Option<&RawValue>) -> Option<DidOpenTextDocumentParams> {
    #[derive(Deserialize)]
    struct Params<'a> {
        #[serde(rename = "textDocument", borrow)]
        text_document: Item<'a>,
    }
    #[derive(Deserialize)]
    struct Item<'a> {
        uri: Uri,
        #[serde(rename = "languageId")]
        language_id: String,
        version: i32,
        #[serde(borrow)]
        text: &'a RawValue,
    }
    let method = "textDocument/didOpen";
    let p: Params<'_> = notification_params(method, params)?;
    let Some(text) = json_string(p.text_document.text.get()) else {
        warn!("{method}: invalid params, ignored: the text is not a valid JSON string");
        return None;
    };
    Some(DidOpenTextDocumentParams {
        text_document: TextDocumentItem {
            uri: p.text_document.uri,
            language_id: p.text_document.language_id,
            version: p.text_document.version,
            text,
        },
    })
}

/// The string a JSON string literal (`raw`, quotes included) stands for; `None` if `raw`
/// is not one (or holds an unpaired surrogate escape, which serde refuses too).
fn json_string(raw: &str) -> Option<String> {
    let mut rest = raw.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(rest.len());
    let hex = |s: &str| -> Option<u32> {
        let digits = s.get(..4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(digits, 16).ok()
    };
    while let Some(i) = memchr::memchr2(b'\\', b'"', rest.as_bytes()) {
        out.push_str(&rest[..i]);
        let escape = rest[i..].strip_prefix('\\')?; // a bare quote inside: not one string
        let (c, len) = match escape.as_bytes().first()? {
            b'"' => ('"', 1),
            b'\\' => ('\\', 1),
            b'/' => ('/', 1),
            b'b' => ('\u{8}', 1),
            b'f' => ('\u{c}', 1),
            b'n' => ('\n', 1),
            b'r' => ('\r', 1),
            b't' => ('\t', 1),
            b'u' => {
                let high = hex(&escape[1..])?;
                match high {
                    0xD800..=0xDBFF => {
                        let low = escape[5..].strip_prefix("\\u").and_then(hex)?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return None;
                        }
                        let c = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                        (char::from_u32(c)?, 11)
                    }
                    0xDC00..=0xDFFF => return None,
                    _ => (char::from_u32(high)?, 5),
                }
            }
            _ => return None,
        };
        out.push(c);
        rest = &escape[len..];
    }
    if rest.bytes().any(|b| b < 0x20) {
        return None;
    }
    out.push_str(rest);
    Some(out)
}

/// JSON-RPC ids are numbers or strings.
fn is_valid_id(id: &RawValue) -> bool {
    matches!(id.get().as_bytes().first(), Some(b'"' | b'-' | b'0'..=b'9'))
}

fn error_frame(id: &RawValue, e: &Error) -> Frame {
    #[derive(Serialize)]
    struct Body<'a> {
        code: i64,
        message: &'a str,
    }
    let code = match e.code {
        ErrorCode::ServerError(c) => c,
        ref other => other.code(),
    };
    let body = Body {
        code,
        message: &e.message,
    };
    let mut out = Frame::new();
    out.bytes(b"{\"jsonrpc\":\"2.0\",\"id\":");
    out.bytes(id.get().as_bytes());
    out.bytes(b",\"error\":");
    let _ = serde_json::to_writer(&mut out, &body);
    out.bytes(b"}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_numbers_or_strings() {
        let raw = |s: &str| RawValue::from_string(s.to_owned()).unwrap();
        for ok in ["1", "-3", "\"a\"", "0"] {
            assert!(is_valid_id(&raw(ok)), "{ok}");
        }
        for bad in ["null", "{}", "[1]", "true"] {
            assert!(!is_valid_id(&raw(bad)), "{bad}");
        }
    }

    /// `json_string` reads what serde writes, and refuses what serde refuses.
    #[test]
    fn json_strings_read_as_serde_reads_them() {
        use proptest::prelude::*;
        let config = proptest::test_runner::Config::with_cases(2000);
        proptest!(config, |(s in "(\\PC|[\\x00-\\x1f\"\\\\/]|😀|é|\u{2028}){0,40}")| {
            let json = serde_json::to_string(&s).unwrap();
            prop_assert_eq!(json_string(&json), Some(s));
        });
        for raw in [
            r#""a\/b\u00e9\ud83d\ude00\b\f\n\r\t\"\\""#,
            r#""\u0041\u00""#,
            r#""\ud83d""#,
            r#""\ude00x""#,
            r#""\ud83d\u0041""#,
            r#""\x""#,
            r#""a"b""#,
            "\"tab\tinside\"",
            r#""\""#,
            r#""""#,
            r#"null"#,
            r#""\uzzzz""#,
            r#""\u+041""#,
        ] {
            let serde = serde_json::from_str::<String>(raw).ok();
            assert_eq!(json_string(raw), serde, "{raw}");
        }
    }

    #[test]
    fn errors_keep_their_codes() {
        let id = RawValue::from_string("7".to_owned()).unwrap();
        let f = error_frame(&id, &Error::invalid_params("bad"));
        let body: Vec<u8> = f.chunks().flatten().copied().collect();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["id"], 7);
        assert_eq!(v["error"]["code"], -32602);
        assert_eq!(v["error"]["message"], "bad");
    }
}
