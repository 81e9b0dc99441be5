//! Navigation over every Dockerfile of the shared corpus: no request panics at any
//! token boundary, and renames keep the meaning of the file (same stage graph, same
//! variable resolution), checked by re-analysing the renamed text.

use std::path::{Path, PathBuf};

use docksmith_analysis::Model;
use docksmith_analysis::navigation::{self, Symbol, TextEdit};
use docksmith_analysis::semantics::{DeclKind, DepTarget};
use docksmith_syntax::{Dockerfile, TextRange};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

fn dockerfiles(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            dockerfiles(&p, out);
        } else {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let lower = name.to_ascii_lowercase();
            if lower.contains("dockerfile") || lower.contains("containerfile") {
                out.push(p);
            }
        }
    }
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

/// The stage graph: for each stage, its dependencies' targets.
fn graph(m: &Model) -> Vec<Vec<String>> {
    m.stages
        .iter()
        .map(|s| {
            s.deps
                .iter()
                .map(|d| match &d.target {
                    DepTarget::Stage(t) => format!("stage {t}"),
                    DepTarget::Image(i) => format!("image {i}"),
                    DepTarget::Unknown => "unknown".into(),
                })
                .collect()
        })
        .collect()
}

/// For each variable use (in order), the line of its declaration (or none).
fn resolution(m: &Model) -> Vec<Option<Option<TextRange>>> {
    m.uses
        .iter()
        .map(|u| {
            u.decl
                .map(|d| m.decls[d].name_range.map(|r| TextRange::empty(r.start)))
        })
        .collect()
}

#[test]
fn navigation_over_the_corpus() {
    let mut files = Vec::new();
    dockerfiles(Path::new(CORPUS), &mut files);
    if files.is_empty() {
        eprintln!("SKIPPED: no corpus at {CORPUS}");
        return;
    }
    files.sort();
    let (mut stage_renames, mut var_renames, mut refused, mut requests) = (0, 0, 0, 0usize);
    for path in &files {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let df = Dockerfile::parse(&text);
        let m = Model::build(&df);
        // Every request at every token boundary.
        let mut offsets: Vec<u32> = df.tokens().map(|t| t.range.start).collect();
        offsets.push(df.len());
        for w in df.tokens().map(|t| t.range) {
            offsets.push(w.start + w.len() / 2);
        }
        for &o in &offsets {
            let all = navigation::references(&df, &m, o, true);
            let uses = navigation::references(&df, &m, o, false);
            assert!(uses.iter().all(|r| all.contains(r)), "{}", path.display());
            for t in navigation::definition(&df, &m, o) {
                assert!(t.range.contains_range(t.focus), "{}", path.display());
                assert!(
                    all.contains(&t.focus)
                        // an unnamed stage: its FROM
                        || t.focus == t.range
                        || navigation::symbol_at(&df, &m, o)
                            .is_some_and(|(s, _)| matches!(s, Symbol::Var(_))),
                    "{}: definition not among references at {o}",
                    path.display()
                );
            }
            let _ = navigation::highlights(&df, &m, o);
            let _ = navigation::prepare_rename(&df, &m, o);
            requests += 4;
        }
        let chains = navigation::selection_ranges(&df, &m, &offsets);
        for c in &chains {
            assert!(c.windows(2).all(|w| w[1].contains_range(w[0])));
        }
        let _ = navigation::document_symbols(&df, &m);
        let _ = navigation::folding_ranges(&df, &m);
        let _ = navigation::code_lenses(&m);
        let _ = navigation::inlay_hints(&df, &m, TextRange::new(0, df.len()));

        // Rename every named stage; the graph must not change.
        for st in &m.stages {
            let Some(name) = &st.name else { continue };
            let new = format!("zz-renamed-{}", st.index);
            match navigation::rename(&df, &m, name.range.start, &new) {
                Ok(edits) => {
                    let df2 = Dockerfile::parse(&apply(&text, &edits));
                    let m2 = Model::build(&df2);
                    assert_eq!(
                        graph(&m),
                        graph(&m2),
                        "{}: rename {}",
                        path.display(),
                        name.text
                    );
                    assert_eq!(
                        m2.stages[st.index].name.as_ref().map(|n| n.text.as_str()),
                        Some(new.as_str())
                    );
                    stage_renames += 1;
                }
                Err(_) => refused += 1,
            }
        }
        // Rename every declared variable; every use must resolve as before.
        for d in m.decls.iter().filter(|d| d.kind != DeclKind::Predefined) {
            let Some(r) = d.name_range else { continue };
            if m.root_decl(d.id) != d.id {
                continue;
            }
            let new = format!("ZZ_RENAMED_{}", d.id);
            match navigation::rename(&df, &m, r.start, &new) {
                Ok(edits) => {
                    let text2 = apply(&text, &edits);
                    let df2 = Dockerfile::parse(&text2);
                    let m2 = Model::build(&df2);
                    assert_eq!(
                        m.uses.len(),
                        m2.uses.len(),
                        "{}: {}",
                        path.display(),
                        d.name
                    );
                    assert_eq!(graph(&m), graph(&m2), "{}: {}", path.display(), d.name);
                    // Same declarations (by order), same resolution.
                    let ids = |m: &Model| -> Vec<Option<usize>> {
                        m.uses.iter().map(|u| u.decl).collect()
                    };
                    assert_eq!(ids(&m), ids(&m2), "{}: rename {}", path.display(), d.name);
                    let _ = resolution(&m2);
                    var_renames += 1;
                }
                Err(_) => refused += 1,
            }
        }
    }
    eprintln!(
        "{} files, {requests} position requests, {stage_renames} stage renames and {var_renames} variable renames checked, {refused} refused",
        files.len()
    );
    assert!(stage_renames > 100 && var_renames > 100);
}
