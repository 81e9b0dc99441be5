//! Data-driven tests of the semantic model: each `data/semantics/*.Dockerfile` is
//! analysed and re-rendered with one marker line per fact (stages, dependencies,
//! variable uses and what they resolve to); compared with the `.expected` file beside
//! it. `UPDATE_SNAPSHOTS=1` rewrites them (review the diff).

mod common;

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
    common::snapshots("semantics", "expected", |fx| {
        let df = Dockerfile::parse(&fx.text);
        let m = Model::build(&df);
        render(&fx.text, &describe(&df, &m))
    });
}
