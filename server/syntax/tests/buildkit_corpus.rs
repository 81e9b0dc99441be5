//! BuildKit's own parser cases from `../shared/corpus` (skipped, saying so, when the
//! corpus is absent).

use std::path::Path;

mod common;

use common::corpus;
use docksmith_syntax::{Dockerfile, dump};

fn read(p: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned()
}

#[test]
fn positive_cases_dump_like_buildkit() {
    let Some(dir) = corpus() else { return };
    let mut cases: Vec<_> = std::fs::read_dir(dir.join("buildkit-parser"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    for case in &cases {
        let df = Dockerfile::parse(&read(&case.join("Dockerfile")));
        let expected = read(&case.join("result"));
        match dump::buildkit(&df) {
            Ok(got) if got == expected => {}
            Ok(got) => failures.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                case.display()
            )),
            Err(e) => failures.push(format!("{}: unexpected errors {e:?}", case.display())),
        }
    }
    eprintln!(
        "buildkit-parser: {} of {} cases match",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(cases.len(), 33);
}

#[test]
fn negative_cases_are_rejected() {
    let Some(dir) = corpus() else { return };
    let mut n = 0;
    for e in std::fs::read_dir(dir.join("buildkit-parser-negative")).unwrap() {
        let case = e.unwrap().path();
        let df = Dockerfile::parse(&read(&case.join("Dockerfile")));
        let errs = dump::buildkit(&df).expect_err(&case.display().to_string());
        eprintln!(
            "{}: {}",
            case.file_name().unwrap().to_string_lossy(),
            errs[0].message
        );
        n += 1;
    }
    assert_eq!(n, 4);
}

/// 1-based (first line, last line) of each instruction, as BuildKit's StartLine and
/// EndLine.
fn instruction_lines(text: &str, df: &Dockerfile) -> Vec<(usize, usize)> {
    let line_of = |off: u32| text[..off as usize].matches('\n').count() + 1;
    df.instructions()
        .map(|i| {
            let r = i.node_range();
            (
                line_of(r.start),
                line_of(r.end.saturating_sub(1).max(r.start)),
            )
        })
        .collect()
}

#[test]
fn line_numbers() {
    let Some(dir) = corpus() else { return };
    let text = read(&dir.join("buildkit-parser-extra/testfile-line/Dockerfile"));
    let df = Dockerfile::parse(&text);
    assert!(df.errors().is_empty(), "{:?}", df.errors());
    assert_eq!(
        instruction_lines(&text, &df),
        vec![(5, 5), (11, 12), (17, 31)]
    );
}

#[derive(Debug, PartialEq)]
struct H {
    name: String,
    content: String,
    expand: bool,
    chomp: bool,
    fd: u64,
}

#[test]
fn heredoc_cases() {
    let Some(dir) = corpus() else { return };
    let v: serde_json::Value =
        serde_json::from_str(&read(&dir.join("buildkit-parser-extra/heredoc-cases.json"))).unwrap();
    // TestParseExtractsHeredoc.
    let case = &v["TestParseExtractsHeredoc"];
    let text = case["dockerfile"].as_str().unwrap();
    let df = Dockerfile::parse(text);
    let insts: Vec<_> = df.instructions().collect();
    let items = case["expectedHeredocsPerInstruction"]["items"]
        .as_array()
        .unwrap();
    assert_eq!(insts.len(), items.len() + 1);
    for (k, expected) in items.iter().enumerate() {
        let i = &insts[k + 1];
        let got: Vec<H> = i
            .inst
            .heredocs
            .iter()
            .map(|h| H {
                name: h.name.clone(),
                content: i.text(h.body).to_string(),
                expand: h.expand,
                chomp: h.chomp,
                fd: u64::from(h.fd),
            })
            .collect();
        let want: Vec<H> = expected
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|h| H {
                        name: h["Name"].as_str().unwrap().to_string(),
                        content: h["Content"].as_str().unwrap().to_string(),
                        expand: h["Expand"].as_bool().unwrap_or(false),
                        chomp: h["Chomp"].as_bool().unwrap_or(false),
                        fd: h["FileDescriptor"].as_u64().unwrap_or(0),
                    })
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(got, want, "instruction {} ({:?})", k + 1, i.inst.logical);
    }
    // TestParseJSONHeredoc: no heredocs in JSON form.
    let df = Dockerfile::parse(v["TestParseJSONHeredoc"]["dockerfile"].as_str().unwrap());
    assert!(df.instructions().all(|i| i.inst.heredocs.is_empty()));
    assert!(df.errors().is_empty(), "{:?}", df.errors());
    // TestHeredocsFromLine.
    for c in v["TestHeredocsFromLine"].as_array().unwrap() {
        let line = c["line"].as_str().unwrap();
        let df = Dockerfile::parse(line);
        let i = df.instructions().next().unwrap();
        let names: Vec<&str> = i.inst.heredocs.iter().map(|h| h.name.as_str()).collect();
        let want: Vec<&str> = c["heredocNames"]
            .as_array()
            .map(|a| a.iter().map(|n| n.as_str().unwrap()).collect())
            .unwrap_or_default();
        assert_eq!(names, want, "{line}");
    }
}
