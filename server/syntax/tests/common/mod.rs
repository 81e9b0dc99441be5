//! Shared by the corpus tests: where `../shared/corpus` is, and its manifests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `../shared/corpus` beside the repository, or `None` (saying `SKIPPED`) when absent.
pub fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: ../shared/corpus not found at {}", dir.display());
        None
    }
}

/// One file of the real-world and edge-case sets.
pub struct Entry {
    pub path: PathBuf,
    /// `realworld/<file>` or `edgecases/<file>`.
    pub name: String,
    /// The manifest's flags column (`template`, `heredoc`, ...).
    pub flags: String,
}

impl Entry {
    pub fn is_template(&self) -> bool {
        self.flags.contains("template")
    }

    /// The file's text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&std::fs::read(&self.path).unwrap()).into_owned()
    }
}

/// Every file listed in `realworld/MANIFEST.tsv` and `edgecases/MANIFEST.tsv`.
pub fn entries(dir: &Path) -> Vec<Entry> {
    let mut out = Vec::new();
    for set in ["realworld", "edgecases"] {
        let manifest = std::fs::read_to_string(dir.join(set).join("MANIFEST.tsv")).unwrap();
        for line in manifest.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            out.push(Entry {
                path: dir.join(set).join(cols[0]),
                name: format!("{set}/{}", cols[0]),
                flags: cols.get(7).copied().unwrap_or("").to_string(),
            });
        }
    }
    out
}
