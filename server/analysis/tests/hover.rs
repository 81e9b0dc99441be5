//! Data-driven hover tests: each `|` cursor in `data/hover/*.Dockerfile` is hovered; the
//! `.md` file beside it holds, per cursor, the source line with the hover's range marked
//! and the Markdown. `UPDATE_SNAPSHOTS=1` rewrites them (review the diff).

mod common;

use docksmith_analysis::Model;
use docksmith_analysis::hover::{hover, to_plain_text};
use docksmith_syntax::Dockerfile;

#[test]
fn hover_snapshots() {
    common::snapshots("hover", "md", |f| {
        let df = Dockerfile::parse(&f.text);
        let m = Model::build(&df);
        let mut out = String::new();
        for at in common::cursors(f) {
            let h = hover(&df, &m, at);
            out.push_str(&common::heading(&f.text, at, h.as_ref().map(|h| h.range)));
            match h {
                Some(h) => {
                    assert!(
                        h.range.touches(at),
                        "hover range {:?} misses the cursor {at}",
                        h.range
                    );
                    out.push_str(&h.markdown);
                }
                None => out.push_str("(no hover)"),
            }
            out.push_str("\n\n");
        }
        out
    });
}

#[test]
fn plain_text_drops_markup() {
    let md = "**CMD** in `x`\n\n```sh\necho\n```\n[Ref](https://r/) and [\"a\"]";
    assert_eq!(
        to_plain_text(md),
        "CMD in x\n\necho\nRef (https://r/) and [\"a\"]"
    );
}

/// Every offset of every corpus file: hover never panics and its range holds the cursor.
#[test]
fn hover_everywhere_on_corpus() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/realworld"
    );
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("SKIPPED: no corpus at {dir}");
        return;
    };
    let mut files = Vec::new();
    for e in entries.flatten() {
        if let Ok(sub) = std::fs::read_dir(e.path()) {
            files.extend(sub.flatten().map(|f| f.path()).filter(|p| p.is_file()));
        }
    }
    files.sort();
    let mut hovers = 0usize;
    for p in files.iter().take(150) {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let df = Dockerfile::parse(&text);
        let m = Model::build(&df);
        for at in (0..=text.len() as u32).step_by(3) {
            if let Some(h) = hover(&df, &m, at) {
                assert!(h.range.touches(at), "{}: {at}", p.display());
                hovers += 1;
            }
        }
    }
    assert!(hovers > 1000, "only {hovers} hovers");
}
