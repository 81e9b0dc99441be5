//! Compose build targets, data-driven: each `data/compose/<case>/compose.yaml` (with
//! cursor markers: `definition`, `completion`) is read with the Dockerfiles beside it;
//! the builds, diagnostics and cursor results are rendered as markers into
//! `compose.expected`. `UPDATE_SNAPSHOTS=1` rewrites them.

use std::path::Path;

use docksmith_analysis::Model;
use docksmith_analysis::compose::{self, check_target, complete_target, parse_compose, target_at};
use docksmith_analysis::fixture::{Fixture, render};
use docksmith_syntax::{Dockerfile, TextRange};

fn run(dir: &Path) -> String {
    let raw = std::fs::read_to_string(dir.join("compose.yaml")).unwrap();
    let fx = Fixture::parse(&raw);
    let file = parse_compose(&fx.text);
    let load = |b: &compose::ComposeBuild| -> Result<(String, Model), String> {
        let rel = b
            .dockerfile_path()
            .ok_or_else(|| "Dockerfile location unknown (remote or inline)".to_string())?;
        let text =
            std::fs::read_to_string(dir.join(&rel)).map_err(|_| format!("{rel}: not found"))?;
        Ok((rel, Model::build(&Dockerfile::parse(&text))))
    };
    let mut anns: Vec<(TextRange, String)> = Vec::new();
    if let Some((r, e)) = &file.error {
        anns.push((*r, format!("yaml error: {e}")));
    }
    for b in &file.builds {
        anns.push((
            b.service_range,
            format!(
                "service dockerfile={:?} target={:?}",
                b.dockerfile_path(),
                b.target.as_ref().map(|t| t.value.as_str())
            ),
        ));
        match load(b) {
            Ok((rel, m)) => {
                if let Some(d) = check_target(b, &m, &rel) {
                    anns.push((d.range, format!("error: {}", d.message)));
                }
            }
            Err(e) => {
                if let Some(t) = &b.target {
                    anns.push((t.range, format!("unchecked: {e}")));
                }
            }
        }
    }
    for mk in fx.markers.iter().filter(|m| m.cursor) {
        let at = mk.range.start;
        anns.push((mk.range, mk.message.clone()));
        let Some(b) = target_at(&file, at) else {
            anns.push((mk.range, "-> no target here".into()));
            continue;
        };
        let Ok((rel, m)) = load(b) else { continue };
        match mk.message.as_str() {
            "definition" => {
                let t = b.target.as_ref().unwrap();
                let msg = match compose::resolve_target(&m, &t.value) {
                    Some(s) => format!(
                        "-> {rel} stage {s} at {:?}",
                        m.stages[s].name.as_ref().unwrap().range
                    ),
                    None => "-> no such stage".into(),
                };
                anns.push((mk.range, msg));
            }
            "completion" => {
                let items: Vec<String> = complete_target(&m)
                    .into_iter()
                    .map(|(n, d)| format!("{n} ({d})"))
                    .collect();
                anns.push((
                    b.target.as_ref().unwrap().range,
                    format!("replace with one of: {}", items.join(", ")),
                ));
            }
            other => panic!("unknown request {other}"),
        }
    }
    render(&fx.text, &anns)
}

#[test]
fn compose_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/compose");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    let mut failures = Vec::new();
    for dir in &dirs {
        let got = run(dir);
        let exp = dir.join("compose.expected");
        let expected = std::fs::read_to_string(&exp).unwrap_or_default();
        if got != expected {
            if update {
                std::fs::write(&exp, &got).unwrap();
            } else {
                failures.push(format!(
                    "{}\n--- expected\n{expected}\n--- got\n{got}",
                    dir.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn broken_yaml_keeps_what_came_before() {
    let text = "services:\n  a:\n    build:\n      target: one\n  b: [unclosed\n";
    let f = parse_compose(text);
    assert_eq!(f.builds.len(), 1);
    assert_eq!(f.builds[0].target.as_ref().unwrap().value, "one");
    let (r, msg) = f.error.unwrap();
    assert!(
        r.start as usize >= text.find("[unclosed").unwrap(),
        "{r:?} {msg}"
    );
}

#[test]
fn non_ascii_offsets_are_bytes() {
    let text = "# é ü\nservices:\n  wéb:\n    build:\n      target: bäse\n";
    let f = parse_compose(text);
    let t = f.builds[0].target.as_ref().unwrap();
    assert_eq!(&text[t.range.as_usize()], "bäse");
    assert_eq!(&text[f.builds[0].service_range.as_usize()], "wéb");
}
