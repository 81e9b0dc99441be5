//! Differential test against the `parse-dockerfile` crate: on every corpus file that
//! it accepts, our instructions, their kinds and keyword spans, FROM images and stage
//! names, and flag spans agree with it. Skipped, saying so, when the corpus is absent.

mod common;

use common::{corpus, entries};
use docksmith_syntax::{Dockerfile, Instruction, InstructionKind, TextRange};
use parse_dockerfile as oracle;

fn kind_of(i: &oracle::Instruction<'_>) -> InstructionKind {
    use oracle::Instruction as O;
    match i {
        O::Add(_) => InstructionKind::Add,
        O::Arg(_) => InstructionKind::Arg,
        O::Cmd(_) => InstructionKind::Cmd,
        O::Copy(_) => InstructionKind::Copy,
        O::Entrypoint(_) => InstructionKind::Entrypoint,
        O::Env(_) => InstructionKind::Env,
        O::Expose(_) => InstructionKind::Expose,
        O::From(_) => InstructionKind::From,
        O::Healthcheck(_) => InstructionKind::Healthcheck,
        O::Label(_) => InstructionKind::Label,
        O::Maintainer(_) => InstructionKind::Maintainer,
        O::Onbuild(_) => InstructionKind::Onbuild,
        O::Run(_) => InstructionKind::Run,
        O::Shell(_) => InstructionKind::Shell,
        O::Stopsignal(_) => InstructionKind::Stopsignal,
        O::User(_) => InstructionKind::User,
        O::Volume(_) => InstructionKind::Volume,
        O::Workdir(_) => InstructionKind::Workdir,
        _ => InstructionKind::Unknown,
    }
}

/// (kind, keyword span, extra facts) of the oracle's instruction.
fn facts_oracle(i: &oracle::Instruction<'_>, text: &str) -> String {
    use oracle::Instruction as O;
    let (kw, flags): (std::ops::Range<usize>, Vec<std::ops::Range<usize>>) = match i {
        O::Add(x) => (
            x.add.span.clone(),
            x.options.iter().map(|f| f.span()).collect(),
        ),
        O::Arg(x) => (x.arg.span.clone(), vec![]),
        O::Cmd(x) => (x.cmd.span.clone(), vec![]),
        O::Copy(x) => (
            x.copy.span.clone(),
            x.options.iter().map(|f| f.span()).collect(),
        ),
        O::Entrypoint(x) => (x.entrypoint.span.clone(), vec![]),
        O::Env(x) => (x.env.span.clone(), vec![]),
        O::Expose(x) => (x.expose.span.clone(), vec![]),
        O::From(x) => (
            x.from.span.clone(),
            x.options.iter().map(|f| f.span()).collect(),
        ),
        O::Healthcheck(x) => (
            x.healthcheck.span.clone(),
            x.options.iter().map(|f| f.span()).collect(),
        ),
        O::Label(x) => (x.label.span.clone(), vec![]),
        O::Maintainer(x) => (x.maintainer.span.clone(), vec![]),
        O::Onbuild(x) => (x.onbuild.span.clone(), vec![]),
        O::Run(x) => (
            x.run.span.clone(),
            x.options.iter().map(|f| f.span()).collect(),
        ),
        O::Shell(x) => (x.shell.span.clone(), vec![]),
        O::Stopsignal(x) => (x.stopsignal.span.clone(), vec![]),
        O::User(x) => (x.user.span.clone(), vec![]),
        O::Volume(x) => (x.volume.span.clone(), vec![]),
        O::Workdir(x) => (x.workdir.span.clone(), vec![]),
        _ => (0..0, vec![]),
    };
    // parse-dockerfile lets a flag's span run over a line continuation written right
    // after it (`--mount=...\<newline>`); ours stops before the escape character.
    let flags: Vec<_> = flags
        .into_iter()
        .map(|r| {
            let t = &text[r.clone()];
            let trimmed = t
                .trim_end_matches(['\n', '\r'])
                .strip_suffix('\\')
                .unwrap_or(t);
            r.start..r.start + trimmed.len().min(t.len())
        })
        .collect();
    let mut s = format!(
        "{:?} {}..{} flags={:?}",
        kind_of(i),
        kw.start,
        kw.end,
        flags
    );
    if let O::From(f) = i {
        s.push_str(&format!(" image={:?}@{:?}", f.image.value, f.image.span));
        if let Some((_, name)) = &f.as_ {
            s.push_str(&format!(" name={:?}@{:?}", name.value, name.span));
        }
    }
    s
}

fn facts_ours(inst: &Instruction, base: u32) -> String {
    let r = |t: TextRange| t.offset(base).as_usize();
    let flags: Vec<_> = inst.flags.iter().map(|f| r(f.range)).collect();
    let kw = r(inst.keyword.range);
    let mut s = format!("{:?} {}..{} flags={:?}", inst.kind, kw.start, kw.end, flags);
    if let Some(f) = inst.as_from() {
        if let Some(img) = f.image {
            s.push_str(&format!(" image={:?}@{:?}", img.text, r(img.range)));
        }
        if let Some(n) = f.stage_name {
            s.push_str(&format!(" name={:?}@{:?}", n.text, r(n.range)));
        }
    }
    s
}

#[test]
fn agrees_with_parse_dockerfile() {
    let Some(dir) = corpus() else { return };
    let (mut compared, mut rejected, mut skipped_templates) = (0, 0, 0);
    let mut disagreements = Vec::new();
    for e in entries(&dir) {
        if e.is_template() {
            skipped_templates += 1;
            continue;
        }
        let text = e.text();
        let Ok(theirs) = oracle::parse(&text) else {
            rejected += 1;
            continue;
        };
        compared += 1;
        let ours = Dockerfile::parse(&text);
        let a: Vec<String> = theirs
            .instructions
            .iter()
            .map(|i| facts_oracle(i, &text))
            .collect();
        let b: Vec<String> = ours
            .instructions()
            .map(|i| facts_ours(i.inst, i.base))
            .collect();
        if a != b {
            let first = a
                .iter()
                .zip(&b)
                .position(|(x, y)| x != y)
                .unwrap_or(a.len().min(b.len()));
            disagreements.push(format!(
                "{}: instruction {first}: oracle {:?} / ours {:?}",
                e.name,
                a.get(first),
                b.get(first)
            ));
        }
    }
    eprintln!(
        "oracle: {compared} files compared, {} agree; {rejected} rejected by parse-dockerfile; {skipped_templates} templates skipped",
        compared - disagreements.len()
    );
    for d in &disagreements {
        eprintln!("  {d}");
    }
    assert!(compared > 1000);
    // parse-dockerfile reads `\\` at the end of a line as a continuation; BuildKit
    // reads it as an escaped escape character (BuildKit's own parser case
    // `trailing-backslash`), and so do we. These four files end a COPY that way.
    let oracle_wrong: Vec<String> = ["7.0", "8.0", "8.2", "8.3"]
        .iter()
        .map(|v| {
            format!("realworld/docker-library__mongo/{v}__windows__nanoserver-ltsc2022__Dockerfile")
        })
        .collect();
    let unexplained: Vec<&String> = disagreements
        .iter()
        .filter(|d| !oracle_wrong.iter().any(|f| d.starts_with(f.as_str())))
        .collect();
    assert!(
        unexplained.is_empty(),
        "{} unexplained disagreements",
        unexplained.len()
    );
    assert_eq!(disagreements.len(), oracle_wrong.len());
}
