//! Data-driven semantic token tests: `data/semantic_tokens/*.Dockerfile` re-rendered with
//! a marker line per token (`^^^ type.modifiers`) in the `.expected` file beside it;
//! plus invariants on the corpus (sorted, one line each, columns agree with the text).
//! `UPDATE_SNAPSHOTS=1` rewrites the snapshots (review the diff).

mod common;

use docksmith_analysis::Model;
use docksmith_analysis::fixture::render;
use docksmith_analysis::semantic_tokens::{
    MODIFIER_LEGEND, SemanticToken, TokenType, semantic_tokens,
};
use docksmith_syntax::{Dockerfile, TextRange};

fn describe(t: &SemanticToken) -> String {
    let mut s = TokenType::LEGEND[t.ty as usize].to_string();
    for (bit, name) in MODIFIER_LEGEND.iter().enumerate() {
        if t.modifiers & (1 << bit) != 0 {
            s.push('.');
            s.push_str(name);
        }
    }
    s
}

#[test]
fn semantic_token_snapshots() {
    common::snapshots("semantic_tokens", "expected", |f| {
        let df = Dockerfile::parse(&f.text);
        let m = Model::build(&df);
        let toks = semantic_tokens(&df, &m, None);
        check(&f.text, &toks);
        let ann: Vec<(TextRange, String)> = toks.iter().map(|t| (t.range, describe(t))).collect();
        render(&f.text, &ann)
    });
}

/// Invariants: sorted, disjoint, on one line, line and columns consistent with the text.
fn check(text: &str, toks: &[SemanticToken]) {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut prev_end = 0;
    for t in toks {
        let (s, e) = (t.range.start as usize, t.range.end as usize);
        assert!(s >= prev_end && s < e, "overlap or empty at {s}");
        prev_end = e;
        let piece = &text[s..e];
        assert!(
            !piece.contains(['\n', '\r']),
            "token spans a line: {piece:?}"
        );
        let ls = line_starts[t.line as usize];
        assert_eq!(ls + t.col_utf8 as usize, s);
        assert_eq!(t.len_utf8 as usize, e - s);
        let col16: usize = text[ls..s].chars().map(char::len_utf16).sum();
        assert_eq!(t.col_utf16 as usize, col16);
        assert_eq!(
            t.len_utf16 as usize,
            piece.chars().map(char::len_utf16).sum::<usize>()
        );
    }
}

#[test]
fn range_request_is_a_slice_of_full() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/semantic_tokens/all.Dockerfile"
    ))
    .unwrap();
    let df = Dockerfile::parse(&text);
    let m = Model::build(&df);
    let full = semantic_tokens(&df, &m, None);
    let start = text.find("COPY --from").unwrap() as u32;
    let end = text.find("EXPOSE").unwrap() as u32;
    let part = semantic_tokens(&df, &m, Some(TextRange::new(start, end)));
    assert!(!part.is_empty());
    let pos = full
        .iter()
        .position(|t| t == &part[0])
        .expect("first token of range is in full");
    assert_eq!(&full[pos..pos + part.len()], &part[..]);
    assert!(
        part.iter()
            .all(|t| t.range.end > start && t.range.start < end + 40)
    );
}

#[test]
fn corpus_invariants() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");
    let Ok(entries) = std::fs::read_dir(format!("{dir}/realworld")) else {
        eprintln!("SKIPPED: no corpus at {dir}");
        return;
    };
    let mut n = 0;
    for e in entries.flatten() {
        let Ok(sub) = std::fs::read_dir(e.path()) else {
            continue;
        };
        for f in sub.flatten() {
            let Ok(text) = std::fs::read_to_string(f.path()) else {
                continue;
            };
            let df = Dockerfile::parse(&text);
            let m = Model::build(&df);
            check(&text, &semantic_tokens(&df, &m, None));
            n += 1;
        }
    }
    assert!(n > 100, "only {n} files");
}
