//! Data-driven tests of the semantic model: each `data/semantics/*.Dockerfile` is
//! analysed and re-rendered with one marker line per fact (stages, dependencies,
//! variable uses and what they resolve to); compared with the `.expected` file beside
//! it. `UPDATE_SNAPSHOTS=1` rewrites them (review the diff).

use std::path::Path;

use docksmith_analysis::fixture::render;
use docksmith_analysis::semantics::{Base, DepTarget, Model, Value};
use docksmith_syntax::{Dockerfile, TextRange};

fn describe(df: &Dockerfile, m: &Model) -> Vec<(TextRange, String)> {
    let mut out = Vec::new();
    for s in &m.stages {
        let base = match &s.base {
            Base::Stage(b) => format!("stage {b}"),
            other => format!("{other:?}"),
        };
        let needed: Vec<usize> = m
            .needed_by(s.index)
            .iter()
            .enumerate()
            .filter(|(_, n)| **n)
            .map(|(i, _)| i)
            .collect();
        let cmdline = |e: &docksmith_analysis::semantics::Effective<
            docksmith_analysis::semantics::CommandValue,
        >| {
            e.value.as_ref().map_or("-".to_string(), |c| {
                format!("{}{:?}", if c.exec { "exec" } else { "shell" }, c.args)
            })
        };
        out.push((
            s.from_range,
            format!(
                "stage {} name={:?} base={base} image={:?} needs={needed:?} workdir={:?} user={:?} entrypoint={} cmd={}",
                s.index,
                s.name.as_ref().map(|n| n.text.as_str()),
                s.image.as_ref().map(|i| i.text.as_str()),
                s.workdir.value,
                s.user.value,
                cmdline(&s.entrypoint),
                cmdline(&s.cmd),
            ),
        ));
        for d in &s.deps {
            let t = match &d.target {
                DepTarget::Stage(t) => format!("stage {t}"),
                other => format!("{other:?}"),
            };
            out.push((d.range, format!("dep {:?} -> {t}", d.kind)));
        }
    }
    for u in &m.uses {
        let what = match u.decl {
            None => "undefined".to_string(),
            Some(id) => {
                let d = &m.decls[id];
                let at = d.name_range.map_or("predefined".to_string(), |r| {
                    let line = df.text()[..r.start as usize].matches('\n').count() + 1;
                    format!("line {line}")
                });
                let v = match &d.value {
                    Value::Known(v) => format!("{v:?}"),
                    Value::Unknown => "unknown".to_string(),
                    Value::NoDefault => "no default".to_string(),
                };
                format!("{:?} {at} = {v}", d.kind)
            }
        };
        out.push((
            u.range,
            format!("use {} ({:?}) -> {what}", u.name, u.context),
        ));
    }
    out
}

#[test]
fn semantics_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/semantics");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    for path in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
    {
        let text = std::fs::read_to_string(path).unwrap();
        let df = Dockerfile::parse(&text);
        let m = Model::build(&df);
        let got = render(&text, &describe(&df, &m));
        let exp_path = path.with_extension("expected");
        let expected = std::fs::read_to_string(&exp_path).unwrap_or_default();
        if got != expected {
            if update {
                std::fs::write(&exp_path, &got).unwrap();
            } else {
                failures.push(format!(
                    "{}\n--- expected\n{expected}\n--- got\n{got}",
                    path.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
