//! Every real-world and edge-case Dockerfile of `../shared/corpus`: lossless, free of
//! syntax errors (templates excepted), and incremental edits equal full parses.
//! Skipped, saying so, when the corpus is absent.

mod common;

use common::{corpus, entries};
use docksmith_syntax::Dockerfile;
use docksmith_testgen::Rng;

/// Check that tokens tile the file and give it back.
fn assert_lossless(text: &str, df: &Dockerfile, name: &str) {
    assert_eq!(df.text(), text, "{name}: text() differs");
    let mut at = 0u32;
    let mut rebuilt = String::new();
    for t in df.tokens() {
        assert_eq!(t.range.start, at, "{name}: token gap or overlap at {at}");
        assert!(t.range.end > t.range.start, "{name}: empty token at {at}");
        rebuilt.push_str(&text[t.range.as_usize()]);
        at = t.range.end;
    }
    assert_eq!(at as usize, text.len(), "{name}: tokens stop early");
    assert_eq!(rebuilt, text, "{name}");
}

#[test]
fn corpus_is_lossless_and_error_free() {
    let Some(dir) = corpus() else { return };
    let entries = entries(&dir);
    let (mut files, mut lossless, mut clean, mut checked) = (0, 0, 0, 0);
    let mut dirty = Vec::new();
    for e in &entries {
        let bytes = std::fs::read(&e.path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let df = Dockerfile::parse(&text);
        files += 1;
        assert_lossless(&text, &df, &e.name);
        lossless += 1;
        if e.flags.contains("template") {
            continue;
        }
        checked += 1;
        let errors = df.errors();
        if errors.is_empty() {
            clean += 1;
        } else {
            dirty.push(format!("{}: {:?}", e.name, errors));
        }
    }
    eprintln!(
        "corpus: {files} files, {lossless} lossless; {clean} of {checked} non-template files without syntax errors"
    );
    for d in &dirty {
        eprintln!("  {d}");
    }
    assert_eq!(lossless, files);
    // Two fixtures are broken on purpose by their projects (they test that builds
    // fail on an unknown instruction); they must keep exactly that one error.
    let expected = [
        "realworld/docker__compose/pkg__e2e__fixtures__wrong-composefile__service1__Dockerfile: [SyntaxError { range: 620..625, message: \"unknown instruction: WRONG\", kind: Instruction }]",
        "edgecases/containers__buildah/tests__bud__unrecognized__Dockerfile: [SyntaxError { range: 12..17, message: \"unknown instruction: BOGUS\", kind: Instruction }]",
    ];
    assert_eq!(
        dirty, expected,
        "unexpected syntax errors in non-template files"
    );
}

const FRAGMENTS: &[&str] = &[
    "\n",
    "\\\n",
    "\\",
    "`\n",
    " ",
    "\t",
    "#",
    "# escape=`\n",
    "# syntax=docker/dockerfile:1\n",
    "RUN ",
    "FROM alpine AS b\n",
    "<<EOF\n",
    "EOF\n",
    "<<-'X'\n",
    "\tX\n",
    "\"",
    "'",
    "[",
    "]",
    "[\"a\", 1]",
    "$",
    "${",
    "}",
    "${A:-b}",
    "=",
    "ENV a",
    "COPY --from=b ",
    "--mount=type=cache ",
    "é",
    "😀",
    "\u{2028}",
    "\r\n",
    "\r",
    "ONBUILD ",
    "x",
    "\u{feff}",
];

fn char_floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn random_edit(rng: &mut Rng, text: &str) -> (usize, usize, String) {
    let start = char_floor(text, rng.below(text.len() + 1));
    let del = if rng.below(3) == 0 { rng.below(40) } else { 0 };
    let end = char_floor(text, start + del).max(start);
    let ins = if rng.below(4) == 0 && end > start {
        String::new()
    } else {
        (0..1 + rng.below(2))
            .map(|_| FRAGMENTS[rng.below(FRAGMENTS.len())])
            .collect()
    };
    (start, end, ins)
}

#[test]
fn incremental_equals_full_on_corpus() {
    let Some(dir) = corpus() else { return };
    let entries = entries(&dir);
    let mut rng = Rng::new(0x5EED);
    let mut edits = 0;
    for (k, e) in entries.iter().enumerate() {
        // Every file, fewer edits on most to keep the debug-mode run short.
        let n = if k % 10 == 0 { 12 } else { 3 };
        let bytes = std::fs::read(&e.path).unwrap();
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        let mut df = Dockerfile::parse(&text);
        for _ in 0..n {
            let (s, en, ins) = random_edit(&mut rng, &text);
            text.replace_range(s..en, &ins);
            df.apply_edit(s, en, &ins);
            let full = Dockerfile::parse(&text);
            assert!(
                df == full,
                "{}: incremental parse differs after edit {s}..{en} {ins:?}",
                e.name
            );
            edits += 1;
        }
    }
    eprintln!(
        "incremental: {edits} random edits over {} files, all equal to a full parse",
        entries.len()
    );
}
