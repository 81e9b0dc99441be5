//! Suppressions written in the file:
//!
//! * the `# check=` parser directive, with BuildKit's semantics: `skip=<rules>|all`,
//!   `error=true` (BuildKit checks become errors), `experimental=<rules>|all`; the
//!   `BUILDKIT_DOCKERFILE_CHECK` build argument replaces it when given;
//! * a `# check=skip=<rules>|all` comment right above an instruction (BuildKit skips
//!   those checks for that instruction only);
//! * `# hadolint ignore=<codes>` right above an instruction, `# hadolint global
//!   ignore=<codes>` anywhere;
//! * `# docksmith ignore=<rules>|all` right above an instruction.
//!
//! "Right above" means in the run of comment lines directly before the instruction.
//! Rule names are matched by name or alias, case-insensitively; names no rule answers
//! to are reported (rule `InvalidSuppression`), except hadolint and ShellCheck codes
//! (`DL1234`, `SC1234`) in hadolint comments, which belong to hadolint.

use std::collections::HashMap;

use docksmith_syntax::{Dockerfile, NodeKind, TextRange};

use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{self, Category, Rule};

/// The rules one instruction skips.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Local {
    /// `all`: every rule except the syntax ones.
    pub all: bool,
    pub rules: Vec<&'static str>,
}

/// Everything the file says about which rules to skip.
#[derive(Clone, Debug, Default)]
pub struct Suppressions {
    pub skip_all: bool,
    pub skip: Vec<&'static str>,
    pub error: bool,
    pub experimental_all: bool,
    pub experimental: Vec<&'static str>,
    /// `# hadolint global ignore=`.
    pub global: Vec<&'static str>,
    /// Per instruction (node index).
    pub local: HashMap<usize, Local>,
    /// Unknown rule names and malformed values (rule `InvalidSuppression`).
    pub problems: Vec<Diagnostic>,
}

/// One comma-separated name with its absolute range.
fn names(list: &str, at: u32) -> Vec<(&str, TextRange)> {
    let mut out = Vec::new();
    let mut off = 0usize;
    for part in list.split(',') {
        let lead = part.len() - part.trim_start().len();
        let name = part.trim();
        if !name.is_empty() {
            let s = at + (off + lead) as u32;
            out.push((name, TextRange::new(s, s + name.len() as u32)));
        }
        off += part.len() + 1;
    }
    out
}

fn is_hadolint_code(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() == 6
        && (name[..2].eq_ignore_ascii_case("DL") || name[..2].eq_ignore_ascii_case("SC"))
        && b[2..].iter().all(u8::is_ascii_digit)
}

impl Suppressions {
    /// Read the suppressions of a file. `buildkit_check`: the value of the
    /// `BUILDKIT_DOCKERFILE_CHECK` build argument, which replaces the directive.
    pub fn collect(df: &Dockerfile, buildkit_check: Option<&str>) -> Suppressions {
        let mut s = Suppressions::default();
        match buildkit_check {
            Some(v) => s.check_value(v, None),
            None => {
                for (_, d) in df.directives() {
                    if d.name == "check" && d.applied {
                        s.check_value(&d.value, Some(d.value_range.start));
                    }
                }
            }
        }
        // Comments: a run of comment nodes applies to the instruction right after it.
        let mut pending: Vec<Local> = Vec::new();
        for (idx, n) in df.nodes().enumerate() {
            match n.node.kind {
                NodeKind::Comment => {
                    if let Some(l) = s.comment(n.node.text(), n.start) {
                        pending.push(l);
                    }
                }
                NodeKind::Instruction => {
                    if !pending.is_empty() {
                        let e = s.local.entry(idx).or_default();
                        for l in pending.drain(..) {
                            e.all |= l.all;
                            e.rules.extend(l.rules);
                        }
                    }
                }
                _ => pending.clear(),
            }
        }
        s
    }

    fn problem(&mut self, range: TextRange, message: String) {
        self.problems
            .push(rules::suppression::RULE.diag(range, message));
    }

    /// Resolve names; report unknown ones. `hadolint`: tolerate hadolint codes.
    fn resolve(
        &mut self,
        list: &str,
        at: Option<u32>,
        hadolint: bool,
    ) -> (bool, Vec<&'static str>) {
        let mut all = false;
        let mut out = Vec::new();
        for (name, range) in names(list, at.unwrap_or(0)) {
            if name.eq_ignore_ascii_case("all") {
                all = true;
            } else if let Some(r) = rules::lookup(name) {
                out.push(r.meta.name);
            } else if !(hadolint && is_hadolint_code(name))
                && let Some(_) = at
            {
                let suggestion =
                    rules::did_you_mean(name, rules::RULES.iter().map(|r| r.meta.name));
                let mut d = rules::suppression::RULE.diag(
                    range,
                    match suggestion {
                        Some(sug) => format!("Unknown rule '{name}' (did you mean {sug}?)"),
                        None => format!("Unknown rule '{name}'"),
                    },
                );
                if let Some(sug) = suggestion {
                    d = d.with_fix(Fix::safe(
                        format!("Replace with '{sug}'"),
                        vec![Edit::replace(range, sug)],
                    ));
                }
                self.problems.push(d);
            }
        }
        (all, out)
    }

    /// The value of a `# check=` directive (or of `BUILDKIT_DOCKERFILE_CHECK`).
    fn check_value(&mut self, value: &str, at: Option<u32>) {
        let mut off = 0usize;
        for part in value.split(';') {
            let here = at.map(|a| a + off as u32);
            off += part.len() + 1;
            let trimmed = part.trim();
            if trimmed.is_empty() {
                continue;
            }
            let lead = part.len() - part.trim_start().len();
            let Some((key, val)) = trimmed.split_once('=') else {
                if let Some(h) = here {
                    let s = h + lead as u32;
                    self.problem(
                        TextRange::new(s, s + trimmed.len() as u32),
                        format!("'{trimmed}' in the check directive is not key=value (skip=, error=, experimental=)"),
                    );
                }
                continue;
            };
            let val_at = here.map(|h| h + (lead + key.len() + 1) as u32);
            match key.trim().to_ascii_lowercase().as_str() {
                "skip" => {
                    let (all, list) = self.resolve(val, val_at, false);
                    self.skip_all |= all;
                    self.skip.extend(list);
                }
                "experimental" => {
                    let (all, list) = self.resolve(val, val_at, false);
                    self.experimental_all |= all;
                    self.experimental.extend(list);
                }
                "error" => match val.trim().to_ascii_lowercase().as_str() {
                    "true" | "1" => self.error = true,
                    "false" | "0" => self.error = false,
                    _ => {
                        if let Some(v) = val_at {
                            self.problem(
                                TextRange::new(v, v + val.len() as u32),
                                format!("error= takes true or false, not '{}'", val.trim()),
                            );
                        }
                    }
                },
                other => {
                    if let Some(h) = here {
                        let s = h + lead as u32;
                        self.problem(
                            TextRange::new(s, s + key.len() as u32),
                            format!("Unknown check option '{other}' (expected skip, error or experimental)"),
                        );
                    }
                }
            }
        }
    }

    /// A comment line: a local suppression, a global one (recorded here), or nothing.
    fn comment(&mut self, text: &str, start: u32) -> Option<Local> {
        let body = text.trim_end_matches(['\n', '\r']);
        let hash = body.find('#')?;
        let after = &body[hash + 1..];
        let lead = after.len() - after.trim_start().len();
        let content = after.trim_start();
        let content_at = start + (hash + 1 + lead) as u32;
        // The first white-space separated word and what follows.
        let word_end = |s: &str| s.find(char::is_whitespace).unwrap_or(s.len());
        let lower = content.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("check=") {
            let _ = rest;
            let v = &content[6..];
            let v = &v[..word_end(v)];
            let v_at = content_at + 6;
            let mut local = Local::default();
            for part in v.split(';') {
                let off = part.as_ptr() as usize - v.as_ptr() as usize;
                if let Some((k, list)) = part.split_once('=')
                    && k.eq_ignore_ascii_case("skip")
                {
                    let (all, rules) =
                        self.resolve(list, Some(v_at + (off + k.len() + 1) as u32), false);
                    local.all |= all;
                    local.rules.extend(rules);
                }
            }
            return Some(local);
        }
        for (prefix, hadolint) in [("hadolint ", true), ("docksmith ", false)] {
            let Some(rest) = lower.strip_prefix(prefix) else {
                continue;
            };
            let rest_off = prefix.len() + (rest.len() - rest.trim_start().len());
            let rest = &content[rest_off..];
            let rest_l = rest.to_ascii_lowercase();
            let (global, key_len) = if rest_l.starts_with("global ignore=") {
                (true, "global ignore=".len())
            } else if rest_l.starts_with("ignore=") {
                (false, "ignore=".len())
            } else {
                return None;
            };
            if global && !hadolint {
                return None;
            }
            let v = &rest[key_len..];
            let v = &v[..word_end(v)];
            let v_at = content_at + (rest_off + key_len) as u32;
            let (all, list) = self.resolve(v, Some(v_at), hadolint);
            if global {
                self.global.extend(list);
                return None;
            }
            return Some(Local { all, rules: list });
        }
        None
    }

    /// Whether the file-level directive skips a rule (`skip=all` skips every rule
    /// except syntax errors).
    pub fn skips_file(&self, rule: &Rule) -> bool {
        (self.skip_all && !matches!(rule.meta.category, Category::Syntax | Category::Suppression))
            || self.skip.contains(&rule.meta.name)
            || self.global.contains(&rule.meta.name)
    }

    /// Whether an experimental rule was enabled by the directive.
    pub fn experimental(&self, name: &str) -> bool {
        self.experimental_all || self.experimental.contains(&name)
    }

    /// Whether a diagnostic is suppressed where it is.
    pub fn suppressed(&self, df: &Dockerfile, d: &Diagnostic) -> bool {
        if self.global.contains(&d.rule) {
            return true;
        }
        let Some(idx) = df.node_index_at(d.range.start) else {
            return false;
        };
        let Some(local) = self.local.get(&idx) else {
            return false;
        };
        if local.rules.contains(&d.rule) {
            return true;
        }
        local.all
            && rules::lookup(d.rule).is_some_and(|r| {
                !matches!(r.meta.category, Category::Syntax | Category::Suppression)
            })
    }
}

/// "Skip this rule in this file": add the rule to the `# check=skip=` directive,
/// creating the directive when there is none.
pub fn skip_in_file_fix(df: &Dockerfile, rule: &str) -> Fix {
    let title = format!("Skip {rule} in this file");
    for (_, d) in df.directives() {
        if d.name == "check" {
            // Find `skip=` in the value.
            let mut off = 0usize;
            for part in d.value.split(';') {
                if let Some((k, list)) = part.split_once('=')
                    && k.trim().eq_ignore_ascii_case("skip")
                {
                    let end = d.value_range.start + (off + part.trim_end().len()) as u32;
                    let sep = if list.trim().is_empty() { "" } else { "," };
                    return Fix::safe(title, vec![Edit::insert(end, format!("{sep}{rule}"))]);
                }
                off += part.len() + 1;
            }
            let end = d.value_range.end;
            let sep = if d.value.trim().is_empty() { "" } else { ";" };
            return Fix::safe(title, vec![Edit::insert(end, format!("{sep}skip={rule}"))]);
        }
    }
    // After the byte-order mark and the other directives (directives must come first).
    let mut at = 0;
    for n in df.nodes() {
        match n.node.kind {
            NodeKind::Bom | NodeKind::Directive => at = n.range().end,
            _ => break,
        }
    }
    let text = df
        .node(0)
        .map(|n| n.node.text().to_string())
        .unwrap_or_default();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    Fix::safe(
        title,
        vec![Edit::insert(at, format!("# check=skip={rule}{newline}"))],
    )
}

/// "Ignore for this instruction": a `# docksmith ignore=<rule>` line above the
/// instruction holding `offset` (extending one that is already there).
pub fn ignore_here_fix(df: &Dockerfile, offset: u32, rule: &str) -> Option<Fix> {
    let idx = df.node_index_at(offset)?;
    let node = df.node(idx)?;
    if node.node.kind != NodeKind::Instruction {
        return None;
    }
    let title = format!("Ignore {rule} for this instruction");
    // An existing `# docksmith ignore=` right above.
    let mut k = idx;
    while k > 0 {
        k -= 1;
        let n = df.node(k)?;
        if n.node.kind != NodeKind::Comment {
            break;
        }
        let t = n.node.text().trim_end_matches(['\n', '\r']);
        if let Some(p) = t.to_ascii_lowercase().find("docksmith ignore=") {
            let v_start = p + "docksmith ignore=".len();
            let v_end = t[v_start..]
                .find(char::is_whitespace)
                .map_or(t.len(), |e| v_start + e);
            return Some(Fix::safe(
                title,
                vec![Edit::insert(n.start + v_end as u32, format!(",{rule}"))],
            ));
        }
    }
    let text = node.node.text();
    let indent: String = text
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    Some(Fix::safe(
        title,
        vec![Edit::insert(
            node.start,
            format!("{indent}# docksmith ignore={rule}{newline}"),
        )],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply;

    #[test]
    fn directive_and_comments() {
        let df = Dockerfile::parse(
            "# check=skip=StageNameCasing,Bogus;error=true;experimental=all\nFROM a AS B\n# hadolint ignore=DL3006,DL9999\n# docksmith ignore=FromAsCasing\nRUN x\n# hadolint global ignore=MaintainerDeprecated\n",
        );
        let s = Suppressions::collect(&df, None);
        assert_eq!(s.skip, ["StageNameCasing"]);
        assert!(s.error && s.experimental_all && !s.skip_all);
        assert_eq!(s.global, ["MaintainerDeprecated"]);
        let l: Vec<_> = s.local.values().collect();
        assert_eq!(l.len(), 1);
        // DL3006 answers as ImageTagMissing.
        assert_eq!(l[0].rules, ["ImageTagMissing", "FromAsCasing"]);
        assert_eq!(s.problems.len(), 1);
        assert_eq!(s.problems[0].message, "Unknown rule 'Bogus'");
        let text = df.text();
        assert_eq!(&text[s.problems[0].range.as_usize()], "Bogus");
    }

    #[test]
    fn build_arg_replaces_directive() {
        let df = Dockerfile::parse("# check=skip=all\nFROM a\n");
        let s = Suppressions::collect(&df, Some("skip=FromAsCasing;error=true"));
        assert!(!s.skip_all && s.error);
        assert_eq!(s.skip, ["FromAsCasing"]);
    }

    #[test]
    fn skip_fix_creates_or_extends_the_directive() {
        let t = "# syntax=docker/dockerfile:1\nFROM a\n";
        let df = Dockerfile::parse(t);
        let f = skip_in_file_fix(&df, "X");
        assert_eq!(
            apply(t, &f.edits),
            "# syntax=docker/dockerfile:1\n# check=skip=X\nFROM a\n"
        );
        let t = "# check=error=true\nFROM a\n";
        let f = skip_in_file_fix(&Dockerfile::parse(t), "X");
        assert_eq!(apply(t, &f.edits), "# check=error=true;skip=X\nFROM a\n");
        let t = "# check=skip=A;error=true\nFROM a\n";
        let f = skip_in_file_fix(&Dockerfile::parse(t), "X");
        assert_eq!(apply(t, &f.edits), "# check=skip=A,X;error=true\nFROM a\n");
    }

    #[test]
    fn ignore_fix_adds_or_extends_a_comment() {
        let t = "FROM a\n  RUN x\n";
        let df = Dockerfile::parse(t);
        let f = ignore_here_fix(&df, 10, "X").unwrap();
        assert_eq!(
            apply(t, &f.edits),
            "FROM a\n  # docksmith ignore=X\n  RUN x\n"
        );
        let t = "FROM a\n# docksmith ignore=A\nRUN x\n";
        let df = Dockerfile::parse(t);
        let f = ignore_here_fix(&df, 30, "X").unwrap();
        assert_eq!(
            apply(t, &f.edits),
            "FROM a\n# docksmith ignore=A,X\nRUN x\n"
        );
    }
}
