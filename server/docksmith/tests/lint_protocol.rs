//! Protocol tests of the rules engine: diagnostics carry code, codeDescription, source,
//! tags and related information; code actions offer fixes, "skip in file", "ignore here"
//! and `source.fixAll.docksmith`; `docksmith.rules` settings change severities.

mod support;

use serde_json::{Value, json};
use support::{TestClient, URI};

const TEXT: &str = "FROM alpine as Build\nMAINTAINER me\nCMD run it\n";

async fn started(options: Option<Value>) -> TestClient {
    let client = TestClient::start();
    client.initialize(json!({}), options).await;
    client
}

fn by_code<'a>(diags: &'a Value, code: &str) -> &'a Value {
    diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diags}"))
}

#[tokio::test]
async fn diagnostics_carry_rule_metadata() {
    let mut c = started(None).await;
    c.open(URI, 1, TEXT);
    let p = c.wait_diagnostics(URI, 1).await;
    let d = &p["diagnostics"];
    let casing = by_code(d, "FromAsCasing");
    assert_eq!(casing["source"], "docksmith");
    assert_eq!(casing["severity"], 2);
    assert_eq!(
        casing["codeDescription"]["href"],
        "https://docs.docker.com/go/dockerfile/rule/from-as-casing/"
    );
    assert_eq!(
        casing["range"],
        json!({"start": {"line": 0, "character": 12}, "end": {"line": 0, "character": 14}})
    );
    let m = by_code(d, "MaintainerDeprecated");
    assert_eq!(m["tags"], json!([2]));
    assert_eq!(
        by_code(d, "StageNameCasing")["message"],
        "Stage name 'Build' should be lowercase"
    );
}

#[tokio::test]
async fn settings_change_severity_and_disable() {
    let opts = json!({"docksmith": {"rules": {"FromAsCasing": "error", "MaintainerDeprecated": "off", "DL3025": {"severity": "hint"}}}});
    let mut c = started(Some(opts)).await;
    c.open(URI, 1, TEXT);
    let p = c.wait_diagnostics(URI, 1).await;
    let d = &p["diagnostics"];
    assert_eq!(by_code(d, "FromAsCasing")["severity"], 1);
    assert_eq!(by_code(d, "JSONArgsRecommended")["severity"], 4);
    assert!(
        !d.as_array()
            .unwrap()
            .iter()
            .any(|x| x["code"] == "MaintainerDeprecated")
    );
}

fn apply(text: &str, edits: &Value) -> String {
    // Edits of one document, non-overlapping; positions are UTF-16 = bytes here (ASCII).
    let lines: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let off = |p: &Value| {
        lines[p["line"].as_u64().unwrap() as usize] + p["character"].as_u64().unwrap() as usize
    };
    let mut es: Vec<(usize, usize, String)> = edits
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                off(&e["range"]["start"]),
                off(&e["range"]["end"]),
                e["newText"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    es.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut s = text.to_owned();
    for (a, b, t) in es {
        s.replace_range(a..b, &t);
    }
    s
}

#[tokio::test]
async fn quick_fixes_and_fix_all() {
    let mut c = started(None).await;
    c.open(URI, 1, TEXT);
    let p = c.wait_diagnostics(URI, 1).await;
    let casing = by_code(&p["diagnostics"], "FromAsCasing").clone();
    let actions = c
        .request_ok(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": casing["range"], "context": {"diagnostics": [casing]}}),
        )
        .await;
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Change to 'AS'"), "{titles:?}");
    assert!(
        titles.contains(&"Skip FromAsCasing in this file"),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Ignore FromAsCasing for this instruction"),
        "{titles:?}"
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Change to 'AS'")
        .unwrap();
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    let edits = &fix["edit"]["changes"][URI];
    assert_eq!(
        apply(TEXT, edits),
        "FROM alpine AS Build\nMAINTAINER me\nCMD run it\n"
    );
    let skip = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Skip FromAsCasing in this file")
        .unwrap();
    assert_eq!(
        apply(TEXT, &skip["edit"]["changes"][URI]),
        format!("# check=skip=FromAsCasing\n{TEXT}")
    );

    let all = c
        .request_ok(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
        )
        .await;
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0]["kind"], "source.fixAll.docksmith");
    assert_eq!(
        apply(TEXT, &all[0]["edit"]["changes"][URI]),
        "FROM alpine AS build\nLABEL org.opencontainers.image.authors=\"me\"\nCMD [\"run\", \"it\"]\n"
    );
}

#[tokio::test]
async fn capabilities_advertise_code_actions() {
    let c = TestClient::start();
    let r = c.initialize(json!({}), None).await;
    let kinds = &r["capabilities"]["codeActionProvider"]["codeActionKinds"];
    assert_eq!(kinds, &json!(["quickfix", "source.fixAll.docksmith"]));
}

#[tokio::test]
async fn configuration_and_dockerignore_are_read_beside_the_file() {
    let dir = std::env::temp_dir().join(format!("docksmith lint {}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(".docksmith.toml"),
        "[rules]\nStageNameCasing = \"off\"\n",
    )
    .unwrap();
    std::fs::write(dir.join(".dockerignore"), "secret.txt\n").unwrap();
    // A space in the path: the URI is percent-encoded.
    let uri = format!("file://{}/Dockerfile", dir.display()).replace(' ', "%20");
    let mut c = started(None).await;
    c.open(&uri, 1, "FROM alpine:3 AS Build\nCOPY secret.txt /x\n");
    let p = c.wait_diagnostics(&uri, 1).await;
    let codes: Vec<&str> = p["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["CopyIgnoredFile"], "{p}");
    let _ = std::fs::remove_dir_all(&dir);
}
