//! Agreement with rcjsuen's dockerfile-utils validator (the engine of
//! docker-langserver) over its 5,581 recorded cases
//! (`../shared/corpus/dockerfile-utils-cases.jsonl`). Its codes are mapped to our rules
//! where they mean the same thing; an expected diagnostic is matched when we report the
//! mapped rule on the same line (LSP line numbering, as the recording). "Extra" counts
//! our diagnostics of a mapped rule on lines where dockerfile-utils reports nothing of
//! that family (and has not switched the check off in the case's settings).
//! Differences are explained in docs/conformance.md; the test fails when agreement
//! drops below what is recorded there.

use std::collections::BTreeMap;

use docksmith_analysis::diagnostics::{Options, check_text};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

/// dockerfile-utils code → our rule.
fn map(code: &str) -> Option<&'static str> {
    Some(match code {
        "ARGUMENT_MISSING"
        | "ARGUMENT_REQUIRES_AT_LEAST_TWO"
        | "ARGUMENT_REQUIRES_AT_LEAST_ONE"
        | "ARGUMENT_REQUIRES_ONE_OR_THREE"
        | "ARGUMENT_EXTRA"
        | "ARGUMENT_UNNECESSARY"
        | "HEALTHCHECK_CMD_ARGUMENT_MISSING"
        | "UNKNOWN_TYPE"
        | "INVALID_AS" => "ArgumentCount",
        "ARGUMENT_REQUIRES_TWO"
        | "SYNTAX_MISSING_EQUALS"
        | "INVALID_ESCAPE_DIRECTIVE"
        | "DUPLICATED_ESCAPE_DIRECTIVE" => "ParseError",
        "SHELL_REQUIRES_ONE" | "SHELL_JSON_FORM" => "ShellJsonForm",
        "UNSUPPORTED_MODIFIER" => "UnsupportedModifier",
        "INVALID_REFERENCE_FORMAT" => "InvalidImageReference",
        "BASE_NAME_EMPTY" => "InvalidDefaultArgInFrom",
        "JSON_IN_SINGLE_QUOTES" => "JsonSingleQuotes",
        "MULTIPLE_INSTRUCTIONS" => "MultipleInstructionsDisallowed",
        "SYNTAX_MISSING_DOUBLE_QUOTE" | "SYNTAX_MISSING_SINGLE_QUOTE" | "SYNTAX_MISSING_NAMES" => {
            "InvalidKeyValue"
        }
        "FLAG_LESS_THAN_1MS"
        | "FLAG_MISSING_DURATION"
        | "FLAG_UNKNOWN_UNIT"
        | "FLAG_INVALID_DURATION"
        | "FLAG_DUPLICATE"
        | "FLAG_MISSING_VALUE"
        | "FLAG_EXPECTED_BOOLEAN_VALUE"
        | "FLAG_INVALID_FROM_VALUE"
        | "FLAG_AT_LEAST_ONE"
        | "INVALID_SYNTAX" => "InvalidFlagValue",
        "INVALID_PORT" | "INVALID_PROTO" => "InvalidPort",
        "WORKDIR_IS_NOT_ABSOLUTE" => "WorkdirRelativePath",
        "INVALID_DESTINATION" => "CopyDestination",
        "UNKNOWN_INSTRUCTION" => "UnknownInstruction",
        "NO_SOURCE_IMAGE" => "InstructionBeforeFrom",
        "ONBUILD_TRIGGER_DISALLOWED" | "ONBUILD_CHAINING_DISALLOWED" => "OnbuildTrigger",
        "EMPTY_CONTINUATION_LINE" => "NoEmptyContinuation",
        "UNKNOWN_ADD_FLAG"
        | "UNKNOWN_COPY_FLAG"
        | "UNKNOWN_FROM_FLAG"
        | "UNKNOWN_HEALTHCHECK_FLAG" => "UnknownFlag",
        "DUPLICATE_BUILD_STAGE_NAME" => "DuplicateStageName",
        "INVALID_SIGNAL" => "InvalidSignal",
        "DEPRECATED_MAINTAINER" => "MaintainerDeprecated",
        "INVALID_BUILD_STAGE_NAME" => "InvalidStageName",
        _ => return None,
    })
}

/// The dockerfile-utils setting that can switch a family off.
fn setting_of(rule: &str) -> &'static [&'static str] {
    match rule {
        "MaintainerDeprecated" => &["deprecatedMaintainer"],
        "NoEmptyContinuation" => &["emptyContinuationLine"],
        "MultipleInstructionsDisallowed" => &[
            "instructionCmdMultiple",
            "instructionEntrypointMultiple",
            "instructionHealthcheckMultiple",
        ],
        "JsonSingleQuotes" => &["instructionJSONInSingleQuotes"],
        "WorkdirRelativePath" => &["instructionWorkdirRelative"],
        _ => &[],
    }
}

/// LSP line of a byte offset: `\r\n`, `\n` and a lone `\r` end lines.
fn lsp_line(text: &str, offset: usize) -> usize {
    let b = text.as_bytes();
    let mut line = 0;
    let mut k = 0;
    while k < offset.min(b.len()) {
        if b[k] == b'\n' || (b[k] == b'\r' && b.get(k + 1) != Some(&b'\n')) {
            line += 1;
        }
        k += 1;
    }
    line
}

#[test]
fn dockerfile_utils_cases() {
    let path = format!("{CORPUS}/dockerfile-utils-cases.jsonl");
    let Ok(data) = std::fs::read_to_string(&path) else {
        eprintln!("SKIPPED: {path} not found");
        return;
    };
    // rule -> (matched, expected, extra)
    let mut fam: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut unmapped: BTreeMap<String, usize> = BTreeMap::new();
    let mut cases = 0;
    let mut cases_agree = 0;
    let mut samples: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = case["content"].as_str().unwrap();
        let settings = &case["settings"];
        let ours: Vec<(String, usize, usize)> = check_text(text, &Options::default())
            .iter()
            .map(|d| {
                let a = lsp_line(text, d.range.start as usize);
                let b = lsp_line(text, d.range.end as usize);
                (d.rule.to_string(), a, b)
            })
            .collect();
        let mut used = vec![false; ours.len()];
        let mut agree = true;
        for d in case["diagnostics"].as_array().unwrap() {
            let code = d["codeName"].as_str().unwrap();
            let Some(rule) = map(code) else {
                *unmapped.entry(code.to_string()).or_default() += 1;
                continue;
            };
            let l = d["range"]["start"]["line"].as_u64().unwrap() as usize;
            let e = fam.entry(rule).or_default();
            e.1 += 1;
            if let Some(k) = ours.iter().enumerate().position(|(k, (r, a, b))| {
                // An empty file: "no instructions" is our ParseError.
                let same = r == rule || (code == "NO_SOURCE_IMAGE" && r == "ParseError");
                !used[k] && same && *a <= l && l <= *b
            }) {
                used[k] = true;
                e.0 += 1;
            } else {
                agree = false;
                let s = samples.entry(format!("{rule} missing")).or_default();
                if s.len() < 3 {
                    s.push(format!(
                        "{code} line {l}: {:?}",
                        &text[..text.len().min(120)]
                    ));
                }
            }
        }
        for (k, (r, a, _)) in ours.iter().enumerate() {
            if used[k] {
                continue;
            }
            let Some(&rule) = fam.keys().find(|f| **f == r.as_str()).or_else(|| {
                // A family dockerfile-utils knows even when this case has none of it.
                [
                    "ArgumentCount",
                    "UnknownFlag",
                    "InvalidFlagValue",
                    "InvalidPort",
                    "InvalidSignal",
                    "UnsupportedModifier",
                    "ShellJsonForm",
                    "InvalidKeyValue",
                    "CopyDestination",
                    "UnknownInstruction",
                    "OnbuildTrigger",
                    "InvalidStageName",
                    "InvalidImageReference",
                    "InstructionBeforeFrom",
                    "ParseError",
                    "DuplicateStageName",
                    "MaintainerDeprecated",
                    "MultipleInstructionsDisallowed",
                    "JsonSingleQuotes",
                    "WorkdirRelativePath",
                    "NoEmptyContinuation",
                ]
                .iter()
                .find(|f| **f == r.as_str())
            }) else {
                continue;
            };
            let off = setting_of(rule)
                .iter()
                .any(|s| settings.is_object() && settings[*s].as_str() == Some("IGNORE"));
            if off {
                continue;
            }
            fam.entry(rule).or_default().2 += 1;
            agree = false;
            let s = samples.entry(format!("{rule} extra")).or_default();
            if s.len() < 3 {
                s.push(format!("line {a}: {:?}", &text[..text.len().min(120)]));
            }
        }
        cases += 1;
        if agree {
            cases_agree += 1;
        }
    }
    let (m, t, x) = fam
        .values()
        .fold((0, 0, 0), |a, v| (a.0 + v.0, a.1 + v.1, a.2 + v.2));
    eprintln!("dockerfile-utils cases: {cases_agree}/{cases} agree on every mapped diagnostic");
    eprintln!("mapped diagnostics matched: {m}/{t}, extra: {x}");
    eprintln!("  {:<32} {:>9} {:>6}", "rule", "matched", "extra");
    for (r, (m, t, x)) in &fam {
        eprintln!("  {r:<32} {:>9} {x:>6}", format!("{m}/{t}"));
    }
    eprintln!("unmapped codes (style checks we do differently): {unmapped:?}");
    if std::env::var_os("SHOW_SAMPLES").is_some() {
        for (k, v) in &samples {
            eprintln!("{k}:");
            for s in v {
                eprintln!("    {s}");
            }
        }
    }
    // Regression floor: the agreement recorded in docs/conformance.md.
    assert!(
        m * 100 >= t * FLOOR_PERCENT,
        "matched {m}/{t} fell below {FLOOR_PERCENT}%"
    );
}

const FLOOR_PERCENT: usize = 80;
