//! `docksmith stages FILE [--json]`: the stages of a Dockerfile as build targets, for
//! scripts and editor pickers.
//!
//! Text output: one line per stage, `INDEX NAME BASE (line N)` and what it needs. JSON
//! output: an array of objects (see `docs/navigation.md` for the fields).

use std::io::{Read, Write};
use std::path::Path;

use docksmith_analysis::Model;
use docksmith_analysis::navigation::{TargetInfo, targets};
use docksmith_syntax::Dockerfile;
use serde_json::{Value, json};

use crate::cli::{EXIT_OK, EXIT_USAGE};

/// Reads `file` (`-` for standard input), prints its stages; returns the exit code.
pub fn run(file: &Path, as_json: bool) -> i32 {
    let bytes = if file.as_os_str() == "-" {
        let mut buf = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut buf) {
            eprintln!("docksmith: cannot read standard input: {e}");
            return EXIT_USAGE;
        }
        buf
    } else {
        match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("docksmith: cannot read {}: {e}", file.display());
                return EXIT_USAGE;
            }
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    let out = render(&text, as_json);
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return EXIT_USAGE;
    }
    EXIT_OK
}

/// The listing of a Dockerfile's text, as text or JSON (with a final newline).
pub fn render(text: &str, as_json: bool) -> String {
    let df = Dockerfile::parse(text);
    let m = Model::build(&df);
    let list = targets(&df, &m);
    if as_json {
        let v: Vec<Value> = list.iter().map(to_json).collect();
        let mut s = serde_json::to_string_pretty(&Value::Array(v)).unwrap_or_default();
        s.push('\n');
        return s;
    }
    let mut out = String::new();
    for t in &list {
        out.push_str(&text_line(t, &list));
        out.push('\n');
    }
    out
}

fn label(t: &TargetInfo) -> String {
    t.name.clone().unwrap_or_else(|| format!("#{}", t.index))
}

fn text_line(t: &TargetInfo, all: &[TargetInfo]) -> String {
    let name_of = |i: usize| all.get(i).map_or_else(|| i.to_string(), label);
    let mut s = format!(
        "{:<3} {:<20} {:<40} line {}",
        t.index,
        label(t),
        t.base.as_deref().unwrap_or("-"),
        t.line
    );
    if !t.depends_on.is_empty() {
        let deps: Vec<String> = t.depends_on.iter().map(|&d| name_of(d)).collect();
        s.push_str(&format!("  uses {}", deps.join(", ")));
    }
    if t.default_target {
        s.push_str("  (default target)");
    }
    s.trim_end().to_string()
}

fn to_json(t: &TargetInfo) -> Value {
    json!({
        "index": t.index,
        "name": t.name,
        "base": t.base,
        "image": t.image,
        "baseStage": t.base_stage,
        "platform": t.platform,
        "line": t.line,
        "dependsOn": t.depends_on,
        "images": t.images,
        "needs": t.needs,
        "defaultTarget": t.default_target,
        "targetable": t.targetable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "ARG V=1.22\nFROM golang:${V} AS build\nRUN make\nFROM build AS test\nFROM scratch\nCOPY --from=build /o /o\nCOPY --from=nginx:1 /a /a\n";

    #[test]
    fn text_listing() {
        assert_eq!(
            render(FILE, false),
            "0   build                golang:${V}                              line 2\n\
             1   test                 build                                    line 4  uses build\n\
             2   #2                   scratch                                  line 5  uses build  (default target)\n"
        );
    }

    #[test]
    fn json_listing() {
        let v: Value = serde_json::from_str(&render(FILE, true)).unwrap();
        assert_eq!(v[0]["name"], "build");
        assert_eq!(v[0]["image"], "golang:1.22");
        assert_eq!(v[1]["baseStage"], 0);
        assert_eq!(v[2]["dependsOn"], json!([0]));
        assert_eq!(v[2]["images"], json!(["nginx:1"]));
        assert_eq!(v[2]["defaultTarget"], true);
        assert_eq!(v[2]["targetable"], false);
        assert_eq!(v[2]["line"], 5);
    }
}
