//! `Incremental` gives the same model and diagnostics as a check from scratch, after
//! every edit of a random edit sequence over corpus files and generated files; and the
//! rules that say they only look at one instruction (`Extent::Instruction`) report the
//! same findings when run one instruction at a time.

use docksmith_analysis::diagnostics::{Options, check};
use docksmith_analysis::incremental::{Incremental, Update};
use docksmith_analysis::rules::{Ctx, Extent, RULES};
use docksmith_analysis::semantics::Model;
use docksmith_syntax::{Dockerfile, InstructionRef};

mod common;

use common::{CORPUS, Lcg, boundary, corpus_texts as files};
const SNIPPETS: &[&str] = &[
    "a",
    "x",
    " ",
    "\n",
    "\"",
    "'",
    "\\",
    "\\\n",
    "$",
    "{",
    "}",
    "=",
    "-",
    "&",
    "|",
    "#",
    "`",
    "$FOO",
    "${BAR:-x}",
    "$HTTP_PROXY",
    "<<EOF\n",
    "EOF\n",
    " <<EOF\necho hi\nEOF\n",
    " AS renamed",
    " AS Stage0",
    "FROM alpine AS stage0\n",
    "FROM stage1\n",
    "SHELL [\"pwsh\", \"-c\"]\n",
    "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n",
    "# check=skip=all\n",
    "# check=error=true\n",
    "# escape=`\n",
    "# syntax=docker/dockerfile:1\n",
    "# docksmith ignore=all\n",
    "# hadolint ignore=DL3008\n",
    "ARG FOO=1\n",
    "ENV PIP_NO_CACHE_DIR=1\n",
    "ENV BAR 2\n",
    " --mount=from=stage0,target=/x",
    " --mount=type=cache,target=/root/.cache/pip",
    " --from=stage1",
    " && apt-get install -y curl",
    " && apt-get update",
    " && pip install flask",
    " | grep y",
    " && cd /x && sudo make",
    "RUN apk add curl\n",
    "RUN echo one\nRUN echo two\n",
    "HEALTHCHECK CMD true\n",
    "CMD echo x\n",
    "USER root\n",
    "WORKDIR rel\n",
    "EXPOSE 80/TCP 1.2.3.4:80:80\n",
    "COPY . .\n",
    "COPY a b c\n",
    "MAINTAINER me\n",
    "LABEL a b\n",
    "run x\n",
];

/// Words typed on a new line, as they are while being typed.
const TYPED: &[&str] = &[
    "x",
    "xx",
    "R",
    "RU",
    "RUN",
    "RUN ",
    "RUN x",
    "run x",
    "COPY a b",
    "EXPOSE 80",
    "LABEL a=b",
    "VOLUME /v",
    "# note",
    "#",
    "USER x",
    "ARG Z",
    "ENV Z=1",
    "RUN echo $HOME",
    "COPY --from=stage0 a b",
];

/// One random edit of `text`: (start, end, new text, whether it is one of the edits
/// that add or remove lines: Enter at the end of a line, a blank line inserted or
/// removed, a word typed on a blank line, a line's text deleted, a line deleted or
/// duplicated whole).
fn random_edit(rng: &mut Lcg, text: &str) -> (usize, usize, String, bool) {
    if rng.next(3) == 0 {
        return line_edit(rng, text);
    }
    // Mostly at the end of a line (typing), else anywhere.
    let at = if rng.next(3) > 0 {
        let lines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        if lines.is_empty() {
            text.len()
        } else {
            lines[rng.next(lines.len())]
        }
    } else {
        boundary(text, rng.next(text.len() + 1))
    };
    let (s, e, t) = match rng.next(10) {
        0..=5 => (at, at, SNIPPETS[rng.next(17)].to_string()),
        6 | 7 => (at, at, SNIPPETS[rng.next(SNIPPETS.len())].to_string()),
        8 => {
            let end = boundary(text, at + 1 + rng.next(6));
            let start = boundary(text, at.saturating_sub(rng.next(3)));
            (start, end, String::new())
        }
        _ => {
            let end = boundary(text, at + rng.next(20));
            (at, end, SNIPPETS[rng.next(SNIPPETS.len())].to_string())
        }
    };
    (s, e, t, false)
}

/// An edit that adds or removes lines, as typing produces them.
fn line_edit(rng: &mut Lcg, text: &str) -> (usize, usize, String, bool) {
    // Line starts and the offsets of their `\n` (or the end).
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        lines.push((start, i));
        start = i + 1;
    }
    if start < text.len() {
        lines.push((start, text.len()));
    }
    if lines.is_empty() {
        return (0, 0, "\n".to_string(), true);
    }
    let blank: Vec<usize> = lines
        .iter()
        .filter(|(s, e)| text[*s..*e].trim().is_empty() && *e < text.len())
        .map(|(s, _)| *s)
        .collect();
    let (s, e) = lines[rng.next(lines.len())];
    let whole = (e + 1).min(text.len());
    let (a, b, t) = match rng.next(8) {
        // A line deleted whole, or duplicated (pasted above itself).
        6 => (s, whole, String::new()),
        7 => (s, s, text[s..whole].to_string()),
        // Enter at the end of a line.
        0 | 1 => (e, e, "\n".to_string()),
        // A blank line inserted before a line.
        2 => (s, s, "\n".to_string()),
        // A word typed on a blank line (a new one after Enter, or one already there).
        3 | 4 => {
            let word = TYPED[rng.next(TYPED.len())];
            match blank.get(rng.next(blank.len() + 1)) {
                Some(&p) => (p, p, word.to_string()),
                None => (e, e, format!("\n{word}")),
            }
        }
        // A blank line removed, or a line's text deleted.
        _ => match blank.get(rng.next(blank.len() + 1)) {
            Some(&p) if rng.next(2) == 0 => (p, p + 1, String::new()),
            _ => (s, e, String::new()),
        },
    };
    (a, b, t, true)
}

/// Apply `edits` one by one, checking `Incremental` against a check from scratch after
/// each; returns how many updates took each path (unchanged, patched, full): for all,
/// and for those after an edit the generator marked (`true`).
fn run_edits(
    text: &str,
    edits: impl Fn(&str, usize) -> Option<(usize, usize, String, bool)>,
    opts_for: impl Fn(usize) -> Options<'static>,
    label: &str,
    parallel: bool,
) -> ([usize; 3], [usize; 3]) {
    let mut df = Dockerfile::parse(text);
    let mut inc = Incremental::new();
    // The full path on two threads gives the same results (`tests/parallel.rs`); here
    // the patches after it too.
    inc.set_parallel(parallel);
    let mut counts = [0usize; 3];
    let mut marked = [0usize; 3];
    let mut last_edit: Option<(usize, usize, String, bool)> = None;
    for step in 0.. {
        let opts = opts_for(step);
        let got = inc.update(&df, &opts).to_vec();
        let model = Model::build(&df);
        let want = check(&df, &model, &opts);
        let how = inc.last_update();
        if got != want || **inc.model() != model {
            let text = df.text();
            let first = got
                .iter()
                .zip(&want)
                .position(|(a, b)| a != b)
                .unwrap_or(got.len().min(want.len()));
            let m = &**inc.model();
            if *m != model {
                let fields = [
                    ("stages", m.stages != model.stages),
                    ("decls", m.decls != model.decls),
                    ("uses", m.uses != model.uses),
                    ("stage_refs", m.stage_refs != model.stage_refs),
                    ("node_stage", m.node_stage != model.node_stage),
                    ("node_lines", m.node_lines != model.node_lines),
                ];
                eprintln!("model fields that differ: {fields:?}");
                if m.uses != model.uses {
                    for (a, b) in m.uses.iter().zip(&model.uses) {
                        if a != b {
                            eprintln!("use: {a:?}\n vs  {b:?}");
                            break;
                        }
                    }
                }
            }
            panic!(
                "{label}, step {step} ({how:?}) after edit {last_edit:?}: {} incremental vs {} full diagnostics, model equal: {}\nfirst difference at {first}:\n  incremental {:?}\n  full        {:?}\n--- text\n{}",
                got.len(),
                want.len(),
                **inc.model() == model,
                got.get(first),
                want.get(first),
                &text[..text.len().min(4000)]
            );
        }
        let path = match how {
            Some(Update::Unchanged) => 0,
            Some(Update::Patched) => 1,
            _ => 2,
        };
        counts[path] += 1;
        if last_edit.as_ref().is_some_and(|e| e.3) {
            marked[path] += 1;
        }
        let text = df.text();
        let Some((s, e, t, mark)) = edits(&text, step) else {
            break;
        };
        df.apply_edit(s, e, &t);
        last_edit = Some((s, e, t, mark));
    }
    (counts, marked)
}

fn opts_cycle(step: usize) -> Options<'static> {
    // Mostly the same options; now and then others (a new .dockerignore, every
    // experimental rule on).
    match (step / 7) % 4 {
        0 | 1 => Options::default(),
        2 => Options {
            dockerignore: Some("*.md\n!README.md\n**/secret*\n"),
            ..Options::default()
        },
        _ => experimental(),
    }
}

/// Every rule on, the experimental ones (`InvalidDefinitionDescription` reads the
/// node before an instruction) included.
fn experimental() -> Options<'static> {
    let mut config = docksmith_analysis::config::Config::default();
    for r in RULES {
        config.set(
            r.meta.name,
            docksmith_analysis::config::RuleSetting {
                enabled: Some(true),
                severity: None,
            },
        );
    }
    Options {
        config,
        ..Options::default()
    }
}

fn add(total: &mut [usize; 3], counts: [usize; 3]) {
    for k in 0..3 {
        total[k] += counts[k];
    }
}

#[test]
fn random_edits_of_corpus_files_match_a_full_check() {
    let files = files();
    if files.is_empty() {
        eprintln!("SKIPPED: corpus not found at {CORPUS}");
        return;
    }
    let (mut total, mut lines) = ([0usize; 3], [0usize; 3]);
    for (n, text) in files.iter().enumerate() {
        let rng = std::cell::RefCell::new(Lcg(n as u64 * 7919 + 1));
        let (counts, marked) = run_edits(
            text,
            |t, step| (step < 10).then(|| random_edit(&mut rng.borrow_mut(), t)),
            opts_cycle,
            &format!("corpus file {n}"),
            n % 2 == 1,
        );
        add(&mut total, counts);
        add(&mut lines, marked);
    }
    eprintln!(
        "{} files: {} unchanged, {} patched, {} full updates; after line edits: {lines:?}",
        files.len(),
        total[0],
        total[1],
        total[2]
    );
    assert!(total[1] > 0, "the incremental path was never taken");
}

#[test]
fn random_edits_of_generated_files_match_a_full_check() {
    let (mut total, mut lines) = ([0usize; 3], [0usize; 3]);
    for seed in 1..=4u64 {
        let text = docksmith_testgen::dockerfile(400, seed);
        let rng = std::cell::RefCell::new(Lcg(seed));
        let (counts, marked) = run_edits(
            &text,
            |t, step| (step < 150).then(|| random_edit(&mut rng.borrow_mut(), t)),
            |_| {
                if seed == 4 {
                    experimental()
                } else {
                    Options::default()
                }
            },
            &format!("generated file, seed {seed}"),
            seed == 2,
        );
        add(&mut total, counts);
        add(&mut lines, marked);
    }
    eprintln!(
        "generated: {} unchanged, {} patched, {} full updates; after line edits: {lines:?}",
        total[0], total[1], total[2]
    );
    assert!(
        total[1] > 100,
        "the incremental path was rarely taken: {total:?}"
    );
    // Most edits that add or remove lines are patched (not: a word typed that declares
    // something, a line that held a FROM or a continuation deleted, ...).
    assert!(
        lines[1] * 2 > lines[2] * 3,
        "edits adding or removing lines were rarely patched: {lines:?}"
    );
}

#[test]
fn typing_in_a_run_is_patched() {
    let text = docksmith_testgen::dockerfile(2_000, 1);
    let script = docksmith_testgen::edit_script(&text, 40, 1);
    let (counts, _) = run_edits(
        &text,
        |t, step| {
            let (line, col, s) = script.get(step)?;
            // ASCII text: columns are bytes.
            let start: usize = t.split_inclusive('\n').take(*line).map(str::len).sum();
            Some((start + col, start + col, s.clone(), false))
        },
        |_| Options::default(),
        "typing",
        true,
    );
    // The first update is the full one; every keystroke after it is patched.
    assert_eq!(counts, [0, 40, 1]);
}

/// Run `keys` from `at` on: each `(text, delete)` typed at the cursor (which moves
/// past it) or deleted before it; `"^"` moves the cursor back before the last newline
/// typed (Enter at the start of a line, then up).
fn keystrokes(text: &str, mut at: usize, keys: &[(&str, bool)]) -> [usize; 3] {
    let mut edits = Vec::new();
    for (k, delete) in keys {
        if *k == "^" {
            at -= 1;
        } else if *delete {
            at -= k.len();
            edits.push((at, at + k.len(), String::new(), true));
        } else {
            edits.push((at, at, (*k).to_string(), true));
            at += k.len();
        }
    }
    let (counts, _) = run_edits(
        text,
        |_, step| edits.get(step).cloned(),
        |_| Options::default(),
        "keystrokes",
        false,
    );
    counts
}

#[test]
fn new_lines_and_words_typed_on_them_are_patched() {
    let text = docksmith_testgen::dockerfile(2_000, 1);
    let run = text
        .lines()
        .filter(|l| {
            l.starts_with("RUN ") && !l.ends_with('\\') && !l.contains("<<") && !l.contains('$')
        })
        .nth(20)
        .expect("a one-line RUN without variables");
    let start = text.find(run).expect("the line");
    let eol = start + run.len();
    let chars = |s: &'static str| s.split_inclusive(|_| true).map(|c| (c, false));
    // Enter at the end of a RUN, then `RUN x` typed on the new line.
    let keys: Vec<_> = [("\n", false)].into_iter().chain(chars("RUN x")).collect();
    assert_eq!(keystrokes(&text, eol, &keys), [0, 6, 1]);
    // An unknown word typed, deleted again character by character, then the line.
    let mut keys: Vec<_> = [("\n", false)].into_iter().chain(chars("xx")).collect();
    keys.extend([("x", true), ("x", true), ("\n", true)]);
    assert_eq!(keystrokes(&text, eol, &keys), [0, 6, 1]);
    // A new line before an instruction, and a COPY typed on it.
    let keys: Vec<_> = [("\n", false), ("^", false)]
        .into_iter()
        .chain(chars("COPY a b"))
        .collect();
    assert_eq!(keystrokes(&text, start, &keys), [0, 9, 1]);
    // A comment typed on a new line, then deleted with the line.
    let mut keys: Vec<_> = [("\n", false)].into_iter().chain(chars("# a")).collect();
    keys.extend([("a", true), (" ", true), ("#", true), ("\n", true)]);
    assert_eq!(keystrokes(&text, eol, &keys), [0, 8, 1]);
    // The RUN deleted whole, then pasted back.
    let line = &text[start..=eol];
    let edits = [
        (start, eol + 1, String::new(), true),
        (start, start, line.to_string(), true),
    ];
    let (counts, _) = run_edits(
        &text,
        |_, step| edits.get(step).cloned(),
        |_| Options::default(),
        "delete and paste a line",
        true,
    );
    assert_eq!(counts, [0, 2, 1]);
    // A RUN typed after a SHELL: in a POSIX shell (bash) it has a script, in pwsh not,
    // as the RUNs around it say; a stage without RUNs after a SHELL: the full path.
    for shell in [
        "[\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
        "[\"pwsh\", \"-c\"]",
    ] {
        let text = format!(
            "FROM alpine AS a\nSHELL {shell}\nRUN echo 1 | wc\n\nRUN echo 2\nFROM a\nCOPY . .\n\n"
        );
        let blank = text.find("\n\n").expect("a blank line") + 1;
        let keys: Vec<_> = chars("RUN x | y").collect();
        assert_eq!(keystrokes(&text, blank, &keys), [0, 9, 1], "{shell}");
        let keys: Vec<_> = chars("RUN x | y").collect();
        let counts = keystrokes(&text, text.len() - 1, &keys);
        assert_eq!(counts[0] + counts[1] + counts[2], 10, "{shell}");
    }
}

/// `Extent::Instruction` rules report the same run on one instruction at a time as on
/// the whole file (`Extent::Pair` rules: on an instruction and the one before it), and
/// each finding lies in its instruction's node. Findings outside every instruction
/// (syntax errors of directive lines, "no instructions") are not compared: the
/// incremental path never recomputes them, since an edit inside one instruction cannot
/// change them.
#[test]
fn instruction_rules_report_the_same_one_instruction_at_a_time() {
    let mut texts = files();
    texts.push(docksmith_testgen::dockerfile(1_000, 2));
    // A rule that looks at an earlier instruction of the stage (a SHELL before a CMD).
    texts.push("FROM a\nSHELL [\"cmd\", \"/s\", \"/c\"]\nCMD foo\nENTRYPOINT bar\n".to_string());
    let with_ignore = Options {
        dockerignore: Some("*.md\n!README.md\n**/secret*\nsrc/\n"),
        ..Options::default()
    };
    let without = Options::default();
    let mut compared = 0;
    for (n, text) in texts.iter().enumerate() {
        let df = Dockerfile::parse(text);
        let model = Model::build(&df);
        let all: Vec<InstructionRef<'_>> = df.instructions().collect();
        let scripts = docksmith_analysis::shell::scripts(&all, &model);
        for opts in [&with_ignore, &without] {
            let whole = Ctx::new(&df, &model, opts);
            for rule in RULES
                .iter()
                .filter(|r| matches!(r.extent, Extent::Instruction | Extent::Pair))
            {
                let mut want = Vec::new();
                (rule.check)(&whole, &mut want);
                want.retain(|d| df.instruction_at(d.range.start).is_some());
                let mut got = Vec::new();
                for (w, i) in all.iter().enumerate() {
                    let from = if rule.extent == Extent::Pair {
                        w.saturating_sub(1)
                    } else {
                        w
                    };
                    let part = Ctx::part(
                        &df,
                        &model,
                        opts,
                        all[from..=w].to_vec(),
                        &scripts[from..=w],
                    );
                    let mut found = Vec::new();
                    (rule.check)(&part, &mut found);
                    if rule.extent == Extent::Pair {
                        // Findings about the instruction before belong to its own turn.
                        found.retain(|d| d.range.start >= i.base);
                    }
                    for d in &found {
                        assert!(
                            i.node_range().contains_range(d.range),
                            "file {n}: {} reports {:?} outside its instruction {:?}",
                            rule.meta.name,
                            d.range,
                            i.node_range()
                        );
                    }
                    got.extend(found);
                }
                compared += want.len();
                assert_eq!(got, want, "file {n}: {}", rule.meta.name);
            }
        }
    }
    assert!(compared > 1000, "{compared}");
}
