//! The semantic model of a Dockerfile: build stages and what they depend on, build
//! arguments and environment variables with their scopes and values, and the
//! effective WORKDIR, USER, ENTRYPOINT and CMD of each stage.
//!
//! Plain data with absolute byte ranges; built from a [`Dockerfile`] in one pass.

use std::collections::HashMap;

use docksmith_syntax::views::{Command, unquote};
use docksmith_syntax::{Dockerfile, InstructionKind, InstructionRef, TextRange, VarContext};

use crate::expand::{Lookup, expand};
use crate::image::ImageRef;

pub type StageId = usize;
pub type DeclId = usize;

/// BuildKit's automatic platform arguments: available to FROM lines without
/// declaration, and inside a stage once declared with `ARG NAME`.
pub const PLATFORM_ARGS: [&str; 8] = [
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
];

/// Other predefined arguments: the proxy variables (usable in RUN without
/// declaration), and BuildKit's own settings.
pub const PROXY_ARGS: [&str; 8] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// More predefined arguments BuildKit reads.
pub const OTHER_PREDEFINED_ARGS: [&str; 7] = [
    "ALL_PROXY",
    "all_proxy",
    "TARGETSTAGE",
    "BUILDKIT_SYNTAX",
    "BUILDKIT_CONTEXT_KEEP_GIT_DIR",
    "BUILDKIT_INLINE_CACHE",
    "BUILDKIT_MULTI_PLATFORM",
];

/// A stage name as written after `AS`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageName {
    pub text: String,
    pub range: TextRange,
}

/// What a stage is built on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    /// An image from a registry.
    Image,
    /// An earlier stage (`FROM builder`).
    Stage(StageId),
    /// `FROM scratch`.
    Scratch,
    /// The reference uses variables whose values are unknown.
    Unresolved,
    /// `FROM` with no image.
    Missing,
}

/// How one stage uses another stage or an image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DepKind {
    /// `FROM <stage>`.
    FromBase,
    /// `COPY --from=<stage|index|image>`.
    CopyFrom,
    /// `RUN --mount=from=<stage|image>`.
    MountFrom,
}

/// The other end of a dependency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DepTarget {
    Stage(StageId),
    /// An external image (`COPY --from=nginx:latest`).
    Image(String),
    /// The value uses variables whose values are unknown.
    Unknown,
}

/// One dependency of a stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dependency {
    pub kind: DepKind,
    pub target: DepTarget,
    /// The reference as written (`builder`, `0`, `$STAGE`).
    pub text: String,
    /// Where the reference is written.
    pub range: TextRange,
    /// The node of the instruction holding it.
    pub node: usize,
    /// Written as a numeric index (`--from=0`).
    pub by_index: bool,
}

/// Where an effective value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Set by an instruction of this stage (its node index).
    Own(usize),
    /// Inherited from an earlier stage (the stage, and the node that set it there).
    Inherited { stage: StageId, node: usize },
    /// From the base image: unknown here.
    BaseImage,
    /// Not set anywhere (the Docker default applies).
    Default,
}

/// A value in effect at the end of a stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Effective<T> {
    /// `None` when unknown (from a base image, or variables not known).
    pub value: Option<T>,
    pub source: Source,
}

impl<T: Clone> Effective<T> {
    fn default_value(value: Option<T>) -> Self {
        Effective {
            value,
            source: Source::Default,
        }
    }

    /// Unknown here: set (or not) by the base image.
    fn from_base_image() -> Self {
        Effective {
            value: None,
            source: Source::BaseImage,
        }
    }

    /// The value as a stage built `FROM` stage `stage` sees it.
    fn inherited_from(&self, stage: StageId) -> Self {
        Effective {
            value: self.value.clone(),
            source: match &self.source {
                Source::Own(node) => Source::Inherited { stage, node: *node },
                other => other.clone(),
            },
        }
    }
}

/// An ENTRYPOINT or CMD value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandValue {
    /// Exec form (JSON array).
    pub exec: bool,
    /// The exec-form arguments, or the shell-form text as one element.
    pub args: Vec<String>,
}

/// One build stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    pub index: StageId,
    /// Node index of the FROM instruction.
    pub node: usize,
    /// The FROM instruction's range.
    pub from_range: TextRange,
    /// From the FROM node to the next stage's FROM node (or the end of the file).
    pub range: TextRange,
    pub name: Option<StageName>,
    /// The image word as written, with its range.
    pub image_word: Option<(String, TextRange)>,
    /// The base reference with variables substituted, when they are known.
    pub image: Option<ImageRef>,
    pub base: Base,
    /// The `--platform` value as written, with its range.
    pub platform: Option<(String, TextRange)>,
    /// Node indexes of the stage's instructions after FROM.
    pub instructions: Vec<usize>,
    pub deps: Vec<Dependency>,
    pub workdir: Effective<String>,
    pub user: Effective<String>,
    pub entrypoint: Effective<CommandValue>,
    pub cmd: Effective<CommandValue>,
    pub shell: Effective<Vec<String>>,
    /// The environment at the end of the stage (ENV, including inherited ones).
    pub env: Vec<(String, DeclId)>,
}

impl Stage {
    /// The name as written, or the index for unnamed stages.
    pub fn display_name(&self) -> String {
        self.name
            .as_ref()
            .map_or_else(|| self.index.to_string(), |n| n.text.clone())
    }
}

/// What declared a variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeclKind {
    /// `ARG` before the first FROM.
    GlobalArg,
    /// `ARG` inside a stage.
    StageArg,
    /// `ENV` inside a stage.
    Env,
    /// Predefined by BuildKit.
    Predefined,
}

/// A variable's value as far as it is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Known here (an ARG default may still be overridden with `--build-arg`).
    Known(String),
    /// Set at build time, or depends on something unknown.
    Unknown,
    /// An ARG with no default and nothing to inherit: empty unless given at build time.
    NoDefault,
}

/// A variable declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decl {
    pub id: DeclId,
    pub kind: DeclKind,
    pub name: String,
    /// Where the name is written (`None` for predefined arguments).
    pub name_range: Option<TextRange>,
    /// The default or value as written.
    pub raw_value: Option<String>,
    pub value_range: Option<TextRange>,
    pub value: Value,
    pub stage: Option<StageId>,
    pub node: Option<usize>,
    /// For `ARG NAME` inside a stage: the global ARG (or predefined one) it brings in.
    pub redeclares: Option<DeclId>,
}

/// A variable reference and what it resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarUse {
    pub range: TextRange,
    pub name_range: TextRange,
    pub name: String,
    pub context: VarContext,
    pub stage: Option<StageId>,
    pub node: usize,
    /// The declaration in scope, `None` when undefined here.
    pub decl: Option<DeclId>,
}

/// Where a stage is mentioned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StageRefKind {
    /// The name after `AS`.
    Definition,
    /// `FROM <stage>`.
    FromBase,
    /// `COPY --from=<stage>`.
    CopyFrom,
    /// `RUN --mount=from=<stage>`.
    MountFrom,
}

/// One mention of a stage by name or index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageRef {
    pub range: TextRange,
    pub stage: StageId,
    pub kind: StageRefKind,
    pub by_index: bool,
    pub node: usize,
}

/// The semantic model.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Model {
    pub stages: Vec<Stage>,
    pub decls: Vec<Decl>,
    pub uses: Vec<VarUse>,
    pub stage_refs: Vec<StageRef>,
    /// Node indexes of instructions before the first FROM.
    pub global_instructions: Vec<usize>,
    /// The stage each node belongs to (`None` before the first FROM).
    pub node_stage: Vec<Option<StageId>>,
    /// The 0-based line each node starts on (for line numbers without rescanning).
    pub node_lines: Vec<u32>,
}

#[derive(Clone, Default)]
struct Scope {
    args: HashMap<String, DeclId, FxBuild>,
    env: HashMap<String, DeclId, FxBuild>,
}

/// A fast hash for the short variable names of a scope (FxHash's multiply-rotate; the
/// keys come from the file, and a scope's size is bounded by it).
#[derive(Clone, Copy, Default)]
struct FxBuild;

#[derive(Default)]
struct Fx(u64);

impl std::hash::BuildHasher for FxBuild {
    type Hasher = Fx;
    fn build_hasher(&self) -> Fx {
        Fx(0)
    }
}

impl std::hash::Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let v = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
            self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.write(&[b]);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Model {
    /// Build the model of a parsed file.
    pub fn build(df: &Dockerfile) -> Model {
        Builder::new(df).run()
    }

    /// The stage with this name (case-insensitive, as BuildKit); the first one when
    /// names repeat.
    pub fn stage_by_name(&self, name: &str) -> Option<StageId> {
        self.stages
            .iter()
            .find(|s| {
                s.name
                    .as_ref()
                    .is_some_and(|n| n.text.eq_ignore_ascii_case(name))
            })
            .map(|s| s.index)
    }

    /// The stage a byte offset falls in.
    pub fn stage_at(&self, offset: u32) -> Option<StageId> {
        self.stages
            .iter()
            .rev()
            .find(|s| s.range.start <= offset)
            .map(|s| s.index)
    }

    /// The stages that building `target` needs, `target` included.
    pub fn needed_by(&self, target: StageId) -> Vec<bool> {
        let mut needed = vec![false; self.stages.len()];
        let mut stack = vec![target];
        while let Some(s) = stack.pop() {
            if s >= needed.len() || needed[s] {
                continue;
            }
            needed[s] = true;
            for d in &self.stages[s].deps {
                if let DepTarget::Stage(t) = d.target {
                    stack.push(t);
                }
            }
        }
        needed
    }

    /// The stages that use `stage` (by FROM, COPY --from or RUN --mount=from).
    pub fn dependents(&self, stage: StageId) -> Vec<StageId> {
        self.stages
            .iter()
            .filter(|s| {
                s.index != stage && s.deps.iter().any(|d| d.target == DepTarget::Stage(stage))
            })
            .map(|s| s.index)
            .collect()
    }

    /// The declaration a variable use or declaration at `offset` refers to.
    pub fn decl_at(&self, offset: u32) -> Option<DeclId> {
        if let Some(u) = self
            .uses
            .iter()
            .find(|u| u.name_range.touches(offset) || u.range.contains(offset))
        {
            return u.decl;
        }
        self.decls
            .iter()
            .find(|d| d.name_range.is_some_and(|r| r.touches(offset)))
            .map(|d| d.id)
    }

    /// The root of a redeclaration chain (`ARG V` in a stage -> the global `ARG V=1`).
    pub fn root_decl(&self, mut id: DeclId) -> DeclId {
        let mut guard = 0;
        while let Some(r) = self.decls.get(id).and_then(|d| d.redeclares) {
            id = r;
            guard += 1;
            if guard > self.decls.len() {
                break;
            }
        }
        id
    }

    /// The 1-based line of a byte offset.
    pub fn line_of(&self, df: &Dockerfile, offset: u32) -> u32 {
        let Some(index) = df.node_index_at(offset) else {
            return 1;
        };
        let (Some(&start_line), Some(n)) = (self.node_lines.get(index), df.node(index)) else {
            return 1;
        };
        let rel = (offset.saturating_sub(n.start) as usize).min(n.node.text().len());
        let within = n.node.text().as_bytes()[..rel]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u32;
        start_line + within + 1
    }

    /// Move every absolute range for an edit that changed the length of the text
    /// before `at` by `delta` bytes (`at`: the old end of the edited part): starts at
    /// or after `at` move, and so do ends at or after it (ranges spanning the edit,
    /// such as a stage's). Every range of the model is listed here.
    pub(crate) fn shift(&mut self, at: u32, delta: i64) {
        if delta == 0 {
            return;
        }
        let sh = |r: &mut TextRange| shift_range(r, at, delta);
        for s in &mut self.stages {
            sh(&mut s.from_range);
            sh(&mut s.range);
            if let Some(n) = &mut s.name {
                sh(&mut n.range);
            }
            if let Some((_, r)) = &mut s.image_word {
                sh(r);
            }
            if let Some(img) = &mut s.image {
                img.shift(at, delta);
            }
            if let Some((_, r)) = &mut s.platform {
                sh(r);
            }
            for d in &mut s.deps {
                sh(&mut d.range);
            }
        }
        for d in &mut self.decls {
            if let Some(r) = &mut d.name_range {
                sh(r);
            }
            if let Some(r) = &mut d.value_range {
                sh(r);
            }
        }
        for u in &mut self.uses {
            sh(&mut u.range);
            sh(&mut u.name_range);
        }
        for r in &mut self.stage_refs {
            sh(&mut r.range);
        }
    }

    /// The predefined declaration with this name.
    pub fn predefined(&self, name: &str) -> Option<DeclId> {
        self.decls
            .iter()
            .find(|d| d.kind == DeclKind::Predefined && d.name == name)
            .map(|d| d.id)
    }
}

struct Builder<'a> {
    df: &'a Dockerfile,
    escape: char,
    m: Model,
    global: Scope,
    /// Final scope of each stage (for inheritance through FROM <stage>).
    stage_scopes: Vec<Scope>,
    /// The `AS` name of every stage, in order, read once from the FROM lines (for
    /// `FROM <stage>` and `--from=<stage>`, which may name later stages).
    stage_names: Vec<Option<String>>,
    /// The first stage of each name, by ASCII-lowercased name (`eq_ignore_ascii_case`
    /// is ASCII-only, so names that are not ASCII are looked up in `stage_names`).
    stage_index: HashMap<String, StageId, FxBuild>,
}

impl<'a> Builder<'a> {
    fn new(df: &'a Dockerfile) -> Self {
        let mut m = Model::default();
        for name in PLATFORM_ARGS
            .iter()
            .chain(&PROXY_ARGS)
            .chain(&OTHER_PREDEFINED_ARGS)
        {
            let id = m.decls.len();
            m.decls.push(Decl {
                id,
                kind: DeclKind::Predefined,
                name: (*name).to_string(),
                name_range: None,
                raw_value: None,
                value_range: None,
                value: Value::Unknown,
                stage: None,
                node: None,
                redeclares: None,
            });
        }
        m.node_stage = vec![None; df.nodes().len()];
        let stage_names: Vec<Option<String>> = df
            .instructions()
            .filter_map(|i| i.inst.as_from())
            .map(|f| f.stage_name.map(|n| n.text.clone()))
            .collect();
        let mut stage_index: HashMap<String, StageId, FxBuild> = HashMap::default();
        for (k, n) in stage_names.iter().enumerate() {
            if let Some(n) = n {
                stage_index.entry(n.to_ascii_lowercase()).or_insert(k);
            }
        }
        Builder {
            df,
            escape: df.escape(),
            m,
            global: Scope::default(),
            stage_scopes: Vec::new(),
            stage_names,
            stage_index,
        }
    }

    fn lookup_in<'s>(&'s self, scope: &'s Scope, in_from: bool) -> impl Fn(&str) -> Lookup + 's {
        move |name: &str| {
            let id = scope
                .env
                .get(name)
                .or_else(|| scope.args.get(name))
                .copied()
                .or_else(|| {
                    if in_from && PLATFORM_ARGS.contains(&name) {
                        self.m.predefined(name)
                    } else {
                        None
                    }
                });
            match id.map(|i| &self.m.decls[i].value) {
                Some(Value::Known(v)) => Lookup::Set(v.clone()),
                Some(Value::NoDefault) => Lookup::Set(String::new()),
                Some(Value::Unknown) => Lookup::Unknown,
                None => Lookup::Unset,
            }
        }
    }

    fn resolve(
        &self,
        scope: &Scope,
        name: &str,
        context: VarContext,
        in_from: bool,
    ) -> Option<DeclId> {
        if let Some(&id) = scope.env.get(name).or_else(|| scope.args.get(name)) {
            return Some(id);
        }
        if in_from && PLATFORM_ARGS.contains(&name) {
            return self.m.predefined(name);
        }
        if context == VarContext::Shell
            && (PROXY_ARGS.contains(&name) || OTHER_PREDEFINED_ARGS[..2].contains(&name))
        {
            return self.m.predefined(name);
        }
        None
    }

    fn run(mut self) -> Model {
        let df = self.df;
        let total_len = df.len();
        let mut current: Option<(StageId, Scope)> = None;
        let n_insts = df.instruction_count();
        // One pass to size the model's vectors once (no regrowth, which would allocate
        // about twice their final size): where each stage's FROM is (for its
        // instruction list), how many declarations and variable uses there are.
        let mut froms: Vec<usize> = Vec::with_capacity(self.stage_names.len());
        let (mut n_decls, mut n_uses) = (self.m.decls.len(), 0);
        for (k, i) in df.instructions().enumerate() {
            n_uses += i.inst.vars.len();
            match (i.inst.kind, &i.inst.args) {
                (InstructionKind::From, _) => froms.push(k),
                (
                    InstructionKind::Arg | InstructionKind::Env,
                    docksmith_syntax::Args::Pairs { pairs, .. },
                ) => {
                    n_decls += pairs.len();
                }
                (InstructionKind::Arg, docksmith_syntax::Args::Words(ws)) => n_decls += ws.len(),
                (InstructionKind::Arg | InstructionKind::Env, _) => n_decls += 1,
                _ => {}
            }
        }
        self.m.stages.reserve_exact(froms.len());
        self.stage_scopes.reserve_exact(froms.len());
        self.m
            .decls
            .reserve_exact(n_decls.saturating_sub(self.m.decls.len()));
        self.m.uses.reserve_exact(n_uses);
        for (k, i) in df.instructions().enumerate() {
            let i = &i;
            if i.inst.kind == InstructionKind::From {
                if let Some((sid, scope)) = current.take() {
                    self.finish_stage(sid, scope);
                }
                let next = froms.partition_point(|&f| f <= k);
                let len = froms.get(next).copied().unwrap_or(n_insts) - k - 1;
                let (sid, scope) = self.start_stage(i, len);
                current = Some((sid, scope));
                continue;
            }
            match &mut current {
                None => {
                    self.m.global_instructions.push(i.index);
                    // Uses in global instructions resolve against globals.
                    let global = std::mem::take(&mut self.global);
                    self.record_uses(i, &global, None, true);
                    self.global = global;
                    if i.inst.kind == InstructionKind::Arg {
                        let mut g = std::mem::take(&mut self.global);
                        self.declare_args(i, &mut g, None, true);
                        self.global = g;
                    }
                }
                Some((sid, scope)) => {
                    let sid = *sid;
                    self.m.node_stage[i.index] = Some(sid);
                    self.m.stages[sid].instructions.push(i.index);
                    let mut sc = std::mem::take(scope);
                    self.stage_instruction(sid, i, &mut sc);
                    if let Some((_, scope)) = &mut current {
                        *scope = sc;
                    }
                }
            }
        }
        if let Some((sid, scope)) = current.take() {
            self.finish_stage(sid, scope);
        }
        // Stage ranges: up to the next stage's FROM node.
        let starts: Vec<u32> = self
            .m
            .stages
            .iter()
            .map(|s| df.node(s.node).map_or(0, |n| n.start))
            .collect();
        for (k, s) in self.m.stages.iter_mut().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(total_len);
            s.range = TextRange::new(starts[k], end);
        }
        // Every node after a FROM belongs to that stage (comments and blank lines too).
        let stage_nodes: Vec<usize> = self.m.stages.iter().map(|s| s.node).collect();
        let mut current: Option<usize> = None;
        for (idx, st) in self.m.node_stage.iter_mut().enumerate() {
            let next = current.map_or(0, |c| c + 1);
            if stage_nodes.get(next) == Some(&idx) {
                current = Some(next);
            }
            if st.is_none() {
                *st = current;
            }
        }
        // Uses come in instruction order, sorted within each but for nested references:
        // a stable sort (which allocates half the vector) only when needed.
        if !self.m.uses.is_sorted_by_key(|u| u.range.start) {
            self.m.uses.sort_by_key(|u| u.range.start);
        }
        let mut line = 0u32;
        self.m.node_lines = df
            .nodes()
            .map(|n| {
                let at = line;
                line += n.node.newlines() as u32;
                at
            })
            .collect();
        self.m
    }

    /// `len`: how many instructions the stage has after its FROM.
    fn start_stage(&mut self, i: &InstructionRef<'_>, len: usize) -> (StageId, Scope) {
        let sid = self.m.stages.len();
        self.m.node_stage[i.index] = Some(sid);
        let global = std::mem::take(&mut self.global);
        self.record_uses(i, &global, None, true);
        let from = i.inst.as_from();
        let name = from.and_then(|f| f.stage_name).map(|w| StageName {
            text: w.text.clone(),
            range: i.abs(w.range),
        });
        let image_word = from
            .and_then(|f| f.image)
            .map(|w| (w.text.clone(), i.abs(w.range)));
        let platform = from.and_then(|f| f.platform).map(|f| {
            (
                f.value.clone().unwrap_or_default(),
                i.abs(f.value_range.unwrap_or(f.range)),
            )
        });
        let lookup = self.lookup_in(&global, true);
        let resolved = image_word
            .as_ref()
            .and_then(|(w, _)| expand(w, self.escape, &lookup));
        drop(lookup);
        self.global = global;
        let image = match (&image_word, &resolved) {
            (Some((w, r)), Some(res)) => Some(ImageRef::parse(res, *r, w == res)),
            _ => None,
        };
        // `FROM <name>` names an earlier stage only.
        let earlier = |n: &str| self.name_lookup(n).filter(|&s| s < sid);
        let base = match (&image_word, &resolved) {
            (None, _) => Base::Missing,
            (Some(_), None) => Base::Unresolved,
            (Some(_), Some(r)) if r.eq_ignore_ascii_case("scratch") => Base::Scratch,
            (Some(_), Some(r)) => earlier(r).map_or(Base::Image, Base::Stage),
        };
        let mut deps = Vec::new();
        if let (Base::Stage(b), Some((w, r))) = (&base, &image_word) {
            deps.push(Dependency {
                kind: DepKind::FromBase,
                target: DepTarget::Stage(*b),
                text: w.clone(),
                range: *r,
                node: i.index,
                by_index: false,
            });
            self.m.stage_refs.push(StageRef {
                range: *r,
                stage: *b,
                kind: StageRefKind::FromBase,
                by_index: false,
                node: i.index,
            });
        }
        if let Some(n) = &name {
            self.m.stage_refs.push(StageRef {
                range: n.range,
                stage: sid,
                kind: StageRefKind::Definition,
                by_index: false,
                node: i.index,
            });
        }
        // Inherit from the base stage.
        let (scope, workdir, user, entrypoint, cmd, shell) = match base {
            Base::Stage(b) => {
                let bs = &self.m.stages[b];
                let scope = Scope {
                    args: HashMap::default(),
                    env: self.stage_scopes[b].env.clone(),
                };
                (
                    scope,
                    bs.workdir.inherited_from(b),
                    bs.user.inherited_from(b),
                    bs.entrypoint.inherited_from(b),
                    bs.cmd.inherited_from(b),
                    bs.shell.inherited_from(b),
                )
            }
            Base::Scratch => (
                Scope::default(),
                Effective::default_value(Some("/".to_string())),
                Effective::default_value(None),
                Effective::default_value(None),
                Effective::default_value(None),
                Effective::default_value(Some(vec!["/bin/sh".into(), "-c".into()])),
            ),
            _ => (
                Scope::default(),
                Effective::from_base_image(),
                Effective::from_base_image(),
                Effective::from_base_image(),
                Effective::from_base_image(),
                Effective::default_value(Some(vec!["/bin/sh".into(), "-c".into()])),
            ),
        };
        self.m.stages.push(Stage {
            index: sid,
            node: i.index,
            from_range: i.range(),
            range: TextRange::default(),
            name,
            image_word,
            image,
            base,
            platform,
            instructions: Vec::with_capacity(len),
            deps,
            workdir,
            user,
            entrypoint,
            cmd,
            shell,
            // Filled in by `finish_stage`.
            env: Vec::new(),
        });
        (sid, scope)
    }

    fn finish_stage(&mut self, sid: StageId, scope: Scope) {
        let mut env: Vec<(String, DeclId)> =
            scope.env.iter().map(|(k, v)| (k.clone(), *v)).collect();
        env.sort();
        self.m.stages[sid].env = env;
        // Stages finish in order, so this is `stage_scopes[sid]`.
        debug_assert_eq!(self.stage_scopes.len(), sid);
        self.stage_scopes.push(scope);
    }

    /// Record the variable uses of an instruction against `scope`.
    fn record_uses(
        &mut self,
        i: &InstructionRef<'_>,
        scope: &Scope,
        stage: Option<StageId>,
        in_from: bool,
    ) {
        for v in &i.inst.vars {
            let decl = self.resolve(scope, &v.name, v.context, in_from);
            self.m.uses.push(VarUse {
                range: i.abs(v.range),
                name_range: i.abs(v.name_range),
                name: v.name.clone(),
                context: v.context,
                stage,
                node: i.index,
                decl,
            });
        }
    }

    fn declare_args(
        &mut self,
        i: &InstructionRef<'_>,
        scope: &mut Scope,
        stage: Option<StageId>,
        global: bool,
    ) {
        for p in crate::rules::pair_views(i.inst) {
            let name = unquote(p.key.text, self.escape);
            let redeclares = if global {
                None
            } else {
                self.global.args.get(&name).copied().or_else(|| {
                    PLATFORM_ARGS
                        .contains(&name.as_str())
                        .then(|| self.m.predefined(&name))
                        .flatten()
                })
            };
            let value = match (&p.value, redeclares) {
                (Some(v), _) => {
                    let lookup = self.lookup_in(scope, global);
                    expand(v.text, self.escape, &lookup).map_or(Value::Unknown, Value::Known)
                }
                (None, Some(r)) => self.m.decls[r].value.clone(),
                (None, None) => Value::NoDefault,
            };
            let id = self.m.decls.len();
            self.m.decls.push(Decl {
                id,
                kind: if global {
                    DeclKind::GlobalArg
                } else {
                    DeclKind::StageArg
                },
                name: name.clone(),
                name_range: Some(i.abs(p.key.range)),
                raw_value: p.value.map(|v| v.text.to_string()),
                value_range: p.value.map(|v| i.abs(v.range)),
                value,
                stage,
                node: Some(i.index),
                redeclares,
            });
            scope.args.insert(name, id);
        }
    }

    fn stage_instruction(&mut self, sid: StageId, i: &InstructionRef<'_>, scope: &mut Scope) {
        self.record_uses(i, scope, Some(sid), false);
        let kind = i.inst.kind;
        match kind {
            InstructionKind::Arg => self.declare_args(i, scope, Some(sid), false),
            InstructionKind::Env => {
                // Values see the scope before the instruction: names are set after.
                let mut set = Vec::new();
                for p in crate::rules::pairs_of(i.inst).iter() {
                    let name = unquote(&p.key.text, self.escape);
                    let value = match &p.value {
                        Some(v) => {
                            let lookup = self.lookup_in(scope, false);
                            expand(&v.text, self.escape, &lookup)
                                .map_or(Value::Unknown, Value::Known)
                        }
                        None => Value::Unknown,
                    };
                    let id = self.m.decls.len();
                    self.m.decls.push(Decl {
                        id,
                        kind: DeclKind::Env,
                        name: name.clone(),
                        name_range: Some(i.abs(p.key.range)),
                        raw_value: p.value.as_ref().map(|v| v.text.clone()),
                        value_range: p.value.as_ref().map(|v| i.abs(v.range)),
                        value,
                        stage: Some(sid),
                        node: Some(i.index),
                        redeclares: None,
                    });
                    set.push((name, id));
                }
                scope.env.extend(set);
            }
            InstructionKind::Copy | InstructionKind::Add => {
                // `as_copy().from`, without building the view.
                if let Some(f) = i.inst.flag("from") {
                    let text = f.value.clone().unwrap_or_default();
                    let range = i.abs(f.value_range.unwrap_or(f.range));
                    self.add_dep(sid, DepKind::CopyFrom, &text, range, i.index, scope);
                }
            }
            InstructionKind::Run => {
                // Only `from=` makes a dependency: read the mounts when a value has it.
                let has_from = |v: &str| {
                    v.as_bytes()
                        .windows(4)
                        .any(|w| w.eq_ignore_ascii_case(b"from"))
                };
                if !i
                    .inst
                    .flags
                    .iter()
                    .any(|f| f.name == "mount" && f.value.as_deref().is_some_and(has_from))
                {
                    return;
                }
                for mnt in i.inst.mounts() {
                    if let Some(from) = mnt.get("from")
                        && let (Some(v), Some(r)) = (&from.value, from.value_range)
                    {
                        self.add_dep(sid, DepKind::MountFrom, v, i.abs(r), i.index, scope);
                    }
                }
            }
            InstructionKind::Workdir => {
                if let Some(w) = i.inst.text_arg() {
                    let lookup = self.lookup_in(scope, false);
                    let new = expand(&w.text, self.escape, &lookup);
                    drop(lookup);
                    let st = &mut self.m.stages[sid];
                    let value = match new {
                        Some(p) if p.starts_with('/') || is_windows_abs(&p) => Some(p),
                        Some(p) => st.workdir.value.as_ref().map(|base| join_path(base, &p)),
                        None => None,
                    };
                    st.workdir = Effective {
                        value,
                        source: Source::Own(i.index),
                    };
                }
            }
            InstructionKind::User => {
                if let Some(w) = i.inst.text_arg() {
                    let lookup = self.lookup_in(scope, false);
                    let value = expand(&w.text, self.escape, &lookup);
                    drop(lookup);
                    self.m.stages[sid].user = Effective {
                        value,
                        source: Source::Own(i.index),
                    };
                }
            }
            InstructionKind::Cmd | InstructionKind::Entrypoint => {
                let value = i.inst.command().map(|c| match c {
                    Command::Exec { args, .. } => CommandValue {
                        exec: true,
                        args: args.iter().map(|w| w.text.clone()).collect(),
                    },
                    Command::Shell(w) => CommandValue {
                        exec: false,
                        args: vec![w.text.clone()],
                    },
                });
                let value = value.or(Some(CommandValue {
                    exec: true,
                    args: Vec::new(),
                }));
                let st = &mut self.m.stages[sid];
                if kind == InstructionKind::Cmd {
                    st.cmd = Effective {
                        value,
                        source: Source::Own(i.index),
                    };
                } else {
                    st.entrypoint = Effective {
                        value,
                        source: Source::Own(i.index),
                    };
                    // ENTRYPOINT resets a CMD that was not set in this stage.
                    if !matches!(st.cmd.source, Source::Own(_)) {
                        st.cmd = Effective {
                            value: None,
                            source: Source::Default,
                        };
                    }
                }
            }
            InstructionKind::Shell => {
                if let Some(Command::Exec { args, .. }) = i.inst.command() {
                    self.m.stages[sid].shell = Effective {
                        value: Some(args.iter().map(|w| w.text.clone()).collect()),
                        source: Source::Own(i.index),
                    };
                }
            }
            _ => {}
        }
    }

    fn add_dep(
        &mut self,
        sid: StageId,
        kind: DepKind,
        text: &str,
        range: TextRange,
        node: usize,
        scope: &Scope,
    ) {
        let lookup = self.lookup_in(scope, false);
        let resolved = expand(text, self.escape, &lookup);
        drop(lookup);
        let by_index = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
        let target = match resolved {
            None => DepTarget::Unknown,
            Some(r) if r.is_empty() => DepTarget::Unknown,
            Some(r) => {
                if by_index {
                    match r.parse::<usize>() {
                        Ok(n) if n <= sid => DepTarget::Stage(n),
                        _ => DepTarget::Image(r),
                    }
                } else {
                    // By name: any stage, earlier or not (rules report later ones).
                    match self.name_lookup(&r) {
                        Some(s) => DepTarget::Stage(s),
                        None => DepTarget::Image(r),
                    }
                }
            }
        };
        if let DepTarget::Stage(s) = target {
            let ref_kind = if kind == DepKind::CopyFrom {
                StageRefKind::CopyFrom
            } else {
                StageRefKind::MountFrom
            };
            self.m.stage_refs.push(StageRef {
                range,
                stage: s,
                kind: ref_kind,
                by_index,
                node,
            });
        }
        self.m.stages[sid].deps.push(Dependency {
            kind,
            target,
            text: text.to_string(),
            range,
            node,
            by_index,
        });
    }

    /// The first stage with this name (case-insensitive, as BuildKit), over the whole
    /// file: later stages too.
    fn name_lookup(&self, name: &str) -> Option<StageId> {
        if name.is_ascii() {
            if !name.bytes().any(|b| b.is_ascii_uppercase()) {
                return self.stage_index.get(name).copied();
            }
            return self.stage_index.get(&name.to_ascii_lowercase()).copied();
        }
        self.stage_names
            .iter()
            .position(|n| n.as_ref().is_some_and(|n| n.eq_ignore_ascii_case(name)))
    }
}

fn is_windows_abs(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

fn join_path(base: &str, rel: &str) -> String {
    if base.ends_with('/') || base.ends_with('\\') {
        format!("{base}{rel}")
    } else {
        format!("{base}/{rel}")
    }
}

/// See [`Model::shift`].
pub(crate) fn shift_range(r: &mut TextRange, at: u32, delta: i64) {
    let mv = |x: u32| u32::try_from(i64::from(x) + delta).unwrap_or(x);
    if r.start >= at {
        r.start = mv(r.start);
    }
    if r.end >= at {
        r.end = mv(r.end);
    }
}

impl Model {
    /// Move every node index stored in the model for an edit that inserted or removed
    /// nodes before node `from` (old index): indexes at or after `from` change by `by`.
    /// The per-node lists (`node_stage`, `node_lines`) are the caller's to splice. Every
    /// node index of the model is listed here (as every range is in [`Model::shift`]).
    pub(crate) fn shift_nodes(&mut self, from: usize, by: isize) {
        if by == 0 {
            return;
        }
        let mv = |n: &mut usize| {
            if *n >= from {
                *n = n.checked_add_signed(by).unwrap_or(*n);
            }
        };
        let src = |s: &mut Source| match s {
            Source::Own(n) | Source::Inherited { node: n, .. } => mv(n),
            Source::BaseImage | Source::Default => {}
        };
        for s in &mut self.stages {
            mv(&mut s.node);
            s.instructions.iter_mut().for_each(mv);
            for d in &mut s.deps {
                mv(&mut d.node);
            }
            src(&mut s.workdir.source);
            src(&mut s.user.source);
            src(&mut s.entrypoint.source);
            src(&mut s.cmd.source);
            src(&mut s.shell.source);
        }
        for d in &mut self.decls {
            if let Some(n) = &mut d.node {
                mv(n);
            }
        }
        for u in &mut self.uses {
            mv(&mut u.node);
        }
        for r in &mut self.stage_refs {
            mv(&mut r.node);
        }
        self.global_instructions.iter_mut().for_each(mv);
    }
}
