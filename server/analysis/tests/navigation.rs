//! Data-driven tests of navigation. Each `data/navigation/*.Dockerfile` holds cursor
//! markers (`|` under a source line) whose message names a request:
//!
//! * `definition`, `references` (without declarations), `references+decl`,
//!   `highlight`, `prepare-rename`, `rename NEW`, `selection`
//!
//! The `.expected` file beside it holds, for each cursor in order, the source
//! rendered with the cursor and the results as markers; then the whole-file features
//! (outline, folding ranges, code lenses, inlay hints). `UPDATE_SNAPSHOTS=1` rewrites
//! the expected files (review the diff).

mod common;

use std::fmt::Write as _;

use docksmith_analysis::Model;
use docksmith_analysis::fixture::{Fixture, render};
use docksmith_analysis::navigation::{
    self, DocumentSymbol, FoldKind, HighlightKind, LensKind, TextEdit,
};
use docksmith_syntax::{Dockerfile, TextRange};

fn line_col(text: &str, off: u32) -> (usize, usize) {
    let before = &text[..off as usize];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

fn apply(text: &str, edits: &[TextEdit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.range.as_usize(), &e.new_text);
    }
    out
}

fn cursor_section(text: &str, df: &Dockerfile, m: &Model, at: u32, request: &str) -> String {
    let (line, col) = line_col(text, at);
    let mut out = format!("=== {request} @ {line}:{col}\n");
    let mut anns: Vec<(TextRange, String)> = vec![(TextRange::empty(at), request.to_string())];
    let mut extra = String::new();
    let (verb, arg) = request.split_once(' ').unwrap_or((request, ""));
    match verb {
        "definition" => {
            for t in navigation::definition(df, m, at) {
                anns.push((t.focus, "definition".into()));
                if t.range != t.focus {
                    anns.push((t.range, "definition range".into()));
                }
            }
        }
        "references" | "references+decl" => {
            for r in navigation::references(df, m, at, verb == "references+decl") {
                anns.push((r, "reference".into()));
            }
        }
        "highlight" => {
            for h in navigation::highlights(df, m, at) {
                let k = match h.kind {
                    HighlightKind::Write => "write",
                    HighlightKind::Read => "read",
                    HighlightKind::Text => "text",
                };
                anns.push((h.range, k.into()));
            }
        }
        "prepare-rename" => match navigation::prepare_rename(df, m, at) {
            Ok((r, name)) => anns.push((r, format!("rename {name:?}"))),
            Err(e) => extra = format!("error: {e}\n"),
        },
        "rename" => match navigation::rename(df, m, at, arg) {
            Ok(edits) => {
                for e in &edits {
                    anns.push((e.range, format!("-> {}", e.new_text)));
                }
                extra = format!("--- after rename\n{}", apply(text, &edits));
            }
            Err(e) => extra = format!("error: {e}\n"),
        },
        "selection" => {
            for (k, r) in navigation::selection_ranges(df, m, &[at])[0]
                .iter()
                .enumerate()
            {
                anns.push((*r, format!("selection {k}")));
            }
        }
        other => panic!("unknown request {other:?}"),
    }
    out.push_str(&render(text, &anns));
    out.push_str(&extra);
    out
}

fn symbols_section(text: &str, syms: &[DocumentSymbol], depth: usize, out: &mut String) {
    for s in syms {
        let (l1, _) = line_col(text, s.range.start);
        let (l2, _) = line_col(text, s.range.end);
        let sel = &text[s.selection_range.as_usize()];
        let _ = writeln!(
            out,
            "{}{:?} {:?} detail={:?} lines {l1}-{l2} selection={sel:?}",
            "  ".repeat(depth),
            s.kind,
            s.name,
            s.detail
        );
        assert!(
            s.range.contains_range(s.selection_range),
            "selection outside range: {s:?}"
        );
        for c in &s.children {
            assert!(
                s.range.contains_range(c.range),
                "child outside parent: {c:?}"
            );
        }
        symbols_section(text, &s.children, depth + 1, out);
    }
}

fn file_sections(text: &str, df: &Dockerfile, m: &Model) -> String {
    let mut out = String::from("=== outline\n");
    symbols_section(text, &navigation::document_symbols(df, m), 0, &mut out);
    out.push_str("=== folding\n");
    for f in navigation::folding_ranges(df, m) {
        let (l1, _) = line_col(text, f.range.start);
        let (l2, _) = line_col(text, f.range.end);
        let k = match f.kind {
            FoldKind::Stage => "stage",
            FoldKind::Instruction => "instruction",
            FoldKind::Heredoc => "heredoc",
            FoldKind::Comment => "comment",
        };
        let _ = writeln!(out, "{k} lines {l1}-{l2}");
    }
    out.push_str("=== targets\n");
    for t in navigation::targets(df, m) {
        let _ = writeln!(
            out,
            "{} {:?} line {} base={:?} image={:?} base_stage={:?} platform={:?} depends_on={:?} images={:?} needs={:?}{}{}",
            t.index,
            t.name,
            t.line,
            t.base,
            t.image,
            t.base_stage,
            t.platform,
            t.depends_on,
            t.images,
            t.needs,
            if t.default_target { " default" } else { "" },
            if t.targetable { "" } else { " not-targetable" },
        );
        assert_eq!(line_col(text, m.stages[t.index].from_range.start).0, t.line);
    }
    out.push_str("=== lenses and hints\n");
    let mut anns = Vec::new();
    for l in navigation::code_lenses(m) {
        let msg = match &l.kind {
            LensKind::Dependents { stages } => format!("lens {:?} {stages:?}", l.title),
            LensKind::Build {
                target,
                command_line,
            } => format!("lens {:?} target={target:?} `{command_line}`", l.title),
        };
        anns.push((TextRange::empty(l.range.start), msg));
    }
    for h in navigation::inlay_hints(df, m, TextRange::new(0, df.len())) {
        anns.push((
            TextRange::empty(h.offset),
            format!("hint {:?} {:?}", h.kind, h.label),
        ));
    }
    out.push_str(&render(text, &anns));
    out
}

fn run_fixture(fx: &Fixture) -> String {
    let df = Dockerfile::parse(&fx.text);
    let m = Model::build(&df);
    let mut out = String::new();
    for mk in fx.markers.iter().filter(|mk| mk.cursor) {
        out.push_str(&cursor_section(
            &fx.text,
            &df,
            &m,
            mk.range.start,
            &mk.message,
        ));
    }
    out.push_str(&file_sections(&fx.text, &df, &m));
    out
}

#[test]
fn navigation_snapshots() {
    common::snapshots("navigation", "expected", run_fixture);
}
