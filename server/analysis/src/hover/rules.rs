//! Documentation of lint rules, for hover and completion inside `# check=skip=`,
//! `# hadolint ignore=` and `# docksmith ignore=`.
//!
//! The rules registry ([`crate::rules::RULES`]) is the source: every rule under its name,
//! and each alias (a hadolint code) as an entry of its own that points at the rule. The
//! table, with each entry's Markdown page, is built once per process.

use std::sync::OnceLock;

/// What hover and completion show about a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleDoc {
    pub name: String,
    pub summary: String,
    /// The rule's page (Markdown); for an alias, preceded by the rule it names.
    pub markdown: String,
    /// `buildkit`, `hadolint` or `docksmith`.
    pub origin: &'static str,
}

fn doc_of(rule: &crate::rules::Rule, name: &str) -> RuleDoc {
    let m = &rule.meta;
    let alias = !m.name.eq_ignore_ascii_case(name);
    let page = rule.doc_markdown();
    RuleDoc {
        name: name.to_string(),
        summary: if alias {
            format!("{} (same as hadolint {name})", m.summary)
        } else {
            m.summary.to_string()
        },
        markdown: if alias {
            format!(
                "`{name}` is hadolint's code for Docksmith's **{}**.\n\n{page}",
                m.name
            )
        } else {
            page
        },
        origin: match m.category {
            crate::rules::Category::BuildKit => "buildkit",
            _ if alias => "hadolint",
            _ => "docksmith",
        },
    }
}

/// Every rule the registry knows, and every alias, for completion.
pub fn all() -> &'static [RuleDoc] {
    static TABLE: OnceLock<Vec<RuleDoc>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut out = Vec::new();
        for rule in crate::rules::RULES {
            out.push(doc_of(rule, rule.meta.name));
            for alias in rule.meta.aliases {
                out.push(doc_of(rule, alias));
            }
        }
        out
    })
}

/// The rule named `name` (its name or an alias, case-insensitive).
pub fn lookup(name: &str) -> Option<&'static RuleDoc> {
    all().iter().find(|r| r.name.eq_ignore_ascii_case(name))
}

/// The rule's documentation as Markdown.
pub fn markdown(r: &RuleDoc) -> String {
    r.markdown.clone()
}
