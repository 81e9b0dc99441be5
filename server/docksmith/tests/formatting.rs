//! Protocol tests of formatting: `textDocument/formatting`, `rangeFormatting` and
//! `onTypeFormatting`, their options (editor, `docksmith.format.*` settings,
//! `.docksmith.toml`) and position encodings. The edits are applied by a text model written
//! here, independently of the server (lines end at `\n`; columns in UTF-16 or UTF-8).

mod support;

use serde_json::{Value, json};
use support::{TestClient, URI};

/// Byte offset of an LSP position.
fn offset(text: &str, pos: &Value, utf8: bool) -> usize {
    let line = pos["line"].as_u64().unwrap() as usize;
    let col = pos["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let rest = &text[start..];
    let mut units = 0;
    for (i, c) in rest.char_indices() {
        if units >= col || c == '\n' {
            return start + i;
        }
        units += if utf8 { c.len_utf8() } else { c.len_utf16() };
    }
    text.len()
}

/// Apply LSP edits (non-overlapping, as the spec requires) to `text`.
fn apply(text: &str, edits: &Value, utf8: bool) -> String {
    let mut es: Vec<(usize, usize, String)> = edits
        .as_array()
        .expect("edits")
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"], utf8),
                offset(text, &e["range"]["end"], utf8),
                e["newText"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    es.sort();
    for w in es.windows(2) {
        assert!(w[0].1 <= w[1].0, "overlapping edits {edits}");
    }
    let mut out = text.to_owned();
    for (s, e, t) in es.into_iter().rev() {
        out.replace_range(s..e, &t);
    }
    out
}

fn opts(tab_size: u32, insert_spaces: bool) -> Value {
    json!({"tabSize": tab_size, "insertSpaces": insert_spaces})
}

async fn format(client: &TestClient, uri: &str, options: Value) -> Value {
    client
        .request_ok(
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri}, "options": options}),
        )
        .await
}

/// Keyword case, spacing, trailing white space, and nested continuation lines (`curl`
/// one level, `git` two: distinct indentations become levels).
const MESSY: &str =
    "from  alpine   as build\nrun apk add \\\n  curl \\\n\t\tgit   \n  copy . /src\n";

#[tokio::test]
async fn capabilities_advertise_formatting() {
    let client = TestClient::start();
    let init = client.initialize(json!({}), None).await;
    let caps = &init["capabilities"];
    assert_eq!(caps["documentFormattingProvider"], json!(true));
    assert_eq!(caps["documentRangeFormattingProvider"], json!(true));
    assert_eq!(
        caps["documentOnTypeFormattingProvider"]["firstTriggerCharacter"],
        json!("\n")
    );
}

#[tokio::test]
async fn document_formatting_with_editor_options() {
    let client = TestClient::start();
    client.initialize(json!({}), None).await;
    client.open(URI, 1, MESSY);
    let edits = format(&client, URI, opts(4, true)).await;
    assert_eq!(
        apply(MESSY, &edits, false),
        "FROM alpine AS build\nRUN apk add \\\n    curl \\\n        git\nCOPY . /src\n"
    );
    // Minimal edits: one per changed piece, never the whole file.
    let n = edits.as_array().unwrap().len();
    assert!((8..=12).contains(&n), "{n} edits: {edits}");
    assert!(
        edits
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["range"]["start"]["line"] == e["range"]["end"]["line"]),
        "{edits}"
    );
    // Tabs, as the editor asks.
    let edits = format(&client, URI, opts(8, false)).await;
    assert_eq!(
        apply(MESSY, &edits, false),
        "FROM alpine AS build\nRUN apk add \\\n\tcurl \\\n\t\tgit\nCOPY . /src\n"
    );
    // Formatting the result gives no edits.
    let formatted = apply(MESSY, &edits, false);
    client.open(URI, 2, &formatted);
    assert_eq!(format(&client, URI, opts(8, false)).await, json!([]));
    // Unknown documents: null.
    let none = format(&client, "file:///nowhere/Dockerfile", opts(4, true)).await;
    assert_eq!(none, Value::Null);
}

#[tokio::test]
async fn settings_choose_keyword_case_and_indentation() {
    let client = TestClient::start();
    let settings = json!({"docksmith": {"format": {"keywordCase": "lower", "indentWidth": 2, "keepMultiline": false}}});
    client.initialize(json!({}), Some(settings)).await;
    client.open(URI, 1, MESSY);
    let edits = format(&client, URI, opts(8, false)).await;
    assert_eq!(
        apply(MESSY, &edits, false),
        "from alpine as build\nrun apk add \\\n  curl \\\n    git\ncopy . /src\n"
    );
    // keepMultiline leaves continuation lines alone (settings merge over the
    // initialization options: keywordCase stays lower).
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"docksmith": {"format": {"keepMultiline": true}}}}),
    );
    let mut out = String::new();
    for _ in 0..50 {
        let edits = format(&client, URI, opts(4, true)).await;
        out = apply(MESSY, &edits, false);
        if out.contains("\t\tgit") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        out,
        "from alpine as build\nrun apk add \\\n  curl \\\n\t\tgit   \ncopy . /src\n"
    );
}

#[tokio::test]
async fn project_file_wins_over_settings() {
    let dir = std::env::temp_dir().join(format!("docksmith-fmt-test-{}", std::process::id()));
    let sub = dir.join("app");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(
        dir.join(".docksmith.toml"),
        "[format]\nindent-width = 3\nkeyword-case = \"lower\"\n",
    )
    .unwrap();
    let path = sub.join("Dockerfile");
    std::fs::write(&path, MESSY).unwrap();
    let uri = format!("file://{}", path.display());
    let client = TestClient::start();
    let settings = json!({"docksmith": {"format": {"keywordCase": "upper", "indentWidth": 2}}});
    client.initialize(json!({}), Some(settings)).await;
    client.open(&uri, 1, MESSY);
    let edits = format(&client, &uri, opts(4, true)).await;
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        apply(MESSY, &edits, false),
        "from alpine as build\nrun apk add \\\n   curl \\\n      git\ncopy . /src\n"
    );
}

#[tokio::test]
async fn range_formatting_touches_only_the_lines_in_range() {
    let client = TestClient::start();
    client.initialize(json!({}), None).await;
    client.open(URI, 1, MESSY);
    let edits = client
        .request_ok(
            "textDocument/rangeFormatting",
            json!({"textDocument": {"uri": URI}, "options": opts(4, true),
                   "range": {"start": {"line": 2, "character": 1}, "end": {"line": 3, "character": 0}}}),
        )
        .await;
    assert_eq!(
        apply(MESSY, &edits, false),
        "from  alpine   as build\nrun apk add \\\n    curl \\\n        git\n  copy . /src\n"
    );
}

#[tokio::test]
async fn on_type_formatting_indents_the_new_line() {
    let client = TestClient::start();
    client.initialize(json!({}), None).await;
    // The user typed Enter after a continuation; the editor put no indentation.
    let text = "FROM a\nRUN apt-get update && \\\n\nCOPY . .\n";
    client.open(URI, 1, text);
    let edits = client
        .request_ok(
            "textDocument/onTypeFormatting",
            json!({"textDocument": {"uri": URI}, "options": opts(4, true), "ch": "\n",
                   "position": {"line": 2, "character": 0}}),
        )
        .await;
    assert_eq!(
        apply(text, &edits, false),
        "FROM a\nRUN apt-get update && \\\n    \nCOPY . .\n"
    );
    // Any other character: nothing.
    let edits = client
        .request_ok(
            "textDocument/onTypeFormatting",
            json!({"textDocument": {"uri": URI}, "options": opts(4, true), "ch": "a",
                   "position": {"line": 1, "character": 3}}),
        )
        .await;
    assert_eq!(edits, json!([]));
}

#[tokio::test]
async fn positions_in_utf16_and_utf8() {
    // Astral characters before the edits on the same line.
    let text = "LABEL a=\"🐳🐳\"    b=c\nrun x\n";
    let want = "LABEL a=\"🐳🐳\" b=c\nRUN x\n";
    for (caps, utf8) in [
        (json!({}), false),
        (json!({"general": {"positionEncodings": ["utf-8"]}}), true),
    ] {
        let client = TestClient::start();
        client.initialize(caps, None).await;
        client.open(URI, 1, text);
        let edits = format(&client, URI, opts(4, true)).await;
        assert_eq!(apply(text, &edits, utf8), want, "utf8={utf8}: {edits}");
    }
}
