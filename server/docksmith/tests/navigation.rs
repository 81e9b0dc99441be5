//! Protocol tests of navigation: the real server in process, positions in UTF-16 (the
//! default) with non-ASCII text before the cursors, results checked against the text.

mod support;

use serde_json::{Value, json};
use support::{TestClient, URI};

/// `é` before the names makes UTF-16 columns differ from byte columns.
const TEXT: &str = "\
ARG GO_VERSION=1.22
FROM golang:${GO_VERSION} AS builder
RUN echo é > /out
FROM alpine AS final
LABEL note=\"é\"
COPY --from=builder /out /out
COPY --from=0 /out /out2
";

/// (line, UTF-16 column) of the `n`-th occurrence of `needle`, plus `delta` characters.
fn pos(text: &str, needle: &str, n: usize, delta: usize) -> Value {
    let off = text.match_indices(needle).nth(n).unwrap().0;
    let before = &text[..off];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[start..].encode_utf16().count() + delta;
    json!({"line": line, "character": col})
}

fn range_text(text: &str, r: &Value) -> String {
    let line = |p: &Value| -> (usize, usize) {
        (
            p["line"].as_u64().unwrap() as usize,
            p["character"].as_u64().unwrap() as usize,
        )
    };
    let (l1, c1) = line(&r["start"]);
    let (l2, c2) = line(&r["end"]);
    assert_eq!(l1, l2, "single-line range expected");
    let l: Vec<u16> = text.lines().nth(l1).unwrap().encode_utf16().collect();
    String::from_utf16(&l[c1..c2]).unwrap()
}

async fn started() -> TestClient {
    let client = TestClient::start();
    let init = client.initialize(json!({}), None).await;
    let caps = &init["capabilities"];
    for cap in [
        "definitionProvider",
        "referencesProvider",
        "documentHighlightProvider",
        "documentSymbolProvider",
        "foldingRangeProvider",
        "selectionRangeProvider",
        "inlayHintProvider",
        "workspaceSymbolProvider",
    ] {
        assert_eq!(caps[cap], true, "{cap} in {caps}");
    }
    assert_eq!(caps["renameProvider"]["prepareProvider"], true);
    assert!(caps["codeLensProvider"].is_object());
    client.open(URI, 1, TEXT);
    client
}

fn at(needle: &str, n: usize, delta: usize) -> Value {
    json!({"textDocument": {"uri": URI}, "position": pos(TEXT, needle, n, delta)})
}

#[tokio::test]
async fn definition_references_highlight() {
    let client = started().await;
    // COPY --from=builder -> AS builder
    let r = client
        .request_ok("textDocument/definition", at("builder", 1, 2))
        .await;
    assert_eq!(r[0]["uri"], URI);
    assert_eq!(r[0]["range"]["start"], pos(TEXT, "builder", 0, 0));
    assert_eq!(range_text(TEXT, &r[0]["range"]), "builder");
    // --from=0 -> stage 0
    let r = client
        .request_ok("textDocument/definition", at("=0", 0, 1))
        .await;
    assert_eq!(r[0]["range"]["start"], pos(TEXT, "builder", 0, 0));
    // ${GO_VERSION} -> ARG GO_VERSION
    let r = client
        .request_ok("textDocument/definition", at("GO_VERSION}", 0, 3))
        .await;
    assert_eq!(r[0]["range"]["start"], pos(TEXT, "GO_VERSION", 0, 0));
    // Nothing under the cursor: null.
    let r = client
        .request_ok("textDocument/definition", at("alpine", 0, 1))
        .await;
    assert!(r.is_null(), "{r}");

    let mut p = at("builder", 0, 1);
    p["context"] = json!({"includeDeclaration": true});
    let refs = client
        .request_ok("textDocument/references", p.clone())
        .await;
    let texts: Vec<String> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| range_text(TEXT, &l["range"]))
        .collect();
    assert_eq!(texts, ["builder", "builder", "0"]);
    p["context"] = json!({"includeDeclaration": false});
    let refs = client.request_ok("textDocument/references", p).await;
    assert_eq!(refs.as_array().unwrap().len(), 2);

    let hs = client
        .request_ok("textDocument/documentHighlight", at("builder", 0, 0))
        .await;
    let kinds: Vec<i64> = hs
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_i64().unwrap())
        .collect();
    assert_eq!(kinds, [3, 2, 2]); // write, read, read
}

#[tokio::test]
async fn rename_and_refusals() {
    let client = started().await;
    let r = client
        .request_ok("textDocument/prepareRename", at("builder", 1, 0))
        .await;
    assert_eq!(r["placeholder"], "builder");
    let mut p = at("builder", 1, 0);
    p["newName"] = json!("build-env");
    let edit = client.request_ok("textDocument/rename", p.clone()).await;
    let edits = edit["changes"][URI].as_array().unwrap();
    assert_eq!(edits.len(), 2);
    for e in edits {
        assert_eq!(range_text(TEXT, &e["range"]), "builder");
        assert_eq!(e["newText"], "build-env");
    }
    p["newName"] = json!("2fast");
    let resp = client.request("textDocument/rename", p.clone()).await;
    assert_eq!(resp["error"]["code"], -32803, "{resp}");
    assert!(
        resp["error"]["message"]
            .as_str()
            .unwrap()
            .contains("invalid name for build stage"),
        "{resp}"
    );
    p["newName"] = json!("final");
    let resp = client.request("textDocument/rename", p).await;
    assert!(
        resp["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already exists")
    );
    // Nothing to rename on a keyword: null, not an error.
    let r = client
        .request_ok("textDocument/prepareRename", at("RUN", 0, 1))
        .await;
    assert!(r.is_null(), "{r}");
    // --from=0 cannot be renamed in place.
    let resp = client
        .request("textDocument/prepareRename", at("=0", 0, 1))
        .await;
    assert!(
        resp["error"]["message"]
            .as_str()
            .unwrap()
            .contains("by its index"),
        "{resp}"
    );
}

#[tokio::test]
async fn outline_folding_selection_lenses_hints() {
    let client = started().await;
    let doc = json!({"textDocument": {"uri": URI}});
    let syms = client
        .request_ok("textDocument/documentSymbol", doc.clone())
        .await;
    let names: Vec<&str> = syms
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["GO_VERSION", "builder", "final"]);
    assert_eq!(syms[2]["children"].as_array().unwrap().len(), 3);
    assert_eq!(syms[1]["detail"], "golang:${GO_VERSION} = golang:1.22");

    let folds = client
        .request_ok("textDocument/foldingRange", doc.clone())
        .await;
    let spans: Vec<(u64, u64)> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(spans, [(1, 2), (3, 6)]);

    let mut p = doc.clone();
    p["positions"] = json!([pos(TEXT, "builder", 1, 1)]);
    let sel = client.request_ok("textDocument/selectionRange", p).await;
    assert_eq!(range_text(TEXT, &sel[0]["range"]), "builder");
    let mut depth = 0;
    let mut s = &sel[0];
    while !s["parent"].is_null() {
        s = &s["parent"];
        depth += 1;
    }
    assert!(depth >= 3, "{sel}");
    assert_eq!(s["range"]["start"], json!({"line": 0, "character": 0}));

    let lenses = client
        .request_ok("textDocument/codeLens", doc.clone())
        .await;
    let lenses = lenses.as_array().unwrap();
    assert_eq!(lenses[0]["command"]["title"], "used by 1 stage: final");
    let build = &lenses[1]["command"];
    assert_eq!(build["command"], "docksmith.buildStage");
    assert_eq!(build["arguments"][0]["target"], "builder");
    assert_eq!(build["arguments"][0]["dockerfile"], URI);
    assert_eq!(
        build["arguments"][0]["commandLine"],
        "docker build --target builder ."
    );

    let mut p = doc.clone();
    p["range"] = json!({"start": {"line": 0, "character": 0}, "end": {"line": 7, "character": 0}});
    let hints = client.request_ok("textDocument/inlayHint", p).await;
    let labels: Vec<&str> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["= 1.22", "builder"]);
    assert_eq!(hints[0]["position"], pos(TEXT, "} AS", 0, 1));
}

#[tokio::test]
async fn workspace_symbols_over_open_files() {
    let client = started().await;
    client.open(
        "file:///work/other/Dockerfile",
        1,
        "FROM alpine AS builder-two\nARG X\n",
    );
    let r = client
        .request_ok("workspace/symbol", json!({"query": "bldr"}))
        .await;
    let mut names: Vec<String> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s["name"].as_str().unwrap(),
                s["location"]["uri"].as_str().unwrap()
            )
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "builder file:///work/Dockerfile",
            "builder-two file:///work/other/Dockerfile"
        ]
    );
}

#[tokio::test]
async fn compose_targets() {
    let dir = std::env::temp_dir().join(format!("docksmith-compose-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("app")).unwrap();
    std::fs::write(
        dir.join("app/Dockerfile"),
        "FROM golang AS build\nFROM scratch AS final\n",
    )
    .unwrap();
    let compose_text = "services:\n  api:\n    build:\n      context: ./app\n      target: buidl\n  web:\n    build:\n      context: ./app\n      target: final\n";
    let uri = format!("file://{}/compose.yaml", dir.display());
    let df_uri = format!("file://{}/app/Dockerfile", dir.display());

    let mut client = TestClient::start();
    client.initialize(json!({}), None).await;
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": compose_text}}),
    );
    let d = client.wait_diagnostics(&uri, 1).await;
    let diags = d["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{d}");
    assert_eq!(diags[0]["range"]["start"], pos(compose_text, "buidl", 0, 0));
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .contains("its stages are: build, final"),
        "{d}"
    );

    let at = |needle: &str| json!({"textDocument": {"uri": uri}, "position": pos(compose_text, needle, 0, 1)});
    let def = client
        .request_ok("textDocument/definition", at("final"))
        .await;
    assert_eq!(def["uri"], df_uri);
    assert_eq!(def["range"]["start"], json!({"line": 1, "character": 16}));

    let items = client
        .request_ok("textDocument/completion", at("buidl"))
        .await;
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["build", "final"]);
    assert_eq!(
        items[0]["textEdit"]["range"]["start"],
        pos(compose_text, "buidl", 0, 0)
    );

    // Fixing the target clears the diagnostic; an open (unsaved) Dockerfile wins over disk.
    client.open(&df_uri, 1, "FROM golang AS buidl\n");
    client.change(
        &uri,
        2,
        json!([{"text": compose_text.replace("final", "nope")}]),
    );
    let d = client.wait_diagnostics(&uri, 2).await;
    let msgs: Vec<&str> = d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["message"].as_str().unwrap())
        .collect();
    assert_eq!(msgs.len(), 1, "{d}");
    assert!(msgs[0].contains("\"nope\""), "{d}");
    // Other YAML files get nothing, not Dockerfile parse errors.
    let other = format!("file://{}/values.yaml", dir.display());
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": other, "languageId": "yaml", "version": 1, "text": "a: [b\n"}}),
    );
    let d = client.wait_diagnostics(&other, 1).await;
    assert_eq!(d["diagnostics"], json!([]));
    let syms = client
        .request_ok(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": other}}),
        )
        .await;
    assert!(syms.is_null(), "{syms}");
    let _ = std::fs::remove_dir_all(&dir);
}
