//! Conformance with BuildKit's own lint tests: every case of
//! `../shared/corpus/buildkit-lint-cases.jsonl` (Dockerfile, `.dockerignore`, build
//! arguments → the exact list of warnings) is checked, and the agreement printed per
//! rule. A case matches when we report exactly the expected warnings (rule, message,
//! line) among our BuildKit-category diagnostics. Lines: BuildKit gives the line of
//! the instruction; we accept a diagnostic whose instruction spans the expected line
//! (we often point inside the instruction, e.g. at the empty continuation line).
//! Disagreements are listed in docs/conformance.md; `KNOWN` lists the cases we
//! deliberately differ on, and the test fails on any other.

use std::collections::BTreeMap;

use docksmith_analysis::diagnostics::{Options, check};
use docksmith_analysis::rules::{Category, lookup};
use docksmith_analysis::semantics::Model;
use docksmith_syntax::Dockerfile;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

/// Case ids we knowingly disagree on (explained in docs/conformance.md).
const KNOWN: &[u64] = &[];

fn line_of(text: &str, offset: u32) -> usize {
    text[..(offset as usize).min(text.len())]
        .matches('\n')
        .count()
        + 1
}

#[test]
fn buildkit_lint_cases() {
    let path = format!("{CORPUS}/buildkit-lint-cases.jsonl");
    let Ok(data) = std::fs::read_to_string(&path) else {
        eprintln!("SKIPPED: {path} not found");
        return;
    };
    // rule -> (matched expected warnings, total expected warnings)
    let mut per_rule: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut cases_ok, mut cases) = (0, 0);
    let mut failures = Vec::new();
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = case["id"].as_u64().unwrap();
        let text = case["dockerfile"].as_str().unwrap();
        let ignore = case["dockerIgnore"].as_str();
        let check_arg = case["frontendAttrs"]["build-arg:BUILDKIT_DOCKERFILE_CHECK"].as_str();
        // BuildKit's lint subrequest (`unmarshalWarnings`, all targets) compares rule,
        // description, URL and detail, not lines.
        let unmarshal = case.get("unmarshalWarnings").is_some();
        let expected = case
            .get("unmarshalWarnings")
            .unwrap_or(&case["warnings"])
            .as_array()
            .unwrap();
        let opts = Options {
            dockerignore: ignore,
            buildkit_check: check_arg,
            ..Options::default()
        };
        let df = Dockerfile::parse(text);
        let model = Model::build(&df);
        let got: Vec<_> = check(&df, &model, &opts)
            .into_iter()
            .filter(|d| lookup(d.rule).is_some_and(|r| r.meta.category == Category::BuildKit))
            .collect();
        // (rule, message, first line, last line of the instruction)
        let mut ours: Vec<(String, String, usize, usize)> = got
            .iter()
            .map(|d| {
                let (a, b) = match df.instruction_at(d.range.start) {
                    Some(i) => (line_of(text, i.range().start), line_of(text, i.range().end)),
                    None => (line_of(text, d.range.start), line_of(text, d.range.start)),
                };
                let own = line_of(text, d.range.start);
                (
                    d.rule.to_string(),
                    d.message.clone(),
                    a.min(own),
                    b.max(own),
                )
            })
            .collect();
        let mut missing = Vec::new();
        for w in expected {
            let rule = w["ruleName"].as_str().unwrap().to_string();
            let detail = w["detail"].as_str().unwrap();
            let l = w["line"].as_u64().unwrap() as usize;
            let e = per_rule.entry(rule.clone()).or_default();
            e.1 += 1;
            if let Some(k) = ours.iter().position(|(r, m, a, b)| {
                *r == rule && m == detail && (unmarshal || (*a <= l && l <= *b))
            }) {
                ours.remove(k);
                e.0 += 1;
            } else {
                missing.push(format!("{rule} line {l}: {detail}"));
            }
        }
        cases += 1;
        if missing.is_empty() && ours.is_empty() {
            cases_ok += 1;
        } else if !KNOWN.contains(&id) {
            failures.push(format!(
                "case {id} ({}):\n  missing: {missing:?}\n  extra: {ours:?}\n{text}",
                case["testFunc"].as_str().unwrap_or("")
            ));
        }
        for (r, ..) in &ours {
            per_rule.entry(format!("{r} (extra)")).or_default().1 += 1;
        }
    }
    eprintln!("BuildKit lint cases: {cases_ok}/{cases} cases match exactly");
    for (rule, (m, t)) in &per_rule {
        eprintln!("  {rule:<34} {m}/{t}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
