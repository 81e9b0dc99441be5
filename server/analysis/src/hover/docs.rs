//! The documentation of each instruction, one Markdown file per instruction in `docs/`.

use docksmith_syntax::InstructionKind;

/// The Markdown documentation of an instruction.
pub fn instruction(kind: InstructionKind) -> &'static str {
    use InstructionKind as K;
    match kind {
        K::Add => include_str!("docs/add.md"),
        K::Arg => include_str!("docs/arg.md"),
        K::Cmd => include_str!("docs/cmd.md"),
        K::Copy => include_str!("docs/copy.md"),
        K::Entrypoint => include_str!("docs/entrypoint.md"),
        K::Env => include_str!("docs/env.md"),
        K::Expose => include_str!("docs/expose.md"),
        K::From => include_str!("docs/from.md"),
        K::Healthcheck => include_str!("docs/healthcheck.md"),
        K::Label => include_str!("docs/label.md"),
        K::Maintainer => include_str!("docs/maintainer.md"),
        K::Onbuild => include_str!("docs/onbuild.md"),
        K::Run => include_str!("docs/run.md"),
        K::Shell => include_str!("docs/shell.md"),
        K::Stopsignal => include_str!("docs/stopsignal.md"),
        K::User => include_str!("docs/user.md"),
        K::Volume => include_str!("docs/volume.md"),
        K::Workdir => include_str!("docs/workdir.md"),
        K::Unknown => "Unknown instruction: BuildKit rejects it when it builds this stage.",
    }
}

/// The first line of an instruction's documentation (a one-line summary).
pub fn summary(kind: InstructionKind) -> &'static str {
    let doc = instruction(kind);
    let first = doc.lines().next().unwrap_or("");
    match first.find(": ") {
        Some(i) => first[i + 2..].trim(),
        None => first,
    }
}

/// The link line at the end of an instruction's documentation.
pub fn link(kind: InstructionKind) -> &'static str {
    let doc = instruction(kind);
    doc.lines().rev().find(|l| l.starts_with('[')).unwrap_or("")
}
