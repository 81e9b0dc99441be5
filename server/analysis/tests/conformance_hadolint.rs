//! Conformance with hadolint's own rule tests: every row of
//! `../shared/corpus/hadolint-cases.tsv` whose DL code answers to one of our rules
//! (by alias) is run through the full pipeline (`diagnostics::check`, so
//! `# hadolint ignore=` comments apply) with every rule enabled, and the agreement is
//! printed per code. The test fails when a code's agreement drops below the numbers
//! recorded in `RECORDED` (and in docs/conformance.md, where each disagreement is
//! explained). `HADOLINT_VERBOSE=1` prints every disagreeing row.
//!
//! Semantics of `expect` (from hadolint's test helpers): `catches` at least one
//! finding of the rule; `catchesNot` none; `onBuildCatches` exactly one after every
//! RUN is rewritten to `ONBUILD RUN`; `onBuildCatchesNot` none after that rewrite;
//! `catchesExactly:N` exactly N. hadolint appends "\n" to each snippet. Rows with a
//! non-default hadolint configuration are skipped.

use std::collections::BTreeMap;

use docksmith_analysis::config::{Config, RuleSetting};
use docksmith_analysis::diagnostics::{Options, check};
use docksmith_analysis::rules::{RULES, lookup};
use docksmith_analysis::semantics::Model;
use docksmith_syntax::{Dockerfile, InstructionKind};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

/// Cases matched per DL code, as recorded in docs/conformance.md (the floor).
const RECORDED: &[(&str, usize)] = &[
    ("DL3000", 9),
    ("DL3002", 15),
    ("DL3003", 2),
    ("DL3004", 6),
    ("DL3006", 10),
    ("DL3007", 6),
    ("DL3008", 14),
    ("DL3009", 38),
    ("DL3011", 8),
    ("DL3012", 5),
    ("DL3013", 86),
    ("DL3014", 24),
    ("DL3015", 8),
    ("DL3018", 28),
    ("DL3019", 14),
    ("DL3020", 11),
    ("DL3021", 7),
    ("DL3022", 5),
    ("DL3023", 3),
    ("DL3024", 2),
    ("DL3025", 6),
    ("DL3027", 2),
    ("DL3029", 8),
    ("DL3042", 46),
    ("DL3043", 20),
    ("DL3059", 16),
    ("DL3061", 9),
    ("DL4000", 4),
    ("DL4003", 4),
    ("DL4004", 6),
    ("DL4006", 16),
];

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('\\') => out.push('\\'),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// hadolint's `onBuild` rewrite: every RUN becomes `ONBUILD RUN`.
fn onbuild(text: &str) -> String {
    let df = Dockerfile::parse(text);
    let mut out = text.to_string();
    let starts: Vec<u32> = df
        .instructions()
        .filter(|i| i.inst.kind == InstructionKind::Run)
        .map(|i| i.abs(i.inst.keyword.range).start)
        .collect();
    for s in starts.into_iter().rev() {
        out.insert_str(s as usize, "ONBUILD ");
    }
    out
}

fn count(text: &str, rule: &str, opts: &Options<'_>) -> usize {
    let df = Dockerfile::parse(text);
    let model = Model::build(&df);
    check(&df, &model, opts)
        .iter()
        .filter(|d| d.rule == rule)
        .count()
}

#[test]
fn hadolint_cases() {
    let path = format!("{CORPUS}/hadolint-cases.tsv");
    let Ok(data) = std::fs::read_to_string(&path) else {
        eprintln!("SKIPPED: {path} not found");
        return;
    };
    let mut config = Config::default();
    for r in RULES {
        config.set(
            r.meta.name,
            RuleSetting {
                enabled: Some(true),
                severity: None,
            },
        );
    }
    let opts = Options {
        config,
        ..Options::default()
    };
    let verbose = std::env::var_os("HADOLINT_VERBOSE").is_some();
    // code -> (rule, matched, total)
    let mut per: BTreeMap<String, (&str, usize, usize)> = BTreeMap::new();
    let mut skipped = 0;
    for line in data.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 7 {
            continue;
        }
        let (code, expect, config) = (cols[0], cols[1], cols[6]);
        let Some(rule) = code.starts_with("DL").then(|| lookup(code)).flatten() else {
            continue;
        };
        if config != "def" {
            skipped += 1;
            continue;
        }
        let text = unescape(cols[2]) + "\n";
        let name = rule.meta.name;
        let ok = match expect {
            "catches" => count(&text, name, &opts) >= 1,
            "catchesNot" => count(&text, name, &opts) == 0,
            "onBuildCatches" => count(&onbuild(&text), name, &opts) == 1,
            "onBuildCatchesNot" => count(&onbuild(&text), name, &opts) == 0,
            e => match e
                .strip_prefix("catchesExactly:")
                .and_then(|n| n.parse().ok())
            {
                Some(n) => count(&text, name, &opts) == n,
                None => continue,
            },
        };
        let e = per.entry(code.to_string()).or_insert((name, 0, 0));
        e.2 += 1;
        if ok {
            e.1 += 1;
        } else if verbose {
            eprintln!(
                "DISAGREE {code} {expect} ({}:{}): {:?}",
                cols[3], cols[4], text
            );
        }
    }
    let (mut m, mut t) = (0, 0);
    eprintln!("hadolint cases per code (rule): matched/total");
    for (code, (rule, ok, total)) in &per {
        eprintln!("  {code} ({rule}): {ok}/{total}");
        m += ok;
        t += total;
    }
    eprintln!("overall: {m}/{t} ({skipped} rows with a non-default hadolint config skipped)");
    let mut drops = Vec::new();
    for (code, floor) in RECORDED {
        let got = per.get(*code).map_or(0, |e| e.1);
        if got < *floor {
            drops.push(format!("{code}: {got} < recorded {floor}"));
        }
    }
    assert!(drops.is_empty(), "agreement dropped: {drops:?}");
}

/// Every best-practice rule over the real-world corpus: no panic, and the count of
/// findings per rule printed (`HADOLINT_VERBOSE=1` prints each finding) to review
/// for false positives.
#[test]
fn realworld_best_practice() {
    let dir = format!("{CORPUS}/realworld");
    let Ok(_) = std::fs::metadata(&dir) else {
        eprintln!("SKIPPED: {dir} not found");
        return;
    };
    let mut files = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(&dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n != "MANIFEST.tsv") {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut config = Config::default();
    for r in RULES {
        config.set(
            r.meta.name,
            RuleSetting {
                enabled: Some(true),
                severity: None,
            },
        );
    }
    let opts = Options {
        config,
        dockerignore: Some(""),
        ..Options::default()
    };
    let verbose = std::env::var_os("HADOLINT_VERBOSE").is_some();
    let mut per: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        let df = Dockerfile::parse(&text);
        let model = Model::build(&df);
        for d in check(&df, &model, &opts) {
            let Some(r) = lookup(d.rule) else { continue };
            if r.meta.category != docksmith_analysis::rules::Category::BestPractice {
                continue;
            }
            *per.entry(r.meta.name).or_default() += 1;
            if verbose {
                let s = d.range.start as usize;
                let line = text[..s.min(text.len())].matches('\n').count() + 1;
                let snippet: String = text
                    .get(d.range.start as usize..d.range.end as usize)
                    .unwrap_or("")
                    .chars()
                    .take(80)
                    .collect();
                eprintln!(
                    "FINDING {} {}:{line}: {} | {snippet:?}",
                    d.rule,
                    f.display(),
                    d.message
                );
            }
        }
    }
    eprintln!(
        "best-practice findings over {} real-world files:",
        files.len()
    );
    for (r, n) in &per {
        eprintln!("  {r}: {n}");
    }
}
