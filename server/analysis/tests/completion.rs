//! Data-driven completion tests: at each `|` cursor of `data/completion/*.Dockerfile`
//! the context and the items are listed in the `.txt` file beside it (the source line
//! with the replaced range marked, then one item per line). `UPDATE_SNAPSHOTS=1`
//! rewrites them (review the diff).

mod common;

use docksmith_analysis::Model;
use docksmith_analysis::completion::complete;
use docksmith_syntax::Dockerfile;

#[test]
fn completion_snapshots() {
    common::snapshots("completion", "txt", |f| {
        let df = Dockerfile::parse(&f.text);
        let m = Model::build(&df);
        let mut out = String::new();
        for at in common::cursors(f) {
            let (ctx, items) = complete(&df, &m, at);
            let range = items.first().map(|i| i.range);
            out.push_str(&common::heading(&f.text, at, range));
            let name = format!("{ctx:?}");
            out.push_str(&format!(
                "context: {}\n",
                name.split([' ', '(']).next().unwrap_or("")
            ));
            for i in &items {
                assert!(
                    i.range.touches(at),
                    "item range {:?} misses the cursor {at}",
                    i.range
                );
                assert_eq!(i.range, items[0].range, "items replace different ranges");
                out.push_str(&format!("- {:?} {}", i.kind, i.label));
                if let Some(d) = &i.detail {
                    out.push_str(&format!(" — {d}"));
                }
                if i.insert != i.label {
                    out.push_str(&format!("  ⟶ {}", i.insert));
                }
                if i.deprecated {
                    out.push_str("  (deprecated)");
                }
                out.push('\n');
            }
            if items.is_empty() {
                out.push_str("(no items)\n");
            }
            out.push('\n');
        }
        out
    });
}

/// Completion at every offset of corpus files never panics and replaces text that ends at
/// the cursor.
#[test]
fn completion_everywhere_on_corpus() {
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
    let mut total = 0usize;
    for p in files.iter().take(150) {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        let df = Dockerfile::parse(&text);
        let m = Model::build(&df);
        for at in (0..=text.len() as u32).step_by(5) {
            if !text.is_char_boundary(at as usize) {
                continue;
            }
            let (_, items) = complete(&df, &m, at);
            for i in &items {
                assert_eq!(i.range.end, at, "{}: {at}", p.display());
            }
            total += items.len();
        }
    }
    assert!(total > 1000, "only {total} items");
}
