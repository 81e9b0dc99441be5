//! Data-driven signature help tests: at each `|` cursor of `data/signature/*.Dockerfile`
//! the `.txt` file shows the forms, the active one (`>`) and the active parameter
//! (in `«»`). `UPDATE_SNAPSHOTS=1` rewrites them (review the diff).

mod common;

use docksmith_analysis::signature::signature_help;
use docksmith_syntax::Dockerfile;

#[test]
fn signature_snapshots() {
    common::snapshots("signature", "txt", |f| {
        let df = Dockerfile::parse(&f.text);
        let mut out = String::new();
        for at in common::cursors(f) {
            out.push_str(&common::heading(&f.text, at, None));
            match signature_help(&df, at) {
                None => out.push_str("(no signature help)\n"),
                Some(h) => {
                    for (k, s) in h.signatures.iter().enumerate() {
                        let active = k == h.active_signature;
                        let mut label = s.label.clone();
                        if active
                            && let Some(p) = h.active_parameter.and_then(|p| s.parameters.get(p))
                        {
                            label.insert(p.end as usize, '»');
                            label.insert(p.start as usize, '«');
                            out.push_str(&format!("> {label}   ({})\n", p.documentation));
                        } else {
                            out.push_str(&format!("{} {label}\n", if active { ">" } else { " " }));
                        }
                        for p in &s.parameters {
                            assert!(p.start < p.end && (p.end as usize) <= s.label.len());
                        }
                    }
                }
            }
            out.push('\n');
        }
        out
    });
}
