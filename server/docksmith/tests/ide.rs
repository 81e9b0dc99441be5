//! Protocol tests of hover, completion, signature help and semantic tokens: the real server,
//! in process, over framed pipes (see `support`).

mod support;

use serde_json::{Value, json};
use support::{TestClient, URI};

const TEXT: &str = "FROM nginx:1.27 AS web\n\
ENTRYPOINT [\"/docker-entrypoint.sh\"]\n\
CMD [\"nginx\", \"-g\", \"daemon off;\"]\n\
\n\
FROM alpine\n\
LABEL title=\"ünï\" mode=x\n\
COPY --from=";

fn pos(line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}})
}

async fn started(capabilities: Value) -> TestClient {
    let client = TestClient::start();
    let init = client.initialize(capabilities, None).await;
    let caps = &init["capabilities"];
    assert_eq!(caps["hoverProvider"], json!(true));
    assert!(caps["completionProvider"]["triggerCharacters"].is_array());
    assert!(caps["signatureHelpProvider"]["triggerCharacters"].is_array());
    assert_eq!(caps["semanticTokensProvider"]["full"]["delta"], json!(true));
    client.open(URI, 1, TEXT);
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_entrypoint_shows_the_command_line() {
    let client = started(json!({})).await;
    let h = client.request_ok("textDocument/hover", pos(1, 3)).await;
    assert_eq!(h["contents"]["kind"], "markdown");
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(
        md.contains("/docker-entrypoint.sh nginx -g \"daemon off;\""),
        "{md}"
    );
    assert!(md.contains("replaces CMD"), "{md}");
    assert_eq!(
        h["range"],
        json!({"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 10}})
    );
    // Nothing to say on a blank line.
    assert_eq!(
        client.request_ok("textDocument/hover", pos(3, 0)).await,
        Value::Null
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_in_plain_text_when_the_client_prefers_it() {
    let client =
        started(json!({"textDocument": {"hover": {"contentFormat": ["plaintext", "markdown"]}}}))
            .await;
    let h = client.request_ok("textDocument/hover", pos(0, 1)).await;
    assert_eq!(h["contents"]["kind"], "plaintext");
    let text = h["contents"]["value"].as_str().unwrap();
    assert!(text.contains("Stage web") && !text.contains("**"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_after_copy_from_at_the_end_of_the_file() {
    let client = started(json!({})).await;
    let r = client
        .request_ok("textDocument/completion", pos(6, 12))
        .await;
    let items = r.as_array().unwrap();
    let labels: Vec<&str> = items.iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["web"]);
    assert_eq!(
        items[0]["textEdit"]["range"],
        json!({"start": {"line": 6, "character": 12}, "end": {"line": 6, "character": 12}})
    );
    assert_eq!(items[0]["kind"], json!(7)); // Class
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_snippets_follow_the_client() {
    let with = started(
        json!({"textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}}),
    )
    .await;
    let items = with.request_ok("textDocument/completion", pos(3, 0)).await;
    let from = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "FROM")
        .unwrap()
        .clone();
    assert_eq!(from["textEdit"]["newText"], "FROM ${1:image}");
    assert_eq!(from["insertTextFormat"], json!(2));
    let without = started(json!({})).await;
    let items = without
        .request_ok("textDocument/completion", pos(3, 0))
        .await;
    let from = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "FROM")
        .unwrap()
        .clone();
    assert_eq!(from["textEdit"]["newText"], "FROM image");
    assert_eq!(from["insertTextFormat"], json!(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signature_help_marks_the_parameter() {
    let client = started(json!({})).await;
    let h = client
        .request_ok("textDocument/signatureHelp", pos(0, 5))
        .await;
    let sig = &h["signatures"][h["activeSignature"].as_u64().unwrap() as usize];
    let p = &sig["parameters"][h["activeParameter"].as_u64().unwrap() as usize]["label"];
    let label = sig["label"].as_str().unwrap();
    let (a, b) = (
        p[0].as_u64().unwrap() as usize,
        p[1].as_u64().unwrap() as usize,
    );
    assert_eq!(&label[a..b], "<image>[:<tag>|@<digest>]");
}

/// Decode LSP tokens to `(line, col, len, type)`.
fn decode(data: &Value) -> Vec<(u64, u64, u64, u64)> {
    let d: Vec<u64> = data
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let (mut line, mut col) = (0, 0);
    d.chunks(5)
        .map(|c| {
            if c[0] > 0 {
                col = 0;
            }
            line += c[0];
            col += c[1];
            (line, col, c[2], c[3])
        })
        .collect()
}

fn text_of(text: &str, (line, col, len, _): (u64, u64, u64, u64), utf16: bool) -> String {
    let l = text.split('\n').nth(line as usize).unwrap();
    if utf16 {
        let u: Vec<u16> = l.encode_utf16().collect();
        String::from_utf16(&u[col as usize..(col + len) as usize]).unwrap()
    } else {
        l[col as usize..(col + len) as usize].to_string()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn semantic_tokens_in_both_encodings() {
    for (caps, utf16) in [
        (json!({}), true),
        (json!({"general": {"positionEncodings": ["utf-8"]}}), false),
    ] {
        let client = started(caps).await;
        let r = client
            .request_ok(
                "textDocument/semanticTokens/full",
                json!({"textDocument": {"uri": URI}}),
            )
            .await;
        let toks = decode(&r["data"]);
        let texts: Vec<String> = toks.iter().map(|t| text_of(TEXT, *t, utf16)).collect();
        assert!(texts.contains(&"\"ünï\"".to_string()), "{texts:?}");
        assert!(texts.contains(&"ENTRYPOINT".to_string()));
        assert!(texts.contains(&"--from".to_string()));
        // The token after the non-ASCII string starts where the text says.
        let i = texts.iter().position(|t| t == "mode").unwrap();
        assert_eq!(toks[i].3, 3, "a LABEL key is a property");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn semantic_token_deltas_rebuild_the_new_tokens() {
    let client = started(json!({})).await;
    let first = client
        .request_ok(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    client.edit(URI, 2, (4, 0), (4, 0), "RUN --network=none echo $HOME\n");
    let delta = client
        .request_ok(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": {"uri": URI}, "previousResultId": first["resultId"]}),
        )
        .await;
    let mut data: Vec<Value> = first["data"].as_array().unwrap().clone();
    for e in delta["edits"].as_array().unwrap() {
        let start = e["start"].as_u64().unwrap() as usize;
        let del = e["deleteCount"].as_u64().unwrap() as usize;
        let new = e["data"].as_array().cloned().unwrap_or_default();
        data.splice(start..start + del, new);
    }
    let full = client
        .request_ok(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    assert_eq!(Value::Array(data), full["data"]);
    // An unknown previous id gets full tokens.
    let again = client
        .request_ok(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": {"uri": URI}, "previousResultId": "nope"}),
        )
        .await;
    assert_eq!(again["data"], full["data"]);
    // A range is a slice of the full result (in absolute positions).
    let range = client
        .request_ok(
            "textDocument/semanticTokens/range",
            json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 4, "character": 0}, "end": {"line": 5, "character": 0}}}),
        )
        .await;
    let all = decode(&full["data"]);
    let part = decode(&range["data"]);
    assert!(
        !part.is_empty() && part.iter().all(|t| all.contains(t)),
        "{part:?}"
    );
}
