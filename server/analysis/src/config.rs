//! Configuration: which rules run and how serious they are, trusted registries, the
//! fail level. Read from text here (the binary finds and reads the files):
//!
//! * `.docksmith.toml` ([`Config::from_toml`]):
//!
//!   ```toml
//!   fail-level = "warning"              # docksmith check exits 1 at or above this
//!   trusted-registries = ["docker.io", "ghcr.io"]
//!
//!   [rules]
//!   StageNameCasing = "off"             # off | on | error | warning | info | hint
//!   DL3006 = "error"                    # hadolint codes name the same rules
//!   [rules.InvalidDefinitionDescription]
//!   enabled = true                      # experimental rules too
//!   severity = "info"
//!   ```
//!
//! * `.hadolint.yaml` ([`Config::from_hadolint_yaml`]) when there is no
//!   `.docksmith.toml`: `ignored`, `override` (`error`/`warning`/`info`/`style`
//!   lists), `trustedRegistries`, `failure-threshold`.
//! * LSP settings on top ([`Config::merge`]).

use std::collections::BTreeMap;

use crate::diagnostics::Severity;
use crate::rules;

/// The setting of one rule; `None` leaves the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuleSetting {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
}

/// A configuration. The default changes nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// By canonical rule name.
    pub rules: BTreeMap<&'static str, RuleSetting>,
    pub trusted_registries: Vec<String>,
    pub fail_level: Option<Severity>,
    /// `--select`: only these rules run (when `Some`).
    pub only: Option<Vec<&'static str>>,
}

/// A problem in a configuration file, with the line (1-based) when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

fn err(line: Option<usize>, message: String) -> ConfigError {
    ConfigError { line, message }
}

/// Read a rule setting word: `off`, `on`, or a severity.
fn setting_word(s: &str) -> Option<RuleSetting> {
    match s.trim().to_ascii_lowercase().as_str() {
        "off" | "ignore" | "none" | "false" => Some(RuleSetting {
            enabled: Some(false),
            severity: None,
        }),
        "on" | "true" => Some(RuleSetting {
            enabled: Some(true),
            severity: None,
        }),
        other => Severity::parse(other).map(|sev| RuleSetting {
            enabled: Some(true),
            severity: Some(sev),
        }),
    }
}

impl Config {
    /// Whether the configuration turns a rule on or off (`None`: no opinion).
    pub fn enabled(&self, name: &str) -> Option<bool> {
        if let Some(only) = &self.only
            && !only.contains(&name)
        {
            return Some(false);
        }
        self.rules.get(name).and_then(|s| s.enabled)
    }

    /// The configured severity of a rule.
    pub fn severity(&self, name: &str) -> Option<Severity> {
        self.rules.get(name).and_then(|s| s.severity)
    }

    /// Set a rule (by name or alias); `false` when no rule answers to `name`.
    pub fn set(&mut self, name: &str, setting: RuleSetting) -> bool {
        let Some(rule) = rules::lookup(name) else {
            return false;
        };
        let e = self.rules.entry(rule.meta.name).or_default();
        if setting.enabled.is_some() {
            e.enabled = setting.enabled;
        }
        if setting.severity.is_some() {
            e.severity = setting.severity;
        }
        true
    }

    /// `other` on top of `self`.
    pub fn merge(&mut self, other: &Config) {
        for (name, s) in &other.rules {
            self.set(name, *s);
        }
        if !other.trusted_registries.is_empty() {
            self.trusted_registries = other.trusted_registries.clone();
        }
        if other.fail_level.is_some() {
            self.fail_level = other.fail_level;
        }
        if other.only.is_some() {
            self.only = other.only.clone();
        }
    }

    /// Parse `.docksmith.toml`. Problems are reported and skipped; what is valid is
    /// kept.
    pub fn from_toml(text: &str) -> (Config, Vec<ConfigError>) {
        let mut c = Config::default();
        let mut errors = Vec::new();
        let table: toml::Table = match text.parse() {
            Ok(t) => t,
            Err(e) => {
                let line = e
                    .span()
                    .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
                errors.push(err(line, e.message().to_string()));
                return (c, errors);
            }
        };
        let line_of = |key: &str| {
            text.lines()
                .position(|l| l.trim_start().starts_with(key))
                .map(|p| p + 1)
        };
        for (key, value) in &table {
            match (key.as_str(), value) {
                ("fail-level", toml::Value::String(s)) => match Severity::parse(s) {
                    Some(sev) => c.fail_level = Some(sev),
                    None => errors.push(err(
                        line_of(key),
                        format!("fail-level: '{s}' is not error, warning, info or hint"),
                    )),
                },
                ("trusted-registries", toml::Value::Array(a)) => {
                    for v in a {
                        match v.as_str() {
                            Some(s) => c.trusted_registries.push(s.to_string()),
                            None => errors.push(err(
                                line_of(key),
                                "trusted-registries: expected strings".to_string(),
                            )),
                        }
                    }
                }
                ("rules", toml::Value::Table(t)) => {
                    for (name, v) in t {
                        let setting = match v {
                            toml::Value::String(s) => setting_word(s),
                            toml::Value::Boolean(b) => Some(RuleSetting {
                                enabled: Some(*b),
                                severity: None,
                            }),
                            toml::Value::Table(t) => {
                                let mut s = RuleSetting::default();
                                let mut ok = true;
                                for (k, v) in t {
                                    match (k.as_str(), v) {
                                        ("enabled", toml::Value::Boolean(b)) => s.enabled = Some(*b),
                                        ("severity", toml::Value::String(x)) => {
                                            match setting_word(x) {
                                                Some(w) => {
                                                    s.severity = w.severity;
                                                    if w.enabled == Some(false) {
                                                        s.enabled = Some(false);
                                                    }
                                                }
                                                None => ok = false,
                                            }
                                        }
                                        _ => ok = false,
                                    }
                                }
                                ok.then_some(s)
                            }
                            _ => None,
                        };
                        match setting {
                            Some(s) => {
                                if !c.set(name, s) {
                                    let hint = rules::did_you_mean(
                                        name,
                                        rules::RULES.iter().map(|r| r.meta.name),
                                    )
                                    .map(|s| format!(" (did you mean {s}?)"))
                                    .unwrap_or_default();
                                    errors.push(err(
                                        line_of(name),
                                        format!("unknown rule '{name}'{hint}"),
                                    ));
                                }
                            }
                            None => errors.push(err(
                                line_of(name),
                                format!(
                                    "rules.{name}: expected \"off\", \"on\", a severity (error, warning, info, hint) or {{ enabled = bool, severity = \"...\" }}"
                                ),
                            )),
                        }
                    }
                }
                // The formatter's table, read and checked by `docksmith fmt` and the LSP
                // formatting requests (docs/formatting.md).
                ("format", toml::Value::Table(_)) => {}
                _ => errors.push(err(
                    line_of(key),
                    format!(
                        "unknown or mistyped key '{key}' (expected fail-level = \"...\", trusted-registries = [...], [rules], [format])"
                    ),
                )),
            }
        }
        (c, errors)
    }

    /// Read `.hadolint.yaml`: `ignored`, `override`, `trustedRegistries`,
    /// `failure-threshold`. Other keys are hadolint's own and are skipped. Codes no
    /// rule answers to are skipped too (hadolint has rules we do not).
    pub fn from_hadolint_yaml(text: &str) -> (Config, Vec<ConfigError>) {
        let mut c = Config::default();
        let mut errors = Vec::new();
        let doc = yaml_subset(text);
        for (key, line, value) in &doc {
            match key.as_str() {
                "ignored" => {
                    for code in value.list() {
                        c.set(
                            &code,
                            RuleSetting {
                                enabled: Some(false),
                                severity: None,
                            },
                        );
                    }
                }
                "trustedRegistries" => c.trusted_registries = value.list(),
                "failure-threshold" => match value.scalar().as_deref() {
                    Some("none" | "ignore") => c.fail_level = None,
                    Some(s) => match Severity::parse(s) {
                        Some(sev) => c.fail_level = Some(sev),
                        None => errors.push(err(
                            Some(*line),
                            format!("failure-threshold: unknown level '{s}'"),
                        )),
                    },
                    None => {}
                },
                "override" => {
                    if let Yaml::Map(m) = value {
                        for (level, l2, codes) in m {
                            let Some(sev) = Severity::parse(level) else {
                                errors.push(err(
                                    Some(*l2),
                                    format!("override: unknown level '{level}'"),
                                ));
                                continue;
                            };
                            for code in codes.list() {
                                c.set(
                                    &code,
                                    RuleSetting {
                                        enabled: None,
                                        severity: Some(sev),
                                    },
                                );
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        (c, errors)
    }
}

/// The YAML that `.hadolint.yaml` files use: a top-level map whose values are
/// scalars, lists (block `- x` or flow `[a, b]`) or one more level of map.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Yaml {
    Scalar(String),
    List(Vec<String>),
    Map(Vec<(String, usize, Yaml)>),
}

impl Yaml {
    fn list(&self) -> Vec<String> {
        match self {
            Yaml::List(l) => l.clone(),
            Yaml::Scalar(s) if !s.is_empty() => vec![s.clone()],
            _ => Vec::new(),
        }
    }

    fn scalar(&self) -> Option<String> {
        match self {
            Yaml::Scalar(s) => Some(s.clone()),
            _ => None,
        }
    }
}

fn unquote_yaml(s: &str) -> String {
    let s = s.trim();
    let s = match s.find(" #") {
        Some(i) => s[..i].trim_end(),
        None => s,
    };
    s.trim_matches(|c| c == '"' || c == '\'').to_string()
}

fn flow_list(s: &str) -> Option<Vec<String>> {
    let s = s.trim();
    let inner = s.strip_prefix('[')?.strip_suffix(']')?;
    Some(
        inner
            .split(',')
            .map(unquote_yaml)
            .filter(|x| !x.is_empty())
            .collect(),
    )
}

/// Parse lines at indentation levels 0 and one deeper.
fn yaml_subset(text: &str) -> Vec<(String, usize, Yaml)> {
    let lines: Vec<(usize, usize, &str)> = text
        .lines()
        .enumerate()
        .filter_map(|(n, l)| {
            let t = l.trim_end();
            let body = t.trim_start();
            if body.is_empty() || body.starts_with('#') || body == "---" {
                return None;
            }
            Some((n + 1, t.len() - body.len(), body))
        })
        .collect();
    // Returns the parsed block starting at lines[i] with indent > `parent`.
    fn block(lines: &[(usize, usize, &str)], i: &mut usize, parent: Option<usize>) -> Yaml {
        let Some(&(_, ind, first)) = lines.get(*i) else {
            return Yaml::Scalar(String::new());
        };
        if parent.is_some_and(|p| ind <= p) && !first.starts_with("- ") {
            return Yaml::Scalar(String::new());
        }
        if first.starts_with('-') {
            let mut items = Vec::new();
            while let Some(&(_, ind2, l)) = lines.get(*i) {
                if ind2 != ind || !l.starts_with('-') {
                    break;
                }
                items.push(unquote_yaml(&l[1..]));
                *i += 1;
            }
            return Yaml::List(items);
        }
        let mut map = Vec::new();
        while let Some(&(line, ind2, l)) = lines.get(*i) {
            if ind2 != ind {
                break;
            }
            *i += 1;
            let Some((k, v)) = l.split_once(':') else {
                continue;
            };
            let key = unquote_yaml(k);
            let v = v.trim();
            let value = if v.is_empty() || v.starts_with('#') {
                block(lines, i, Some(ind))
            } else if let Some(list) = flow_list(v) {
                Yaml::List(list)
            } else {
                Yaml::Scalar(unquote_yaml(v))
            };
            map.push((key, line, value));
        }
        Yaml::Map(map)
    }
    let mut i = 0;
    let mut out = Vec::new();
    while i < lines.len() {
        let before = i;
        if let Yaml::Map(m) = block(&lines, &mut i, None) {
            out.extend(m);
        }
        if i == before {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_settings() {
        let (c, errors) = Config::from_toml(
            "fail-level = \"info\"\ntrusted-registries = [\"ghcr.io\"]\n[rules]\nStageNameCasing = \"off\"\nfromascasing = \"error\"\nBogus = \"off\"\n[rules.MaintainerDeprecated]\nseverity = \"hint\"\n",
        );
        assert_eq!(c.fail_level, Some(Severity::Info));
        assert_eq!(c.trusted_registries, ["ghcr.io"]);
        assert_eq!(c.enabled("StageNameCasing"), Some(false));
        assert_eq!(c.severity("FromAsCasing"), Some(Severity::Error));
        assert_eq!(c.severity("MaintainerDeprecated"), Some(Severity::Hint));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].to_string(), "line 6: unknown rule 'Bogus'");
    }

    #[test]
    fn toml_syntax_error_has_a_line() {
        let (_, errors) = Config::from_toml("[rules]\nX = \n");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, Some(2));
    }

    #[test]
    fn hadolint_yaml() {
        let (c, errors) = Config::from_hadolint_yaml(
            "# comment\nfailure-threshold: error\nignored:\n  - StageNameCasing\n  - DL9999\noverride:\n  warning: [FromAsCasing]\n  info:\n    - MaintainerDeprecated\ntrustedRegistries:\n  - docker.io\n  - \"my.reg:5000\"\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(c.fail_level, Some(Severity::Error));
        assert_eq!(c.enabled("StageNameCasing"), Some(false));
        assert_eq!(c.severity("FromAsCasing"), Some(Severity::Warning));
        assert_eq!(c.severity("MaintainerDeprecated"), Some(Severity::Info));
        assert_eq!(c.trusted_registries, ["docker.io", "my.reg:5000"]);
    }
}
