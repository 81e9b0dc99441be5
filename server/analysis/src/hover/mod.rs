//! Hover: what the thing under the cursor is and what it does, in Markdown.
//!
//! One entry point, [`hover`], decides what is under the cursor (keyword, flag, flag value,
//! stage name, variable, image reference, directive, rule name) and renders it. Clients
//! that want plain text get [`to_plain_text`] of the same Markdown.

mod command;
pub mod docs;
pub mod rules;

use docksmith_syntax::{
    Dockerfile, InstructionKind, InstructionRef, NodeKind, TextRange, TokenKind,
};

use crate::catalog;
use crate::image::ImageRef;
use crate::semantics::{
    Base, DeclKind, DepTarget, Model, PLATFORM_ARGS, Stage, StageRefKind, Value,
};

pub use command::command_line;

/// A hover: the range it applies to and its Markdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub range: TextRange,
    pub markdown: String,
}

/// The hover at byte `offset`.
pub fn hover(df: &Dockerfile, model: &Model, offset: u32) -> Option<Hover> {
    let index = df.node_index_at(offset)?;
    let node = df.node(index)?;
    match node.node.kind {
        NodeKind::Directive => {
            let d = node.node.directive.as_ref()?;
            let name_range = d.name_range.offset(node.start);
            let value_range = d.value_range.offset(node.start);
            if d.name == "check" && value_range.touches(offset) {
                let text = node.node.slice(d.value_range);
                return rule_in(text, value_range.start, offset);
            }
            let info = catalog::directive(&d.name)?;
            Some(Hover {
                range: name_range.cover(value_range),
                markdown: info.doc.to_string(),
            })
        }
        NodeKind::Comment => suppression_hover(node.node.text(), node.start, offset),
        NodeKind::Instruction => {
            let i = df.instruction_at(offset)?;
            let rel = offset - i.base;
            if let Some(t) = i.node.tokens.iter().find(|t| t.range.touches(rel))
                && t.kind == TokenKind::Comment
            {
                return suppression_hover(i.text(t.range), i.abs(t.range).start, offset);
            }
            instruction_hover(df, model, &i, offset)
        }
        _ => None,
    }
}

/// Hover inside `# hadolint ignore=...` / `# docksmith ignore=...` / `# check=skip=...`.
fn suppression_hover(text: &str, start: u32, offset: u32) -> Option<Hover> {
    let body = text.trim_end_matches(['\r', '\n']);
    let lower = body.to_ascii_lowercase();
    for key in ["ignore=", "skip="] {
        if let Some(k) = lower.find(key) {
            let vstart = k + key.len();
            let rest = &body[vstart..];
            return rule_in(rest, start + vstart as u32, offset);
        }
    }
    None
}

/// The rule named in a comma-separated list at `offset`.
fn rule_in(list: &str, list_start: u32, offset: u32) -> Option<Hover> {
    let mut at = list_start;
    for part in list.split([',', ';', ' ']) {
        let r = TextRange::new(at, at + part.len() as u32);
        at = r.end + 1;
        let name = part.strip_prefix("skip=").unwrap_or(part);
        let r = TextRange::new(r.end - name.len() as u32, r.end);
        if r.touches(offset) && !name.is_empty() {
            let doc = rules::lookup(name).map_or_else(
                || format!("**{name}**: no rule of this name is known to Docksmith."),
                rules::markdown,
            );
            return Some(Hover {
                range: r,
                markdown: doc,
            });
        }
    }
    None
}

fn instruction_hover(
    df: &Dockerfile,
    model: &Model,
    i: &InstructionRef<'_>,
    offset: u32,
) -> Option<Hover> {
    let inst = i.inst;
    // The keyword (and an ONBUILD trigger's keyword).
    let kw = i.abs(inst.keyword.range);
    if kw.touches(offset) {
        return Some(Hover {
            range: kw,
            markdown: keyword_doc(df, model, i, inst.kind),
        });
    }
    if let Some(t) = inst.trigger() {
        let r = i.abs(t.keyword.range);
        if r.touches(offset) {
            let mut md = docs::instruction(t.kind).to_string();
            md.insert_str(
                0,
                "Runs when another build uses this image as its base:\n\n",
            );
            return Some(Hover {
                range: r,
                markdown: md,
            });
        }
    }
    // Variables.
    if let Some(u) = model
        .uses
        .iter()
        .find(|u| u.node == i.index && u.range.touches(offset))
    {
        return Some(Hover {
            range: u.range,
            markdown: var_use(df, model, &u.name, u.decl, u.context),
        });
    }
    if let Some(d) = model
        .decls
        .iter()
        .find(|d| d.node == Some(i.index) && d.name_range.is_some_and(|r| r.touches(offset)))
    {
        return Some(Hover {
            range: d.name_range.unwrap_or_default(),
            markdown: var_use(
                df,
                model,
                &d.name,
                Some(d.id),
                docksmith_syntax::VarContext::Dockerfile,
            ),
        });
    }
    // Stage names.
    if let Some(r) = model
        .stage_refs
        .iter()
        .find(|r| r.node == i.index && r.range.touches(offset))
        && let Some(s) = model.stages.get(r.stage)
    {
        let mut md = stage_doc(df, model, s);
        if r.kind != StageRefKind::Definition && r.by_index {
            md.insert_str(
                0,
                "Stage referred to by its index: a name (`AS name`) survives reordering.\n\n",
            );
        }
        return Some(Hover {
            range: r.range,
            markdown: md,
        });
    }
    // Flags.
    let all_flags = inst
        .flags
        .iter()
        .chain(inst.trigger().into_iter().flat_map(|t| t.flags.iter()));
    let kind_of = |f: &docksmith_syntax::Flag| {
        if inst.flags.iter().any(|g| std::ptr::eq(g, f)) {
            inst.kind
        } else {
            inst.trigger().map_or(inst.kind, |t| t.kind)
        }
    };
    for f in all_flags {
        let fr = i.abs(f.range);
        if !fr.touches(offset) {
            continue;
        }
        let kind = kind_of(f);
        let value_range = f.value_range.map(|r| i.abs(r));
        if let Some(vr) = value_range
            && vr.touches(offset)
            && !vr.is_empty()
            && let Some(h) = flag_value_hover(model, i, kind, f, vr, offset)
        {
            return Some(h);
        }
        let name_end = value_range.map_or(fr.end, |v| v.start.saturating_sub(1));
        return Some(Hover {
            range: TextRange::new(fr.start, name_end.max(fr.start)),
            markdown: flag_doc(kind, &f.name),
        });
    }
    // FROM image.
    if let Some(from) = inst.as_from()
        && let Some(img) = from.image
        && i.abs(img.range).touches(offset)
    {
        let stage = model.stages.iter().find(|s| s.node == i.index)?;
        let range = i.abs(img.range);
        let md = match &stage.base {
            Base::Scratch => {
                "**scratch**: the empty image. The stage starts with no files at all: \
                              no shell, no libc; copy in a static binary."
                    .to_string()
            }
            Base::Unresolved => format!(
                "**Image** `{}`: depends on build arguments whose values are only known at build time.",
                img.text
            ),
            _ => {
                let mut md = stage
                    .image
                    .as_ref()
                    .map_or_else(|| format!("**Image** `{}`", img.text), image_doc);
                if img.text.contains('$') {
                    md.push_str(&format!(
                        "\n\nWritten as `{}`: the reference above uses the ARG defaults, which `--build-arg` can change.",
                        img.text
                    ));
                }
                md
            }
        };
        return Some(Hover {
            range,
            markdown: md,
        });
    }
    // HEALTHCHECK CMD / NONE.
    if let Some(h) = inst.as_healthcheck() {
        let r = i.abs(h.kind.range);
        if r.touches(offset) {
            let (_, doc) = catalog::HEALTHCHECK_KINDS
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&h.kind.text))?;
            return Some(Hover {
                range: r,
                markdown: format!("**HEALTHCHECK {}**: {doc}", h.kind.text.to_uppercase()),
            });
        }
    }
    None
}

fn keyword_doc(
    df: &Dockerfile,
    model: &Model,
    i: &InstructionRef<'_>,
    kind: InstructionKind,
) -> String {
    match kind {
        InstructionKind::Cmd | InstructionKind::Entrypoint => command::explain(df, model, i),
        InstructionKind::From => {
            let mut md = docs::instruction(kind).to_string();
            if let Some(s) = model.stages.iter().find(|s| s.node == i.index) {
                md.insert_str(0, &format!("{}\n\n---\n\n", stage_doc(df, model, s)));
            }
            md
        }
        _ => docs::instruction(kind).to_string(),
    }
}

fn flag_doc(kind: InstructionKind, name: &str) -> String {
    match catalog::flag(kind, name) {
        Some(f) => {
            let mut s = format!("**`{}`** ({})\n\n{}", f.usage, kind.name(), f.doc);
            if let Some(v) = f.since {
                s.push_str(&format!("\n\nNeeds {v}."));
            }
            if !f.values.is_empty() && f.name != "platform" {
                s.push_str("\n\n");
                for (v, d) in f.values {
                    if d.is_empty() {
                        s.push_str(&format!("- `{v}`\n"));
                    } else {
                        s.push_str(&format!("- `{v}`: {d}\n"));
                    }
                }
            }
            s
        }
        None => format!(
            "**`--{name}`**: not a flag of {}. {} accepts: {}.",
            kind.name(),
            kind.name(),
            {
                let names: Vec<String> = catalog::flags(kind)
                    .iter()
                    .map(|f| format!("`--{}`", f.name))
                    .collect();
                if names.is_empty() {
                    "no flags".to_string()
                } else {
                    names.join(", ")
                }
            }
        ),
    }
}

fn flag_value_hover(
    model: &Model,
    i: &InstructionRef<'_>,
    kind: InstructionKind,
    f: &docksmith_syntax::Flag,
    vr: TextRange,
    offset: u32,
) -> Option<Hover> {
    let value = f.value.as_deref().unwrap_or("");
    if f.name == "mount" {
        let mounts = i.inst.mounts();
        let m = mounts.iter().find(|m| std::ptr::eq(m.flag, f))?;
        for field in &m.fields {
            let kr = i.abs(field.key_range);
            let fvr = field.value_range.map(|r| i.abs(r));
            if let Some(fvr) = fvr
                && fvr.touches(offset)
                && field.key.eq_ignore_ascii_case("type")
            {
                let t = catalog::mount_type(field.value.as_deref()?)?;
                return Some(Hover {
                    range: fvr,
                    markdown: format!(
                        "**`type={}`** mount\n\n{}\n\n```dockerfile\n{}\n```\n\nKeys: {}",
                        t.name,
                        t.doc,
                        t.example,
                        mount_keys_for(t.name)
                    ),
                });
            }
            if kr.touches(offset) || fvr.is_some_and(|r| r.touches(offset)) {
                let k = catalog::mount_key(&field.key);
                let md = match k {
                    Some(k) => {
                        let mut s = format!("**`{}`** (`--mount` key", k.name);
                        if !k.aliases.is_empty() {
                            s.push_str(&format!(", also `{}`", k.aliases.join("`, `")));
                        }
                        s.push_str(&format!("; for type {})\n\n{}", k.types.join(", "), k.doc));
                        if !k.types.contains(&m.kind()) {
                            s.push_str(&format!("\n\n⚠ Not a key of `type={}` mounts.", m.kind()));
                        }
                        s
                    }
                    None => format!(
                        "**`{}`**: not a `--mount` key. Keys of `type={}`: {}",
                        field.key,
                        m.kind(),
                        mount_keys_for(m.kind())
                    ),
                };
                return Some(Hover {
                    range: kr.cover(fvr.unwrap_or(kr)),
                    markdown: md,
                });
            }
        }
        return None;
    }
    if f.name == "from" {
        // A stage reference was handled by the caller; an image or named context here.
        let dep = model
            .stages
            .iter()
            .flat_map(|s| &s.deps)
            .find(|d| d.node == i.index && d.range == vr);
        let md = match dep.map(|d| &d.target) {
            Some(DepTarget::Image(img)) => format!(
                "No stage is named `{img}`: this copies from the **image** `{img}` (or a named \
                 build context `--build-context {img}=...`).\n\n{}",
                image_doc(&ImageRef::parse(img, vr, img == value))
            ),
            _ => format!(
                "`{value}`: the stage, image or build context to copy from (known at build time)."
            ),
        };
        return Some(Hover {
            range: vr,
            markdown: md,
        });
    }
    let info = catalog::flag(kind, &f.name)?;
    if let Some((v, d)) = info.values.iter().find(|(v, _)| *v == value)
        && !d.is_empty()
    {
        return Some(Hover {
            range: vr,
            markdown: format!("**`--{}={v}`**: {d}", f.name),
        });
    }
    None
}

fn mount_keys_for(t: &str) -> String {
    catalog::MOUNT_KEYS
        .iter()
        .filter(|k| k.types.contains(&t))
        .map(|k| format!("`{}`", k.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `` `name` (stage 2, line 14) `` for a stage.
pub(crate) fn stage_label(s: &Stage) -> String {
    match &s.name {
        Some(n) => format!("`{}` (#{})", n.text, s.index),
        None => format!("#{}", s.index),
    }
}

fn stage_doc(df: &Dockerfile, model: &Model, s: &Stage) -> String {
    let mut md = format!(
        "**Stage {}** (line {})\n\n",
        stage_label(s),
        model.line_of(df, s.from_range.start)
    );
    let base = match &s.base {
        Base::Image => format!(
            "image `{}`",
            s.image.as_ref().map_or("?", |i| i.text.as_str())
        ),
        Base::Stage(b) => format!(
            "stage {}",
            model.stages.get(*b).map_or_else(String::new, stage_label)
        ),
        Base::Scratch => "`scratch` (empty)".to_string(),
        Base::Unresolved => format!(
            "`{}` (set at build time)",
            s.image_word.as_ref().map_or("", |w| w.0.as_str())
        ),
        Base::Missing => "missing".to_string(),
    };
    md.push_str(&format!("- Base: {base}\n"));
    if let Some((p, _)) = &s.platform {
        md.push_str(&format!("- Platform: `{p}`\n"));
    }
    if let Some(w) = &s.workdir.value {
        md.push_str(&format!("- WORKDIR: `{w}`\n"));
    }
    if let Some(u) = &s.user.value {
        md.push_str(&format!("- USER: `{u}`\n"));
    }
    if !matches!(s.entrypoint.source, crate::semantics::Source::BaseImage)
        || !matches!(s.cmd.source, crate::semantics::Source::BaseImage)
    {
        md.push_str(&format!("- Runs: `{}`\n", command_line(s, "")));
    }
    let copies = s
        .deps
        .iter()
        .filter_map(|d| match d.target {
            DepTarget::Stage(t) => model.stages.get(t).map(stage_label),
            _ => None,
        })
        .collect::<Vec<_>>();
    if !copies.is_empty() {
        md.push_str(&format!("- Uses: {}\n", dedup(copies).join(", ")));
    }
    let users: Vec<String> = model
        .stage_refs
        .iter()
        .filter(|r| r.stage == s.index && r.kind != StageRefKind::Definition)
        .take(20)
        .map(|r| {
            let by = model
                .node_stage
                .get(r.node)
                .copied()
                .flatten()
                .and_then(|x| model.stages.get(x))
                .map_or_else(String::new, stage_label);
            let how = match r.kind {
                StageRefKind::FromBase => "FROM",
                StageRefKind::CopyFrom => "COPY --from",
                StageRefKind::MountFrom => "RUN --mount from",
                StageRefKind::Definition => "",
            };
            format!("{by} ({how}, line {})", model.line_of(df, r.range.start))
        })
        .collect();
    if users.is_empty() {
        if s.index + 1 == model.stages.len() {
            md.push_str("- The last stage: the image `docker build` produces by default.\n");
        } else {
            md.push_str("- Used by no other stage: BuildKit builds it only as a `--target`.\n");
        }
    } else {
        md.push_str(&format!("- Used by: {}\n", users.join(", ")));
    }
    md
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
    v
}

fn image_doc(img: &ImageRef) -> String {
    let mut md = format!("**Image** `{}`\n\n", img.text);
    let registry = img.registry_name();
    md.push_str(&format!(
        "- Registry: `{registry}`{}\n",
        if img.registry.is_none() {
            " (Docker Hub, the default)"
        } else {
            ""
        }
    ));
    let path = img.full_path();
    let official = img.registry.is_none() && path.starts_with("library/");
    md.push_str(&format!(
        "- Repository: `{path}`{}\n",
        if official { " (official image)" } else { "" }
    ));
    match img.tag_text() {
        Some("latest") => {
            md.push_str("- Tag: `latest`: moves with every release; builds are not reproducible\n")
        }
        Some("") => md.push_str("- Tag: empty: not a valid reference\n"),
        Some(t) => md.push_str(&format!("- Tag: `{t}`\n")),
        None if img.digest.is_none() => {
            md.push_str("- Tag: none, so Docker uses `latest`: builds are not reproducible\n");
        }
        None => {}
    }
    match &img.digest {
        Some(d) => md.push_str(&format!(
            "- Digest: `{}`: **pinned**, always the same image\n",
            d.text
        )),
        None => md.push_str(
            "- Not pinned: the tag can move to another image; add `@sha256:...` for reproducible builds\n",
        ),
    }
    if registry == "docker.io" {
        let url = match path.strip_prefix("library/") {
            Some(p) => format!("https://hub.docker.com/_/{p}"),
            None => format!("https://hub.docker.com/r/{path}"),
        };
        md.push_str(&format!("\n[Docker Hub]({url})"));
    }
    md
}

/// What BuildKit's predefined arguments hold.
fn predefined_doc(name: &str) -> &'static str {
    match name {
        "BUILDPLATFORM" => "the platform of the machine running the build, e.g. `linux/amd64`",
        "BUILDOS" => "the OS part of `BUILDPLATFORM`, e.g. `linux`",
        "BUILDARCH" => "the architecture of `BUILDPLATFORM`, e.g. `amd64`",
        "BUILDVARIANT" => "the variant of `BUILDPLATFORM`, e.g. `v7`",
        "TARGETPLATFORM" => "the platform being built for, e.g. `linux/arm64`",
        "TARGETOS" => "the OS part of `TARGETPLATFORM`, e.g. `linux`",
        "TARGETARCH" => "the architecture of `TARGETPLATFORM`, e.g. `arm64`",
        "TARGETVARIANT" => "the variant of `TARGETPLATFORM`, e.g. `v7`",
        "TARGETSTAGE" => "the name of the stage being built (`--target`)",
        n if n.to_ascii_lowercase().ends_with("_proxy") => {
            "a proxy setting, taken from the build's `--build-arg` and usable in RUN without \
             declaration; not kept in the image history"
        }
        "BUILDKIT_SYNTAX" => "overrides the `# syntax` frontend image",
        "BUILDKIT_CONTEXT_KEEP_GIT_DIR" => "keep `.git` in a Git build context",
        "BUILDKIT_INLINE_CACHE" => "write inline cache metadata into the image",
        "BUILDKIT_MULTI_PLATFORM" => "produce a multi-platform image even for one platform",
        _ => "predefined by BuildKit",
    }
}

fn var_use(
    df: &Dockerfile,
    model: &Model,
    name: &str,
    decl: Option<usize>,
    context: docksmith_syntax::VarContext,
) -> String {
    let Some(id) = decl else {
        let mut md = format!("**`${name}`** is not defined here");
        if context == docksmith_syntax::VarContext::Shell {
            md.push_str(
                ": the shell expands it when the command runs, from the environment of the \
                 base image or the command itself.",
            );
        } else {
            md.push_str(": it expands to an empty string.");
        }
        if PLATFORM_ARGS.contains(&name) {
            md.push_str(&format!(
                "\n\n`{name}` is predefined ({}), but inside a stage it must be declared first: `ARG {name}`.",
                predefined_doc(name)
            ));
        }
        return md;
    };
    let Some(d) = model.decls.get(id) else {
        return String::new();
    };
    let what = match d.kind {
        DeclKind::GlobalArg => "global build argument (ARG before the first FROM)",
        DeclKind::StageArg => "build argument (ARG)",
        DeclKind::Env => "environment variable (ENV)",
        DeclKind::Predefined => "predefined build argument",
    };
    let mut md = format!("**`{name}`**: {what}\n\n");
    if d.kind == DeclKind::Predefined {
        md.push_str(&format!("BuildKit sets it: {}.\n\n", predefined_doc(name)));
    }
    let value = match &d.value {
        Value::Known(v) => format!("`{}`", v.replace('`', "'")),
        Value::Unknown => "set at build time".to_string(),
        Value::NoDefault => "empty unless set with `--build-arg`".to_string(),
    };
    md.push_str(&format!("- Value: {value}"));
    if matches!(d.kind, DeclKind::GlobalArg | DeclKind::StageArg)
        && matches!(d.value, Value::Known(_))
    {
        md.push_str(&format!(
            " (default; `--build-arg {name}=...` overrides it)"
        ));
    }
    md.push('\n');
    if let Some(r) = d.name_range {
        let stage = d.stage.and_then(|s| model.stages.get(s)).map_or_else(
            || "before the first FROM".to_string(),
            |s| format!("in stage {}", stage_label(s)),
        );
        md.push_str(&format!(
            "- Declared on line {} {stage}\n",
            model.line_of(df, r.start)
        ));
    }
    if let Some(r) = d.redeclares.and_then(|r| model.decls.get(r)) {
        match r.name_range {
            Some(nr) => md.push_str(&format!(
                "- Brings the global ARG of line {} into this stage\n",
                model.line_of(df, nr.start)
            )),
            None => md.push_str(&format!(
                "- Brings the predefined `{}` into this stage: {}\n",
                r.name,
                predefined_doc(&r.name)
            )),
        }
    }
    if let Some(raw) = &d.raw_value
        && !matches!(&d.value, Value::Known(v) if v == raw)
    {
        md.push_str(&format!("- Written as: `{}`\n", raw.replace('`', "'")));
    }
    md
}

/// Markdown reduced to plain text, for clients that only show plain text.
pub fn to_plain_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for line in md.lines() {
        if line.starts_with("```") || line.starts_with("|---") || line == "---" {
            continue;
        }
        let mut l = line.trim_start_matches('#').trim_start().to_string();
        l = l.replace("**", "").replace('`', "");
        // [text](url) -> text (url)
        while let Some(c) = l.find("](") {
            let (Some(open), Some(end)) = (l[..c].rfind('['), l[c..].find(')').map(|e| e + c))
            else {
                break;
            };
            let text = l[open + 1..c].to_string();
            let url = l[c + 2..end].to_string();
            l.replace_range(open..=end, &format!("{text} ({url})"));
        }
        out.push_str(l.trim_end());
        out.push('\n');
    }
    out.trim_end().to_string()
}
