//! Completion: [`context::classify`] decides once where the cursor is, then one provider
//! per context lists the items.

pub mod context;
mod snippets;

use std::collections::HashMap;

use docksmith_syntax::{Dockerfile, InstructionKind, NodeKind, TextRange};

pub use context::{Context, classify};

use crate::catalog;
use crate::hover::{docs, rules};
use crate::semantics::{Base, DeclId, DeclKind, Model, PLATFORM_ARGS, PROXY_ARGS, Value};

/// What an item is (the LSP glue maps it to a completion item kind).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Keyword,
    Directive,
    Flag,
    Value,
    Stage,
    Variable,
    Image,
    Rule,
    Signal,
}

/// One completion item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    /// A short line shown next to the label.
    pub detail: Option<String>,
    /// Markdown documentation.
    pub documentation: Option<String>,
    /// The text that replaces `range` (a snippet when `snippet`).
    pub insert: String,
    pub snippet: bool,
    pub range: TextRange,
    /// Ask the client to complete again after inserting (the text ends in `=`).
    pub retrigger: bool,
    pub deprecated: bool,
}

impl Item {
    fn new(label: impl Into<String>, kind: ItemKind, range: TextRange) -> Self {
        let label = label.into();
        Item {
            insert: label.clone(),
            label,
            kind,
            detail: None,
            documentation: None,
            snippet: false,
            range,
            retrigger: false,
            deprecated: false,
        }
    }

    fn detail(mut self, d: impl Into<String>) -> Self {
        let d = d.into();
        if !d.is_empty() {
            self.detail = Some(d);
        }
        self
    }

    fn docs(mut self, d: impl Into<String>) -> Self {
        self.documentation = Some(d.into());
        self
    }

    fn insert(mut self, text: impl Into<String>) -> Self {
        self.insert = text.into();
        self.retrigger = self.insert.ends_with('=');
        self
    }
}

/// The completions at byte `offset`, with the context that produced them.
pub fn complete(df: &Dockerfile, model: &Model, offset: u32) -> (Context, Vec<Item>) {
    let offset = offset.min(df.len());
    let ctx = classify(df, offset);
    let items = match &ctx {
        Context::None => Vec::new(),
        Context::Keyword { range, onbuild } => keywords(df, model, offset, *range, *onbuild),
        Context::Directive { range } => directives(df, *range),
        Context::DirectiveValue { name, range } => directive_values(name, *range),
        Context::Rule { range } => rules::all()
            .iter()
            .map(|r| {
                Item::new(r.name.clone(), ItemKind::Rule, *range)
                    .detail(r.summary.clone())
                    .docs(rules::markdown(r))
            })
            .collect(),
        Context::Flag {
            kind,
            range,
            present,
        } => flags(*kind, *range, present),
        Context::FlagValue { kind, flag, range } => {
            flag_values(df, model, offset, *kind, flag, *range)
        }
        Context::MountKey {
            mount_type,
            range,
            present,
        } => mount_keys(mount_type, *range, present),
        Context::MountValue {
            key,
            mount_type: _,
            range,
        } => mount_values(df, model, offset, key, *range),
        Context::Variable {
            kind,
            braced,
            range,
        } => variables(df, model, offset, *kind, *braced, *range),
        Context::FromImage { range } => {
            let mut items = stages_before(df, model, offset, *range);
            items.extend(
                catalog::BASE_IMAGES
                    .iter()
                    .map(|(name, doc)| Item::new(*name, ItemKind::Image, *range).detail(*doc)),
            );
            items
        }
        Context::FromAs { range } => {
            let upper = keyword_case(df) == Case::Upper;
            vec![
                Item::new(if upper { "AS" } else { "as" }, ItemKind::Keyword, *range)
                    .detail("name this stage")
                    .insert(if upper {
                        "AS ${1:name}"
                    } else {
                        "as ${1:name}"
                    })
                    .snippet(),
            ]
        }
        Context::ArgName { range } => arg_names(model, *range),
        Context::HealthcheckKind { range } => {
            values(catalog::HEALTHCHECK_KINDS, ItemKind::Keyword, *range)
        }
        Context::Signal { range } => values(catalog::SIGNALS, ItemKind::Signal, *range),
        Context::Protocol { range } => values(catalog::PROTOCOLS, ItemKind::Value, *range),
    };
    (ctx, items)
}

impl Item {
    fn snippet(mut self) -> Self {
        self.snippet = true;
        self
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    Upper,
    Lower,
}

/// The file's keyword case: the majority of its instructions (upper when tied).
fn keyword_case(df: &Dockerfile) -> Case {
    let (mut up, mut low) = (0usize, 0usize);
    for i in df.instructions().take(200) {
        let k = &i.inst.keyword.text;
        if k.chars().all(|c| !c.is_ascii_uppercase()) {
            low += 1;
        } else if k.chars().all(|c| !c.is_ascii_lowercase()) {
            up += 1;
        }
    }
    if low > up { Case::Lower } else { Case::Upper }
}

fn keywords(
    df: &Dockerfile,
    model: &Model,
    offset: u32,
    range: TextRange,
    onbuild: bool,
) -> Vec<Item> {
    let case = keyword_case(df);
    let before_first_from = match model.stages.first() {
        None => true,
        Some(s) => offset <= s.from_range.end,
    };
    let mut out = Vec::new();
    for kind in InstructionKind::ALL {
        if before_first_from
            && !onbuild
            && !matches!(kind, InstructionKind::From | InstructionKind::Arg)
        {
            continue;
        }
        if onbuild
            && matches!(
                kind,
                InstructionKind::From | InstructionKind::Onbuild | InstructionKind::Maintainer
            )
        {
            continue;
        }
        let (name, snippet) = (kind.name(), snippets::keyword(kind));
        let (label, insert) = match case {
            Case::Upper => (name.to_string(), snippet.to_string()),
            Case::Lower => (
                name.to_ascii_lowercase(),
                format!("{}{}", name.to_ascii_lowercase(), &snippet[name.len()..]),
            ),
        };
        let mut item = Item::new(label, ItemKind::Keyword, range)
            .detail(docs::summary(kind))
            .docs(docs::instruction(kind))
            .insert(insert)
            .snippet();
        item.deprecated = catalog::deprecated(kind);
        out.push(item);
    }
    out
}

fn directives(df: &Dockerfile, range: TextRange) -> Vec<Item> {
    let present: Vec<String> = df.directives().map(|(_, d)| d.name).collect();
    catalog::DIRECTIVES
        .iter()
        .filter(|d| !present.iter().any(|p| p == d.name))
        .map(|d| {
            Item::new(d.name, ItemKind::Directive, range)
                .detail("parser directive")
                .docs(d.doc)
                .insert(format!("{}=", d.name))
        })
        .collect()
}

fn directive_values(name: &str, range: TextRange) -> Vec<Item> {
    catalog::directive(name).map_or_else(Vec::new, |d| {
        d.values
            .iter()
            .map(|(v, doc)| {
                Item::new(*v, ItemKind::Value, range)
                    .detail(*doc)
                    .insert(*v)
            })
            .collect()
    })
}

fn values(list: &[(&str, &str)], kind: ItemKind, range: TextRange) -> Vec<Item> {
    list.iter()
        .map(|(v, d)| Item::new(*v, kind, range).detail(*d))
        .collect()
}

fn flags(kind: InstructionKind, range: TextRange, present: &[String]) -> Vec<Item> {
    catalog::flags(kind)
        .iter()
        .filter(|f| matches!(f.name, "mount" | "exclude") || !present.iter().any(|p| p == f.name))
        .map(|f| {
            let mut doc = format!("`{}`\n\n{}", f.usage, f.doc);
            if let Some(s) = f.since {
                doc.push_str(&format!("\n\nNeeds {s}."));
            }
            let insert = if f.boolean {
                format!("--{}", f.name)
            } else {
                format!("--{}=", f.name)
            };
            Item::new(format!("--{}", f.name), ItemKind::Flag, range)
                .detail(f.usage)
                .docs(doc)
                .insert(insert)
        })
        .collect()
}

fn flag_values(
    df: &Dockerfile,
    model: &Model,
    offset: u32,
    kind: InstructionKind,
    flag: &str,
    range: TextRange,
) -> Vec<Item> {
    if flag == "from" {
        return stages_before(df, model, offset, range);
    }
    catalog::flag(kind, flag).map_or_else(Vec::new, |f| values(f.values, ItemKind::Value, range))
}

fn mount_keys(mount_type: &str, range: TextRange, present: &[String]) -> Vec<Item> {
    catalog::MOUNT_KEYS
        .iter()
        .filter(|k| k.types.contains(&mount_type))
        .filter(|k| {
            !present.iter().any(|p| {
                p.eq_ignore_ascii_case(k.name)
                    || k.aliases.iter().any(|a| a.eq_ignore_ascii_case(p))
            })
        })
        .map(|k| {
            Item::new(k.name, ItemKind::Flag, range)
                .detail(format!("--mount key ({})", k.types.join(", ")))
                .docs(k.doc)
                .insert(format!("{}=", k.name))
        })
        .collect()
}

fn mount_values(
    df: &Dockerfile,
    model: &Model,
    offset: u32,
    key: &str,
    range: TextRange,
) -> Vec<Item> {
    if key == "type" {
        return catalog::MOUNT_TYPES
            .iter()
            .map(|t| {
                Item::new(t.name, ItemKind::Value, range)
                    .detail("mount type")
                    .docs(format!("{}\n\n```dockerfile\n{}\n```", t.doc, t.example))
            })
            .collect();
    }
    if key == "from" {
        return stages_before(df, model, offset, range);
    }
    catalog::mount_key(key).map_or_else(Vec::new, |k| values(k.values, ItemKind::Value, range))
}

/// Named stages that start before `offset`, excluding the cursor's own stage.
fn stages_before(df: &Dockerfile, model: &Model, offset: u32, range: TextRange) -> Vec<Item> {
    let here = df
        .node_index_at(offset)
        .and_then(|i| model.node_stage.get(i).copied().flatten());
    model
        .stages
        .iter()
        .filter(|s| s.from_range.end < offset && Some(s.index) != here)
        .filter_map(|s| {
            let name = s.name.as_ref()?;
            let base = match &s.base {
                Base::Stage(b) => format!(
                    "stage {}",
                    model
                        .stages
                        .get(*b)
                        .map_or_else(String::new, |x| x.display_name())
                ),
                _ => s
                    .image_word
                    .as_ref()
                    .map_or_else(String::new, |w| w.0.clone()),
            };
            Some(
                Item::new(name.text.clone(), ItemKind::Stage, range)
                    .detail(format!("stage #{} FROM {base}", s.index)),
            )
        })
        .collect()
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Known(v) => format!("= {v}"),
        Value::Unknown => "set at build time".to_string(),
        Value::NoDefault => "no default".to_string(),
    }
}

fn arg_names(model: &Model, range: TextRange) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for d in model.decls.iter().filter(|d| d.kind == DeclKind::GlobalArg) {
        if seen.insert(d.name.clone()) {
            out.push(
                Item::new(d.name.clone(), ItemKind::Variable, range)
                    .detail(format!("global ARG {}", value_text(&d.value))),
            );
        }
    }
    for name in PLATFORM_ARGS {
        if seen.insert(name.to_string()) {
            out.push(Item::new(name, ItemKind::Variable, range).detail("predefined by BuildKit"));
        }
    }
    out
}

/// The variables in scope at `offset`, with their values.
fn variables(
    df: &Dockerfile,
    model: &Model,
    offset: u32,
    kind: InstructionKind,
    braced: bool,
    range: TextRange,
) -> Vec<Item> {
    let Some(node) = df.node_index_at(offset) else {
        return Vec::new();
    };
    let stage = model.node_stage.get(node).copied().flatten();
    let on_from = kind == InstructionKind::From
        || stage.is_none()
        || df
            .node(node)
            .is_some_and(|n| n.node.kind != NodeKind::Instruction);
    let mut scope: HashMap<&str, DeclId> = HashMap::new();
    let mut in_scope: Vec<DeclId> = Vec::new();
    if on_from || stage.is_none() {
        for name in PLATFORM_ARGS {
            if let Some(id) = model.predefined(name) {
                in_scope.push(id);
            }
        }
        in_scope.extend(
            model
                .decls
                .iter()
                .filter(|d| d.kind == DeclKind::GlobalArg && d.node.is_some_and(|n| n < node))
                .map(|d| d.id),
        );
    } else if let Some(s) = stage.and_then(|s| model.stages.get(s)) {
        if let Base::Stage(b) = s.base
            && let Some(bs) = model.stages.get(b)
        {
            in_scope.extend(bs.env.iter().map(|(_, id)| *id));
        }
        if !kind.expands_variables() {
            for name in PROXY_ARGS {
                if let Some(id) = model.predefined(name) {
                    in_scope.push(id);
                }
            }
        }
        in_scope.extend(
            model
                .decls
                .iter()
                .filter(|d| d.stage == Some(s.index) && d.node.is_some_and(|n| n < node))
                .map(|d| d.id),
        );
    }
    for id in in_scope {
        let Some(d) = model.decls.get(id) else {
            continue;
        };
        match scope.get(d.name.as_str()) {
            Some(&old) if model.decls[old].kind == DeclKind::Env && d.kind != DeclKind::Env => {}
            _ => {
                scope.insert(d.name.as_str(), id);
            }
        }
    }
    let mut names: Vec<(&str, DeclId)> = scope.into_iter().collect();
    names.sort();
    let next_is_brace = df
        .node_index_at(offset)
        .and_then(|i| df.node(i))
        .and_then(|n| n.node.text().get((offset - n.start) as usize..))
        .is_some_and(|rest| rest.starts_with('}'));
    names
        .into_iter()
        .map(|(name, id)| {
            let d = &model.decls[id];
            let what = match d.kind {
                DeclKind::GlobalArg => "global ARG",
                DeclKind::StageArg => "ARG",
                DeclKind::Env => "ENV",
                DeclKind::Predefined => "predefined",
            };
            let insert = if braced && !next_is_brace {
                format!("{name}}}")
            } else {
                name.to_string()
            };
            Item::new(name, ItemKind::Variable, range)
                .detail(format!("{what} {}", value_text(&d.value)))
                .insert(insert)
        })
        .collect()
}
