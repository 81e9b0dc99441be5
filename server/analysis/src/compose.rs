//! Compose files: the `build` sections of services, so that a `build.target` can be
//! checked against the stages of its Dockerfile, completed and followed.
//!
//! Parsing the YAML text is pure; finding and reading the Dockerfile is the caller's
//! job ([`ComposeBuild::dockerfile_path`] says where it is, relative to the compose
//! file's directory).

use std::collections::HashMap;

use docksmith_syntax::TextRange;
use yaml_rust2::Event;
use yaml_rust2::parser::Parser;
use yaml_rust2::scanner::TScalarStyle;

use crate::semantics::{Model, StageId};

/// The file names Compose looks for.
pub const COMPOSE_FILE_NAMES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// Whether a file name (not a path) is a Compose file: the four default names, and
/// the override variants (`compose.override.yaml`, `docker-compose.prod.yml`).
pub fn is_compose_file_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    COMPOSE_FILE_NAMES.contains(&lower.as_str())
        || ((lower.starts_with("compose.") || lower.starts_with("docker-compose."))
            && (lower.ends_with(".yaml") || lower.ends_with(".yml")))
}

/// A scalar with the range of its text (inside quotes for quoted scalars; empty at the
/// value's place for an empty value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scalar {
    pub value: String,
    pub range: TextRange,
}

/// The `build` section of one service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComposeBuild {
    pub service: String,
    pub service_range: TextRange,
    /// `build.context`, or `build: <path>` in the short form.
    pub context: Option<Scalar>,
    pub dockerfile: Option<Scalar>,
    pub target: Option<Scalar>,
    /// `build.dockerfile_inline` is set: there is no Dockerfile on disk.
    pub inline: bool,
}

impl ComposeBuild {
    /// The Dockerfile's path relative to the compose file's directory (or absolute),
    /// with `/` separators: `context` (default `.`) joined with `dockerfile` (default
    /// `Dockerfile`). `None` when it cannot be known without running Compose: a remote
    /// context (URL, git), an inline Dockerfile, variables in the path.
    pub fn dockerfile_path(&self) -> Option<String> {
        if self.inline {
            return None;
        }
        let context = self.context.as_ref().map_or(".", |c| c.value.as_str());
        let dockerfile = self
            .dockerfile
            .as_ref()
            .map_or("Dockerfile", |d| d.value.as_str());
        let remote = |s: &str| s.contains("://") || s.starts_with("git@") || s.contains('$');
        if remote(context) || dockerfile.contains('$') || context.is_empty() {
            return None;
        }
        let joined = if dockerfile.starts_with('/') {
            dockerfile.to_string()
        } else {
            format!("{context}/{dockerfile}")
        };
        Some(normalize(&joined))
    }
}

/// `a/./b//c/../d` -> `a/b/d` (leading `..` kept; a leading `/` kept).
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    if path.starts_with('/') {
        format!("/{body}")
    } else if body.is_empty() {
        ".".to_string()
    } else {
        body
    }
}

/// What a compose file says about builds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ComposeFile {
    pub builds: Vec<ComposeBuild>,
    /// The YAML error that stopped reading, if any (the builds before it are kept).
    pub error: Option<(TextRange, String)>,
}

/// The most YAML events read; past this the rest of the file is ignored.
const MAX_EVENTS: usize = 1_000_000;

#[derive(Clone, Debug)]
enum YNode {
    Scalar(Scalar),
    Map(Vec<(usize, usize)>),
    Seq(Vec<usize>),
    /// An alias to an anchor id.
    Alias(usize),
}

struct Tree {
    nodes: Vec<YNode>,
    anchors: HashMap<usize, usize>,
}

impl Tree {
    /// Follow aliases (bounded).
    fn resolve(&self, mut n: usize) -> usize {
        for _ in 0..16 {
            match self.nodes.get(n) {
                Some(YNode::Alias(a)) => match self.anchors.get(a) {
                    Some(&t) => n = t,
                    None => return n,
                },
                _ => return n,
            }
        }
        n
    }

    /// The entries of a mapping, merge keys (`<<: *anchor`) included (own keys first).
    fn entries(&self, n: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        self.collect_entries(self.resolve(n), &mut out, 0);
        out
    }

    fn collect_entries(&self, n: usize, out: &mut Vec<(usize, usize)>, depth: usize) {
        let Some(YNode::Map(entries)) = self.nodes.get(n) else {
            return;
        };
        let mut merges = Vec::new();
        for &(k, v) in entries {
            if self.scalar(k).is_some_and(|s| s.value == "<<") {
                merges.push(v);
            } else {
                out.push((k, v));
            }
        }
        if depth > 8 {
            return;
        }
        for v in merges {
            let v = self.resolve(v);
            match self.nodes.get(v) {
                Some(YNode::Seq(items)) => {
                    for &i in items {
                        self.collect_entries(self.resolve(i), out, depth + 1);
                    }
                }
                _ => self.collect_entries(v, out, depth + 1),
            }
        }
    }

    fn scalar(&self, n: usize) -> Option<&Scalar> {
        match self.nodes.get(self.resolve(n)) {
            Some(YNode::Scalar(s)) => Some(s),
            _ => None,
        }
    }

    fn get(&self, map: usize, key: &str) -> Option<usize> {
        self.entries(map)
            .into_iter()
            .find(|&(k, _)| self.scalar(k).is_some_and(|s| s.value == key))
            .map(|(_, v)| v)
    }
}

/// Character index -> byte offset (yaml-rust2 counts characters).
struct Offsets<'a> {
    text: &'a str,
    table: Option<Vec<u32>>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let table = (!text.is_ascii()).then(|| {
            let mut t: Vec<u32> = text.char_indices().map(|(b, _)| b as u32).collect();
            t.push(text.len() as u32);
            t
        });
        Offsets { text, table }
    }

    fn byte(&self, chars: usize) -> u32 {
        match &self.table {
            None => chars.min(self.text.len()) as u32,
            Some(t) => t.get(chars).copied().unwrap_or(self.text.len() as u32),
        }
    }
}

fn scalar_range(text: &str, start: u32, value: &str, style: TScalarStyle) -> TextRange {
    let s = start as usize;
    let rest = text.get(s..).unwrap_or("");
    let quoted = matches!(
        style,
        TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted
    );
    let inner = if quoted { 1 } else { 0 };
    if rest.get(inner..).is_some_and(|r| r.starts_with(value)) {
        let a = start + inner as u32;
        return TextRange::new(a, a + value.len() as u32);
    }
    // Escapes or folding: the rest of the line.
    let line_end = rest.find('\n').map_or(text.len(), |k| s + k);
    TextRange::new(start, line_end as u32)
}

fn build_tree(text: &str) -> (Tree, Option<usize>, Option<(TextRange, String)>) {
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut tree = Tree {
        nodes: Vec::new(),
        anchors: HashMap::new(),
    };
    // Open containers: node index, pending key for maps.
    let mut stack: Vec<(usize, Option<usize>)> = Vec::new();
    let mut root = None;
    let mut error = None;
    let mut last_key_end: u32 = 0;
    for _ in 0..MAX_EVENTS {
        let (ev, mark) = match parser.next_token() {
            Ok(x) => x,
            Err(e) => {
                let at = offsets.byte(e.marker().index());
                error = Some((TextRange::empty(at), e.info().to_string()));
                break;
            }
        };
        let at = offsets.byte(mark.index());
        let (node, anchor, opens) = match ev {
            Event::StreamEnd => break,
            Event::Scalar(value, style, anchor, _) => {
                let in_value_position = matches!(stack.last(), Some((n, Some(_))) if matches!(tree.nodes[*n], YNode::Map(_)));
                let range = if value.is_empty() && style == TScalarStyle::Plain && in_value_position
                {
                    // An empty value: just after `key:` (and its spaces).
                    let line = text.get(last_key_end as usize..).unwrap_or("");
                    let colon = line.find(':').map_or(0, |k| k + 1);
                    let spaces = line[colon..]
                        .bytes()
                        .take_while(|&b| b == b' ' || b == b'\t')
                        .count();
                    TextRange::empty(last_key_end + (colon + spaces) as u32)
                } else {
                    scalar_range(text, at, &value, style)
                };
                (YNode::Scalar(Scalar { value, range }), anchor, false)
            }
            Event::Alias(id) => (YNode::Alias(id), 0, false),
            Event::MappingStart(anchor, _) => (YNode::Map(Vec::new()), anchor, true),
            Event::SequenceStart(anchor, _) => (YNode::Seq(Vec::new()), anchor, true),
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some((n, _)) = stack.pop() {
                    attach(&mut tree, &mut stack, &mut root, n, &mut last_key_end);
                }
                continue;
            }
            _ => continue,
        };
        let id = tree.nodes.len();
        tree.nodes.push(node);
        if anchor != 0 {
            tree.anchors.insert(anchor, id);
        }
        if opens {
            stack.push((id, None));
        } else {
            attach(&mut tree, &mut stack, &mut root, id, &mut last_key_end);
        }
    }
    // Close what a YAML error left open, so that what came before it is kept.
    while let Some((n, _)) = stack.pop() {
        attach(&mut tree, &mut stack, &mut root, n, &mut last_key_end);
    }
    (tree, root, error)
}

fn attach(
    tree: &mut Tree,
    stack: &mut [(usize, Option<usize>)],
    root: &mut Option<usize>,
    id: usize,
    last_key_end: &mut u32,
) {
    let Some((parent, pending)) = stack.last_mut() else {
        if root.is_none() {
            *root = Some(id);
        }
        return;
    };
    let is_scalar_key = matches!(tree.nodes[id], YNode::Scalar(..));
    match &mut tree.nodes[*parent] {
        YNode::Map(entries) => match pending.take() {
            Some(k) => entries.push((k, id)),
            None => {
                *pending = Some(id);
                if is_scalar_key && let YNode::Scalar(s) = &tree.nodes[id] {
                    *last_key_end = s.range.end;
                }
            }
        },
        YNode::Seq(items) => items.push(id),
        _ => {}
    }
}

/// Read the `services.*.build` sections of a compose file.
pub fn parse_compose(text: &str) -> ComposeFile {
    let (tree, root, error) = build_tree(text);
    let mut builds = Vec::new();
    if let Some(services) = root.and_then(|r| tree.get(r, "services")) {
        for (k, v) in tree.entries(services) {
            let (Some(name), Some(build)) = (tree.scalar(k), tree.get(v, "build")) else {
                continue;
            };
            let mut b = ComposeBuild {
                service: name.value.clone(),
                service_range: name.range,
                context: None,
                dockerfile: None,
                target: None,
                inline: false,
            };
            if let Some(s) = tree.scalar(build) {
                b.context = Some(s.clone());
            } else {
                b.context = tree
                    .get(build, "context")
                    .and_then(|n| tree.scalar(n))
                    .cloned();
                b.dockerfile = tree
                    .get(build, "dockerfile")
                    .and_then(|n| tree.scalar(n))
                    .cloned();
                b.target = tree
                    .get(build, "target")
                    .and_then(|n| tree.scalar(n))
                    .cloned();
                b.inline = tree.get(build, "dockerfile_inline").is_some();
            }
            builds.push(b);
        }
    }
    ComposeFile { builds, error }
}

/// A problem in a compose file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComposeDiagnostic {
    pub range: TextRange,
    pub message: String,
}

/// The stage a target names (stage names compare without case, as BuildKit).
pub fn resolve_target(m: &Model, target: &str) -> Option<StageId> {
    m.stage_by_name(target)
}

/// Check a build's target against the model of its Dockerfile (`dockerfile` names it
/// in the message).
pub fn check_target(b: &ComposeBuild, m: &Model, dockerfile: &str) -> Option<ComposeDiagnostic> {
    let t = b.target.as_ref()?;
    if t.value.contains('$') {
        return None;
    }
    if t.value.is_empty() {
        return Some(ComposeDiagnostic {
            range: t.range,
            message: format!(
                "empty build target for service {:?}; name a stage of {dockerfile}: {}",
                b.service,
                stage_list(m)
            ),
        });
    }
    if resolve_target(m, &t.value).is_some() {
        return None;
    }
    Some(ComposeDiagnostic {
        range: t.range,
        message: format!(
            "target stage {:?} not found in {dockerfile}; {}",
            t.value,
            match stage_list(m).as_str() {
                "" => "it has no named stages".to_string(),
                list => format!("its stages are: {list}"),
            }
        ),
    })
}

fn stage_list(m: &Model) -> String {
    m.stages
        .iter()
        .filter_map(|s| s.name.as_ref().map(|n| n.text.clone()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The build whose `target` value is at `offset`.
pub fn target_at(file: &ComposeFile, offset: u32) -> Option<&ComposeBuild> {
    file.builds
        .iter()
        .find(|b| b.target.as_ref().is_some_and(|t| t.range.touches(offset)))
}

/// Completions for a `target` value at `offset`: the range to replace and the named
/// stages (in file order, each once).
pub fn complete_target(m: &Model) -> Vec<(String, String)> {
    let mut seen = Vec::<String>::new();
    let mut out = Vec::new();
    for s in &m.stages {
        if let Some(n) = &s.name
            && !seen.iter().any(|x| x.eq_ignore_ascii_case(&n.text))
        {
            seen.push(n.text.clone());
            let detail = s.image_word.as_ref().map_or_else(
                || format!("stage {}", s.index),
                |(w, _)| format!("FROM {w}"),
            );
            out.push((n.text.clone(), detail));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_compose_file_name("compose.yaml"));
        assert!(is_compose_file_name("docker-compose.override.yml"));
        assert!(!is_compose_file_name("compose.json"));
        assert!(!is_compose_file_name("values.yaml"));
    }

    #[test]
    fn paths() {
        let b = |ctx: Option<&str>, df: Option<&str>| ComposeBuild {
            service: "s".into(),
            service_range: TextRange::default(),
            context: ctx.map(|c| Scalar {
                value: c.into(),
                range: TextRange::default(),
            }),
            dockerfile: df.map(|c| Scalar {
                value: c.into(),
                range: TextRange::default(),
            }),
            target: None,
            inline: false,
        };
        assert_eq!(
            b(None, None).dockerfile_path().as_deref(),
            Some("Dockerfile")
        );
        assert_eq!(
            b(Some("./app/"), Some("./docker/Dockerfile.dev"))
                .dockerfile_path()
                .as_deref(),
            Some("app/docker/Dockerfile.dev")
        );
        assert_eq!(
            b(Some("https://github.com/x/y.git"), None).dockerfile_path(),
            None
        );
        assert_eq!(b(Some("${CTX}"), None).dockerfile_path(), None);
        assert_eq!(
            b(Some("."), Some("/abs/Dockerfile"))
                .dockerfile_path()
                .as_deref(),
            Some("/abs/Dockerfile")
        );
    }
}
