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

/// One random edit of `text`: (start, end, new text).
fn random_edit(rng: &mut Lcg, text: &str) -> (usize, usize, String) {
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
    match rng.next(10) {
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
    }
}

/// Apply `edits` one by one, checking `Incremental` against a check from scratch after
/// each; returns how many updates took each path.
fn run_edits(
    text: &str,
    edits: impl Fn(&str, usize) -> Option<(usize, usize, String)>,
    opts_for: impl Fn(usize) -> Options<'static>,
    label: &str,
    parallel: bool,
) -> [usize; 3] {
    let mut df = Dockerfile::parse(text);
    let mut inc = Incremental::new();
    // The full path on two threads gives the same results (`tests/parallel.rs`); here
    // the patches after it too.
    inc.set_parallel(parallel);
    let mut counts = [0usize; 3];
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
                "{label}, step {step} ({how:?}): {} incremental vs {} full diagnostics, model equal: {}\nfirst difference at {first}:\n  incremental {:?}\n  full        {:?}\n--- text\n{}",
                got.len(),
                want.len(),
                **inc.model() == model,
                got.get(first),
                want.get(first),
                &text[..text.len().min(4000)]
            );
        }
        counts[match how {
            Some(Update::Unchanged) => 0,
            Some(Update::Patched) => 1,
            _ => 2,
        }] += 1;
        let text = df.text();
        let Some((s, e, t)) = edits(&text, step) else {
            break;
        };
        df.apply_edit(s, e, &t);
    }
    counts
}

fn opts_cycle(step: usize) -> Options<'static> {
    // Mostly the same options; now and then others (a new .dockerignore).
    match (step / 7) % 3 {
        0 | 1 => Options::default(),
        _ => Options {
            dockerignore: Some("*.md\n!README.md\n**/secret*\n"),
            ..Options::default()
        },
    }
}

#[test]
fn random_edits_of_corpus_files_match_a_full_check() {
    let files = files();
    if files.is_empty() {
        eprintln!("SKIPPED: corpus not found at {CORPUS}");
        return;
    }
    let mut total = [0usize; 3];
    for (n, text) in files.iter().enumerate() {
        let rng = std::cell::RefCell::new(Lcg(n as u64 * 7919 + 1));
        let counts = run_edits(
            text,
            |t, step| (step < 10).then(|| random_edit(&mut rng.borrow_mut(), t)),
            opts_cycle,
            &format!("corpus file {n}"),
            n % 2 == 1,
        );
        for k in 0..3 {
            total[k] += counts[k];
        }
    }
    eprintln!(
        "{} files: {} unchanged, {} patched, {} full updates",
        files.len(),
        total[0],
        total[1],
        total[2]
    );
    assert!(total[1] > 0, "the incremental path was never taken");
}

#[test]
fn random_edits_of_generated_files_match_a_full_check() {
    let mut total = [0usize; 3];
    for seed in 1..=3u64 {
        let text = docksmith_testgen::dockerfile(400, seed);
        let rng = std::cell::RefCell::new(Lcg(seed));
        let counts = run_edits(
            &text,
            |t, step| (step < 150).then(|| random_edit(&mut rng.borrow_mut(), t)),
            |_| Options::default(),
            &format!("generated file, seed {seed}"),
            seed == 2,
        );
        for k in 0..3 {
            total[k] += counts[k];
        }
    }
    eprintln!(
        "generated: {} unchanged, {} patched, {} full updates",
        total[0], total[1], total[2]
    );
    assert!(
        total[1] > 50,
        "the incremental path was rarely taken: {total:?}"
    );
}

#[test]
fn typing_in_a_run_is_patched() {
    let text = docksmith_testgen::dockerfile(2_000, 1);
    let script = docksmith_testgen::edit_script(&text, 40, 1);
    let counts = run_edits(
        &text,
        |t, step| {
            let (line, col, s) = script.get(step)?;
            // ASCII text: columns are bytes.
            let start: usize = t.split_inclusive('\n').take(*line).map(str::len).sum();
            Some((start + col, start + col, s.clone()))
        },
        |_| Options::default(),
        "typing",
        true,
    );
    // The first update is the full one; every keystroke after it is patched.
    assert_eq!(counts, [0, 40, 1]);
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
