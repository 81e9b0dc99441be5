//! Protocol tests: the real server, in process, over framed duplex pipes.

mod support;

use serde_json::{Value, json};
use support::{TestClient, URI, frame};

const UTF8_CAPS: &str = r#"{"general": {"positionEncodings": ["utf-16", "utf-8"]}}"#;

fn caps(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

async fn started(capabilities: Value) -> TestClient {
    let client = TestClient::start();
    client.initialize(capabilities, None).await;
    client
}

// ---------------------------------------------------------------------------------------------
// A text model written independently of the server: lines end at '\n' only (the texts used
// here contain no CR; CR, CRLF and U+2028 handling is unit-tested in `position.rs`).

/// Byte offset of a char-boundary `offset` -> (line, column in the encoding).
fn to_position(text: &str, offset: usize, utf8: bool) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = if utf8 {
        offset - line_start
    } else {
        before[line_start..].encode_utf16().count()
    };
    (line as u32, col as u32)
}

/// Tiny deterministic generator (no dependency, same sequence everywhere).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn char_boundaries(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect()
}

/// A random edit of `text`: (start, end) byte offsets on char boundaries and the new text.
fn random_edit(rng: &mut Lcg, text: &str) -> (usize, usize, &'static str) {
    const INSERTS: &[&str] = &[
        "😀",
        "a",
        "é",
        "\n",
        "RUN echo 🐳\n",
        "\u{2028}",
        "𝔘",
        "",
        "FROM x AS y\n",
    ];
    let b = char_boundaries(text);
    let start = b[rng.next(b.len())];
    let end = if rng.next(3) == 0 {
        let after: Vec<usize> = b.iter().copied().filter(|&o| o >= start).take(8).collect();
        after[rng.next(after.len())]
    } else {
        start
    };
    (start, end, INSERTS[rng.next(INSERTS.len())])
}

fn lsp_range(text: &str, start: usize, end: usize, utf8: bool) -> Value {
    let (l1, c1) = to_position(text, start, utf8);
    let (l2, c2) = to_position(text, end, utf8);
    json!({"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}})
}

// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn initialize_advertises_incremental_sync_and_utf16_by_default() {
    let client = TestClient::start();
    let result = client.initialize(json!({}), None).await;
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental");
    assert_eq!(caps["textDocumentSync"]["openClose"], true);
    assert_eq!(result["serverInfo"]["name"], "docksmith");
    // A client without pull support gets pushed diagnostics: no diagnosticProvider.
    assert!(caps.get("diagnosticProvider").is_none(), "{caps}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn initialize_picks_utf8_when_offered() {
    let client = TestClient::start();
    let result = client.initialize(caps(UTF8_CAPS), None).await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    let client = TestClient::start();
    let result = client
        .initialize(
            json!({"general": {"positionEncodings": ["utf-32", "utf-16"]}}),
            None,
        )
        .await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_before_initialize_are_refused_and_a_second_initialize_is_invalid() {
    let client = TestClient::start();
    let resp = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert_eq!(resp["error"]["code"], -32002, "{resp}");
    client.initialize(json!({}), None).await;
    let resp = client
        .request("initialize", json!({"capabilities": {}}))
        .await;
    assert_eq!(resp["error"]["code"], -32600, "{resp}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_and_change_publish_diagnostics_with_the_version() {
    let mut client = started(json!({})).await;
    let text = "FROM alpine\nRUN echo 😀\n";
    client.open(URI, 1, text);
    let d = client.wait_diagnostics(URI, 1).await;
    assert_eq!(d["version"], 1);
    check_diagnostics_match_parser(&d, text, false);

    client.edit(URI, 7, (1, 9), (1, 11), "ENV PATH");
    let d = client.wait_diagnostics(URI, 7).await;
    assert_eq!(d["version"], 7);
    check_diagnostics_match_parser(&d, "FROM alpine\nRUN echo ENV PATH\n", false);
    let doc = client.document(URI).await;
    assert_eq!(doc["text"], "FROM alpine\nRUN echo ENV PATH\n");
}

/// The diagnostics must be the parser's errors, converted by the independent model above.
fn check_diagnostics_match_parser(params: &Value, text: &str, utf8: bool) {
    let errors = docksmith_syntax::Dockerfile::parse(text).errors();
    // The parser's errors are the rules ParseError and UnknownInstruction; other rules
    // (BuildKit checks, ...) are tested in lint_protocol.rs.
    let got: Vec<&Value> = params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "ParseError" || d["code"] == "UnknownInstruction")
        .collect();
    assert_eq!(got.len(), errors.len(), "{params}");
    for (d, e) in got.iter().zip(&errors) {
        assert_eq!(d["message"], e.message.as_str());
        assert_eq!(d["severity"], 1);
        assert_eq!(d["source"], "docksmith");
        assert_eq!(
            d["range"],
            lsp_range(text, e.range.start as usize, e.range.end as usize, utf8)
        );
    }
}

/// Ordering regression: tower-lsp-server runs handlers concurrently; edits must still apply in
/// the order sent. Hundreds of incremental edits with astral characters, sent without waiting,
/// then the server's text must equal the model's, and the last diagnostics carry the last
/// version; pushed versions never go backwards.
async fn rapid_edits(utf8: bool) {
    let mut client = started(if utf8 { caps(UTF8_CAPS) } else { json!({}) }).await;
    let mut text = String::from("FROM alpine AS base\nRUN echo 😀 \u{2028} é\n");
    client.open(URI, 1, &text);
    let mut rng = Lcg(if utf8 { 8 } else { 16 });
    let mut version = 1;
    for i in 0..400 {
        version += 1 + (i % 3); // versions may skip numbers
        let changes: Vec<Value> = (0..1 + rng.next(3))
            .map(|_| {
                let (start, end, new) = random_edit(&mut rng, &text);
                let change = json!({"range": lsp_range(&text, start, end, utf8), "text": new});
                text.replace_range(start..end, new);
                change
            })
            .collect();
        client.change(URI, version as i32, Value::Array(changes));
    }
    // Collect every push until the last version; versions must not go backwards.
    let mut last = 0;
    loop {
        let n = client
            .wait_notification("diagnostics", |n| {
                n["method"] == "textDocument/publishDiagnostics"
            })
            .await;
        let v = n["params"]["version"].as_i64().unwrap();
        assert!(
            v >= last,
            "diagnostics version went back from {last} to {v}"
        );
        last = v;
        if v == version {
            check_diagnostics_match_parser(&n["params"], &text, utf8);
            break;
        }
        assert!(v < version, "version {v} was never sent");
    }
    let doc = client.document(URI).await;
    assert_eq!(doc["version"], version);
    assert_eq!(doc["text"].as_str().unwrap(), text);
    assert_eq!(
        doc["syntaxText"].as_str().unwrap(),
        text,
        "parse text diverged from the rope"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rapid_incremental_edits_apply_in_order_utf16() {
    rapid_edits(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rapid_incremental_edits_apply_in_order_utf8() {
    rapid_edits(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf8_positions_are_bytes() {
    let mut client = started(caps(UTF8_CAPS)).await;
    client.open(URI, 1, "RUN 😀x\n");
    // byte column 8 is after the emoji (4 bytes) following "RUN "
    client.edit(URI, 2, (0, 8), (0, 9), "y");
    client.wait_diagnostics(URI, 2).await;
    assert_eq!(client.document(URI).await["text"], "RUN 😀y\n");
    // a byte column inside the emoji snaps to its start
    client.edit(URI, 3, (0, 6), (0, 6), "z");
    client.wait_diagnostics(URI, 3).await;
    assert_eq!(client.document(URI).await["text"], "RUN z😀y\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf16_positions_clamp() {
    let mut client = started(json!({})).await;
    client.open(URI, 1, "RUN 😀x\r\nCMD y");
    // between the surrogates: snaps to the emoji's start; past the end of line: before CRLF
    client.edit(URI, 2, (0, 5), (0, 5), "<");
    client.edit(URI, 3, (0, 99), (0, 200), ">");
    client.edit(URI, 4, (40, 0), (41, 3), "!");
    client.wait_diagnostics(URI, 4).await;
    assert_eq!(client.document(URI).await["text"], "RUN <😀x>\r\nCMD y!");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_text_changes_replace_everything() {
    let mut client = started(json!({})).await;
    client.open(URI, 1, "FROM a\n");
    client.change(
        URI,
        2,
        json!([{"text": "FROM b\nRUN c\n"}, {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 3}}, "text": "CMD"}]),
    );
    client.wait_diagnostics(URI, 2).await;
    let doc = client.document(URI).await;
    assert_eq!(doc["text"], "FROM b\nCMD c\n");
    assert_eq!(doc["syntaxText"], "FROM b\nCMD c\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_versions_are_ignored() {
    let mut client = started(json!({})).await;
    client.open(URI, 5, "FROM a\n");
    client.edit(URI, 5, (0, 0), (0, 0), "#");
    client.edit(URI, 4, (0, 0), (0, 0), "#");
    client.edit(URI, 6, (0, 6), (0, 6), "b");
    client.wait_diagnostics(URI, 6).await;
    let doc = client.document(URI).await;
    assert_eq!(doc["text"], "FROM ab\n");
    assert_eq!(doc["version"], 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn close_clears_diagnostics_and_forgets_the_document() {
    let mut client = started(json!({})).await;
    client.open(URI, 1, "FROM a\n");
    client.wait_diagnostics(URI, 1).await;
    client.close(URI);
    let n = client
        .wait_notification("cleared diagnostics", |n| {
            n["method"] == "textDocument/publishDiagnostics" && n["params"]["version"].is_null()
        })
        .await;
    assert_eq!(n["params"]["uri"], URI);
    assert_eq!(n["params"]["diagnostics"], json!([]));
    assert_eq!(client.document(URI).await, Value::Null);
    // reopening works
    client.open(URI, 1, "FROM b\n");
    client.wait_diagnostics(URI, 1).await;
    assert_eq!(client.document(URI).await["text"], "FROM b\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_documents_answer_empty() {
    let client = started(json!({})).await;
    let other = "file:///nowhere/Dockerfile";
    client.edit(other, 2, (0, 0), (0, 0), "x");
    client.close(other);
    let r = client
        .request_ok(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": other}}),
        )
        .await;
    assert_eq!(r["kind"], "full");
    assert_eq!(r["items"], json!([]));
    assert_eq!(client.document(other).await, Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_diagnostics_when_the_client_supports_them() {
    let mut client =
        started(json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}})).await;
    let text = "FROM a\nENV PATH\n";
    client.open(URI, 1, text);
    let first = client
        .request_ok(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert_eq!(first["kind"], "full");
    check_diagnostics_match_parser(&json!({"diagnostics": first["items"]}), text, false);
    let id = first["resultId"].as_str().unwrap().to_owned();
    let again = client
        .request_ok(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}, "previousResultId": id}),
        )
        .await;
    assert_eq!(again, json!({"kind": "unchanged", "resultId": id}));
    client.edit(URI, 2, (0, 6), (0, 6), "b");
    let after = client
        .request_ok(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}, "previousResultId": id}),
        )
        .await;
    assert_eq!(after["kind"], "full");
    assert_ne!(after["resultId"], id);
    // nothing was pushed
    let pushed: Vec<Value> = client
        .drain_notifications()
        .into_iter()
        .filter(|n| n["method"] == "textDocument/publishDiagnostics")
        .collect();
    assert_eq!(pushed, Vec::<Value>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_mode_setting_overrides_negotiation() {
    let client = TestClient::start();
    let pull_caps = json!({"textDocument": {"diagnostic": {}}});
    let r = client
        .initialize(
            pull_caps,
            Some(json!({"docksmith": {"diagnostics": {"mode": "push"}}})),
        )
        .await;
    assert!(r["capabilities"].get("diagnosticProvider").is_none());
    let client = TestClient::start();
    let r = client
        .initialize(json!({}), Some(json!({"diagnostics": {"mode": "pull"}})))
        .await;
    assert_eq!(
        r["capabilities"]["diagnosticProvider"]["identifier"],
        "docksmith"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configuration_is_pulled_from_clients_that_support_it() {
    let client = TestClient::start();
    *client.configuration.lock().unwrap() = json!({"diagnostics": {"enable": true}});
    client
        .initialize(
            json!({"workspace": {"configuration": true, "didChangeConfiguration": {"dynamicRegistration": true}}}),
            None,
        )
        .await;
    assert_eq!(
        client.wait_server_requests(2).await,
        ["client/registerCapability", "workspace/configuration"]
    );
    let conf = client.server_requests.lock().unwrap()[1].clone();
    assert_eq!(conf["params"]["items"][0]["section"], "docksmith");
    // a change notification makes the server ask again
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    assert_eq!(
        client.wait_server_requests(3).await[2],
        "workspace/configuration"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_answers_internal_error_and_the_server_goes_on() {
    let mut client = started(json!({})).await;
    client.open(URI, 1, "FROM a\n");
    for _ in 0..3 {
        let r = client
            .request(
                "workspace/executeCommand",
                json!({"command": "docksmith.debug.panic", "arguments": []}),
            )
            .await;
        assert_eq!(r["error"]["code"], -32603, "{r}");
    }
    client.edit(URI, 2, (0, 6), (0, 6), "lpine");
    client.wait_diagnostics(URI, 2).await;
    assert_eq!(client.document(URI).await["text"], "FROM alpine\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_commands_are_off_unless_enabled() {
    let client = TestClient::start_with(docksmith::lsp::ServeOptions::default());
    let r = client.initialize(json!({}), None).await;
    assert!(r["capabilities"].get("executeCommandProvider").is_none());
    let r = client
        .request(
            "workspace/executeCommand",
            json!({"command": "docksmith.debug.panic", "arguments": []}),
        )
        .await;
    assert_eq!(r["error"]["code"], -32602, "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_messages_do_not_stop_the_server() {
    let mut client = started(json!({})).await;
    client.open(URI, 1, "FROM a\n");
    client.wait_diagnostics(URI, 1).await;

    // Not JSON at all, truncated JSON, invalid UTF-8, a JSON array, an empty body.
    client.send_raw(frame("this is not json"));
    client.send_raw(frame(r#"{"jsonrpc":"2.0","method":"#));
    client.send_raw([b"Content-Length: 3\r\n\r\n".as_slice(), &[0xff, 0xfe, b'{']].concat());
    client.send_raw(frame("[]"));
    client.send_raw(b"Content-Length: 0\r\n\r\n".to_vec());
    // Broken headers, and garbage between messages.
    client.send_raw(b"Content-Length: banana\r\n\r\n".to_vec());
    client.send_raw(b"Content-Type: application/vscode-jsonrpc; charset=latin1\r\n\r\n".to_vec());
    client.send_raw(b"garbage without a newline ".to_vec());
    // An unknown notification, a known one with wrong params.
    client.notify("$/unknownNotification", json!({"x": 1}));
    client.notify("docksmith/whatever", json!(null));
    client.notify("textDocument/didChange", json!({"textDocument": 5}));
    client.notify("textDocument/didOpen", json!("nope"));

    // Requests get proper errors with their id.
    let r = client
        .request("textDocument/unknownRequest", json!({}))
        .await;
    assert_eq!(r["error"]["code"], -32601, "{r}");
    let r = client
        .request("textDocument/diagnostic", json!({"textDocument": "nope"}))
        .await;
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let r = client.request("textDocument/diagnostic", json!(42)).await;
    assert_eq!(r["error"]["code"], -32602, "{r}");
    client.send_raw(frame(r#"{"jsonrpc":"1.0","id":9001,"method":"shutdown"}"#));
    client.send_raw(frame(r#"{"jsonrpc":"2.0","id":9002,"method":17}"#));
    for id in [9001, 9002] {
        let r = client
            .wait_notification("error response", |n| {
                n["method"] == support::UNEXPECTED_RESPONSE
            })
            .await;
        assert_eq!(r["params"]["id"], id, "{r}");
        assert_eq!(r["params"]["error"]["code"], -32600, "{r}");
    }

    // And the document still works.
    client.edit(URI, 2, (0, 6), (0, 6), "lpine");
    client.wait_diagnostics(URI, 2).await;
    assert_eq!(client.document(URI).await["text"], "FROM alpine\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_request_cancels() {
    let client = started(json!({})).await;
    let (id, response) = client.send_request(
        "workspace/executeCommand",
        json!({"command": "docksmith.debug.sleep", "arguments": [8000]}),
    );
    client.notify("$/cancelRequest", json!({"id": id}));
    let r = response.await;
    assert_eq!(r["error"]["code"], -32800, "{r}");
    // cancelling something unknown is harmless
    client.notify("$/cancelRequest", json!({"id": 123456}));
    let r = client
        .request_ok(
            "workspace/executeCommand",
            json!({"command": "docksmith.debug.sleep", "arguments": [1]}),
        )
        .await;
    assert_eq!(r, Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_after_shutdown_is_zero() {
    let client = started(json!({})).await;
    assert_eq!(
        client.request_ok("shutdown", Value::Null).await,
        Value::Null
    );
    // After shutdown, requests are refused.
    let r = client
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert_eq!(r["error"]["code"], -32600, "{r}");
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_without_shutdown_is_one() {
    let client = started(json!({})).await;
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_code().await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn end_of_input_without_shutdown_is_one() {
    let client = started(json!({})).await;
    client.hang_up();
    assert_eq!(client.exit_code().await, 1);
}

// ---------------------------------------------------------------------------------------------
// With the real parser: concrete diagnostics, as data.

const BROKEN: &str = "FROM a:1\nENV PATH\nCMD [\"😀\", 1]\n";

/// (capabilities, expected diagnostics as (line, start col, end col, message))
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn syntax_errors_are_published_in_the_negotiated_encoding() {
    let env_msg = "ENV must have two arguments";
    let json_msg = "when using JSON array syntax, arrays must be comprised of strings only";
    let cases = [
        (json!({}), [(1, 4, 8, env_msg), (2, 4, 13, json_msg)]),
        (caps(UTF8_CAPS), [(1, 4, 8, env_msg), (2, 4, 15, json_msg)]),
    ];
    for (capabilities, expected) in cases {
        let mut client = started(capabilities).await;
        client.open(URI, 1, BROKEN);
        let d = client.wait_diagnostics(URI, 1).await;
        let got: Vec<(u64, u64, u64, &str)> = d["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                assert_eq!(d["range"]["start"]["line"], d["range"]["end"]["line"]);
                assert_eq!(d["severity"], 1);
                assert_eq!(d["source"], "docksmith");
                (
                    d["range"]["start"]["line"].as_u64().unwrap(),
                    d["range"]["start"]["character"].as_u64().unwrap(),
                    d["range"]["end"]["character"].as_u64().unwrap(),
                    d["message"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(got, expected);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixing_an_error_clears_its_diagnostic() {
    let mut client = started(json!({})).await;
    client.open(URI, 1, BROKEN);
    assert_eq!(
        client.wait_diagnostics(URI, 1).await["diagnostics"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    client.edit(URI, 2, (1, 8), (1, 8), "=/bin");
    let d = client.wait_diagnostics(URI, 2).await;
    assert_eq!(d["diagnostics"].as_array().unwrap().len(), 1, "{d}");
    assert_eq!(d["diagnostics"][0]["range"]["start"]["line"], 2);
    client.edit(URI, 3, (2, 11), (2, 12), "\"1\"");
    let d = client.wait_diagnostics(URI, 3).await;
    assert_eq!(d["diagnostics"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_can_be_disabled_by_initialization_options() {
    let mut client = TestClient::start();
    client
        .initialize(
            json!({}),
            Some(json!({"docksmith": {"diagnostics": {"enable": false}}})),
        )
        .await;
    client.open(URI, 1, BROKEN);
    assert_eq!(
        client.wait_diagnostics(URI, 1).await["diagnostics"],
        json!([])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_changes_republish_diagnostics() {
    // A client that pushes settings with didChangeConfiguration (no workspace/configuration).
    let mut client = started(json!({})).await;
    client.open(URI, 1, BROKEN);
    assert_eq!(
        client.wait_diagnostics(URI, 1).await["diagnostics"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"docksmith": {"diagnostics": {"enable": false}}}}),
    );
    let d = client
        .wait_notification("empty diagnostics", |n| {
            n["method"] == "textDocument/publishDiagnostics"
                && n["params"]["diagnostics"] == json!([])
        })
        .await;
    assert_eq!(d["params"]["version"], 1);
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"docksmith": {"diagnostics": {"enable": "maybe"}}}}),
    );
    let d = client.wait_diagnostics(URI, 1).await;
    assert_eq!(
        d["diagnostics"].as_array().unwrap().len(),
        2,
        "a bad value falls back to the default"
    );

    // A client that answers workspace/configuration.
    let mut client = TestClient::start();
    client
        .initialize(json!({"workspace": {"configuration": true}}), None)
        .await;
    client.wait_server_requests(1).await;
    client.open(URI, 1, BROKEN);
    assert_eq!(
        client.wait_diagnostics(URI, 1).await["diagnostics"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    *client.configuration.lock().unwrap() = json!({"diagnostics": {"enable": false}});
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let d = client
        .wait_notification("empty diagnostics", |n| {
            n["method"] == "textDocument/publishDiagnostics"
                && n["params"]["diagnostics"] == json!([])
        })
        .await;
    assert_eq!(d["params"]["uri"], URI);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspace_configuration_refines_initialization_options() {
    let mut client = TestClient::start();
    *client.configuration.lock().unwrap() = Value::Null; // a client with no settings of its own
    client
        .initialize(
            json!({"workspace": {"configuration": true}}),
            Some(json!({"docksmith": {"diagnostics": {"enable": false}}})),
        )
        .await;
    client.wait_server_requests(1).await;
    client.open(URI, 1, BROKEN);
    assert_eq!(
        client.wait_diagnostics(URI, 1).await["diagnostics"],
        json!([])
    );
    // Settings that say something else win.
    *client.configuration.lock().unwrap() = json!({"diagnostics": {"enable": true}});
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": null}),
    );
    let d = client
        .wait_notification("diagnostics again", |n| {
            n["method"] == "textDocument/publishDiagnostics"
                && n["params"]["diagnostics"]
                    .as_array()
                    .is_some_and(|a| a.len() == 2)
        })
        .await;
    assert_eq!(d["params"]["version"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_result_ids_never_repeat_across_reopen() {
    let client = started(json!({"textDocument": {"diagnostic": {}}})).await;
    let pull = |prev: Option<String>| {
        let mut params = json!({"textDocument": {"uri": URI}});
        if let Some(p) = prev {
            params["previousResultId"] = json!(p);
        }
        client.request_ok("textDocument/diagnostic", params)
    };
    client.open(URI, 1, "FROM a\n");
    let first = pull(None).await;
    let id = first["resultId"].as_str().unwrap().to_owned();
    client.close(URI);
    client.open(URI, 1, BROKEN);
    let after = pull(Some(id.clone())).await;
    assert_eq!(after["kind"], "full", "reopened with other text: {after}");
    assert_eq!(after["items"].as_array().unwrap().len(), 2);
    assert_ne!(after["resultId"].as_str().unwrap(), id);
}

// ---------------------------------------------------------------------------------------------
// The direct lane (lsp/direct.rs): edits and whole-document requests served by the input task.

/// A request sent right after an edit, without waiting for anything, sees the edit: the
/// input task applies each edit before it reads the next message, whichever lane serves it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whole_document_requests_see_every_earlier_edit() {
    let client = started(json!({})).await;
    let symbols = |r: Value| -> Vec<String> {
        r.as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_owned())
            .collect()
    };
    client.open(URI, 1, "FROM alpine AS s0\n");
    let mut expected = vec!["s0".to_owned()];
    for v in 2..60 {
        let line = u32::try_from(v - 1).unwrap();
        client.edit(URI, v, (line, 0), (line, 0), &format!("FROM s0 AS s{v}\n"));
        expected.push(format!("s{v}"));
        let r = client
            .request_ok(
                "textDocument/documentSymbol",
                json!({"textDocument": {"uri": URI}}),
            )
            .await;
        assert_eq!(symbols(r), expected, "after version {v}");
    }
    client.close(URI);
    let r = client
        .request_ok(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert_eq!(r, Value::Null, "a closed document is unknown");
}

/// The pushed diagnostics reuse the JSON of unchanged findings (lsp/lint.rs); what is
/// published after many edits must equal what a fresh server publishes for the same text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reused_diagnostics_equal_fresh_ones() {
    let text = "from alpine as a\nrun apt-get install curl\nRUN cd /x && sudo make\nfrom a\n";
    let mut client = started(json!({})).await;
    client.open(URI, 1, text);
    client.wait_diagnostics(URI, 1).await;
    // Typing on line 1 moves the byte offsets of later findings, not their positions; a
    // newline moves their lines; deleting it moves them back.
    type Edit = ((u32, u32), (u32, u32), &'static str);
    let edits: &[Edit] = &[
        ((1, 24), (1, 24), " git"),
        ((0, 0), (0, 0), "\n"),
        ((0, 0), (1, 0), ""),
        ((2, 3), (2, 3), " --mount=type=cache,target=/x"),
        ((1, 4), (1, 11), "apt"),
    ];
    let mut expected = text.to_owned();
    let mut last = Value::Null;
    for (i, &(a, b, new)) in edits.iter().enumerate() {
        let v = i32::try_from(i).unwrap() + 2;
        client.edit(URI, v, a, b, new);
        last = client.wait_diagnostics(URI, i64::from(v)).await;
        expected = client.document(URI).await["text"]
            .as_str()
            .unwrap()
            .to_owned();
    }
    let mut fresh = started(json!({})).await;
    fresh.open(URI, 1, &expected);
    let want = fresh.wait_diagnostics(URI, 1).await;
    assert!(last["diagnostics"].as_array().unwrap().len() >= 4, "{last}");
    assert_eq!(last["diagnostics"], want["diagnostics"]);
}
