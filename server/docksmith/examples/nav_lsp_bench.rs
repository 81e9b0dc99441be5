//! Server-side time of the navigation requests (LSP conversion included, JSON excluded) on a
//! generated Dockerfile: `cargo run --release -p docksmith --example nav_lsp_bench [LINES]`.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use docksmith::lsp::navigation;
use docksmith::lsp::server::State;
use tower_lsp_server::ls_types::*;

fn stats(name: &str, mut t: Vec<Duration>) {
    t.sort();
    println!(
        "{name:<20} min {:>9.1?}  median {:>9.1?}  max {:>9.1?}",
        t[0],
        t[t.len() / 2],
        t[t.len() - 1]
    );
}

fn main() {
    let lines: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let text = docksmith_testgen::dockerfile(lines, 1);
    let uri: Uri = "file:///bench/Dockerfile".parse().unwrap();
    let mut st = State::default();
    let _replaced = st.docs.open(uri.as_str(), &text, 1, "dockerfile".into());
    let t = Instant::now();
    let _ = st.docs.get(uri.as_str()).unwrap().model();
    println!(
        "{lines} lines; model built once per change in {:.1?}",
        t.elapsed()
    );
    let doc = TextDocumentIdentifier { uri: uri.clone() };
    let reps = 20;
    let time = |f: &dyn Fn()| -> Vec<Duration> {
        (0..reps)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect()
    };
    stats(
        "documentSymbol",
        time(&|| {
            std::hint::black_box(navigation::document_symbols(
                &st,
                DocumentSymbolParams {
                    text_document: doc.clone(),
                    work_done_progress_params: Default::default(),
                    partial_result_params: Default::default(),
                },
            ));
        }),
    );
    stats(
        "foldingRange",
        time(&|| {
            std::hint::black_box(navigation::folding_ranges(
                &st,
                FoldingRangeParams {
                    text_document: doc.clone(),
                    work_done_progress_params: Default::default(),
                    partial_result_params: Default::default(),
                },
            ));
        }),
    );
    stats(
        "codeLens",
        time(&|| {
            std::hint::black_box(navigation::code_lenses(
                &st,
                CodeLensParams {
                    text_document: doc.clone(),
                    work_done_progress_params: Default::default(),
                    partial_result_params: Default::default(),
                },
            ));
        }),
    );
    let syms = navigation::document_symbols(
        &st,
        DocumentSymbolParams {
            text_document: doc.clone(),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        },
    );
    stats(
        "  + JSON of symbols",
        time(&|| {
            std::hint::black_box(serde_json::to_string(&syms).unwrap());
        }),
    );
}
