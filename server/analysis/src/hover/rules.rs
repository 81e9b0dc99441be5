//! Documentation of lint rules, for hover and completion inside `# check=skip=`,
//! `# hadolint ignore=` and `# docksmith ignore=`.
//!
//! The rules registry ([`crate::rules::RULES`]) is the source: every rule under its name,
//! and each alias (a hadolint code) as an entry of its own that points at the rule.

/// What hover and completion show about a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleDoc {
    pub name: String,
    pub summary: String,
    /// Longer documentation (Markdown), when the registry has it.
    pub docs: Option<String>,
    pub url: Option<String>,
    /// `buildkit`, `hadolint` or `docksmith`.
    pub origin: &'static str,
}

fn doc_of(rule: &crate::rules::Rule, name: &str) -> RuleDoc {
    let m = &rule.meta;
    let alias = !m.name.eq_ignore_ascii_case(name);
    RuleDoc {
        name: if alias {
            name.to_string()
        } else {
            m.name.to_string()
        },
        summary: if alias {
            format!("{} (same as hadolint {name})", m.summary)
        } else {
            m.summary.to_string()
        },
        docs: Some(rule.doc_markdown()),
        url: Some(rule.url()),
        origin: match m.category {
            crate::rules::Category::BuildKit => "buildkit",
            _ if alias => "hadolint",
            _ => "docksmith",
        },
    }
}

/// The rule named `name` (its name or an alias, case-insensitive), from the registry.
pub fn lookup(name: &str) -> Option<RuleDoc> {
    let rule = crate::rules::lookup(name)?;
    let written = std::iter::once(rule.meta.name)
        .chain(rule.meta.aliases.iter().copied())
        .find(|n| n.eq_ignore_ascii_case(name))
        .unwrap_or(rule.meta.name);
    Some(doc_of(rule, written))
}

/// Every rule the registry knows, and every alias, for completion.
pub fn all() -> Vec<RuleDoc> {
    let mut out = Vec::new();
    for rule in crate::rules::RULES {
        out.push(doc_of(rule, rule.meta.name));
        for alias in rule.meta.aliases {
            out.push(doc_of(rule, alias));
        }
    }
    out
}

/// The rule's documentation as Markdown: the rule's page from the registry (for an alias,
/// preceded by the rule it names), or a short summary when there is no page.
pub fn markdown(r: &RuleDoc) -> String {
    if let Some(d) = &r.docs {
        let heading = d.lines().next().unwrap_or("");
        if heading
            .trim_start_matches("# ")
            .eq_ignore_ascii_case(&r.name)
        {
            return d.clone();
        }
        let target = heading.trim_start_matches("# ");
        return format!(
            "`{}` is hadolint's code for Docksmith's **{target}**.\n\n{d}",
            r.name
        );
    }
    let mut s = format!("**{}** ({} rule)\n\n{}", r.name, r.origin, r.summary);
    if let Some(u) = &r.url {
        s.push_str(&format!("\n\n[Documentation]({u})"));
    }
    s
}
