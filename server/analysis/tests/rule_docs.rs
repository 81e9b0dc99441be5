//! `docs/rules/<Name>.md` and `docs/rules/README.md` are generated from the rules'
//! metadata; this test fails when they are stale. `UPDATE_SNAPSHOTS=1` rewrites them.

use std::path::Path;

use docksmith_analysis::rules::{Category, RULES};

fn index() -> String {
    let mut s = String::from(
        "# Rules\n\nGenerated from the rules' metadata (`server/analysis/src/rules/`); do not edit.\nRegenerate with `UPDATE_SNAPSHOTS=1 cargo test -p docksmith-analysis --test rule_docs`.\n",
    );
    for (cat, title) in [
        (Category::Syntax, "Syntax and validity"),
        (Category::BuildKit, "BuildKit build checks"),
        (Category::BestPractice, "Best practice"),
        (Category::Suppression, "Suppressions"),
    ] {
        let rules: Vec<_> = RULES.iter().filter(|r| r.meta.category == cat).collect();
        if rules.is_empty() {
            continue;
        }
        s.push_str(&format!(
            "\n## {title}\n\n| rule | aliases | severity | fix | summary |\n| --- | --- | --- | --- | --- |\n"
        ));
        for r in rules {
            let m = &r.meta;
            let sev = if m.experimental {
                format!("{} (experimental)", m.severity.name())
            } else if !m.default_enabled {
                format!("{} (off)", m.severity.name())
            } else {
                m.severity.name().to_string()
            };
            s.push_str(&format!(
                "| [{n}]({n}.md) | {} | {sev} | {} | {} |\n",
                m.aliases.join(", "),
                m.fix.map_or("", |f| f.name()),
                m.summary.replace('|', "\\|"),
                n = m.name
            ));
        }
    }
    s
}

#[test]
fn rule_docs_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut files: Vec<(String, String)> = RULES
        .iter()
        .map(|r| (format!("{}.md", r.meta.name), r.doc_markdown()))
        .collect();
    files.push(("README.md".to_string(), index()));
    let mut stale = Vec::new();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    for (name, content) in &files {
        let path = dir.join(name);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if &current != content {
            if update {
                std::fs::write(&path, content).unwrap();
            } else {
                stale.push(name.clone());
            }
        }
    }
    // Pages of rules that no longer exist.
    if let Ok(rd) = std::fs::read_dir(&dir) {
        for e in rd.flatten() {
            let n = e.file_name().to_string_lossy().to_string();
            if n.ends_with(".md") && !files.iter().any(|(f, _)| *f == n) {
                if update {
                    std::fs::remove_file(e.path()).unwrap();
                } else {
                    stale.push(format!("{n} (no such rule)"));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale rule docs: {stale:?}; run UPDATE_SNAPSHOTS=1 cargo test -p docksmith-analysis --test rule_docs"
    );
}
