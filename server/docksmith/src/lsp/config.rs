//! Settings under the `docksmith` section (see `docs/configuration.md`).
//!
//! Settings arrive as JSON from `initialize`'s `initializationOptions`, from
//! `workspace/configuration` answers and from `workspace/didChangeConfiguration`. Reading them
//! is lenient: unknown keys are ignored, a missing key takes its default, and a key of the
//! wrong type is reported and takes its default without spoiling the others.
//!
//! To add a setting: add a field (camelCase in JSON) with a default here, document it in
//! `docs/configuration.md`, and add a row to the tests below.

use serde::Deserialize;
use serde_json::Value;

/// Everything under `docksmith`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// A `tracing` filter for the server's log on stderr: `error`, `warn`, `info`, `debug`,
    /// `trace`, `off`, or a full directive such as `docksmith=debug`. `None` keeps the level
    /// chosen on the command line, by `RUST_LOG` or the default (`warn`).
    pub log_level: Option<String>,
    pub diagnostics: DiagnosticsSettings,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DiagnosticsSettings {
    /// Report diagnostics at all.
    pub enable: bool,
    /// How diagnostics reach the client; read once, at `initialize`.
    pub mode: DiagnosticsMode,
}

impl Default for DiagnosticsSettings {
    fn default() -> Self {
        Self {
            enable: true,
            mode: DiagnosticsMode::Auto,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DiagnosticsMode {
    /// Pull (`textDocument/diagnostic`) when the client declares support for it, else push.
    #[default]
    Auto,
    /// Always push `textDocument/publishDiagnostics`, never advertise pull.
    Push,
    /// Advertise pull and never push.
    Pull,
}

/// The most fields we are willing to reset one by one before giving up on a settings object.
const MAX_BAD_FIELDS: usize = 32;

impl Settings {
    /// Reads settings from the JSON the client sent, falling back to defaults field by field.
    /// Returns the settings and one message per key that was ignored for having a bad value.
    pub fn from_json(value: &Value) -> (Self, Vec<String>) {
        let mut value = match value {
            // `[]`: an empty Lua table, as Neovim encodes `settings = { docksmith = {} }`.
            Value::Null => return (Self::default(), Vec::new()),
            Value::Array(a) if a.is_empty() => return (Self::default(), Vec::new()),
            Value::Object(_) => value.clone(),
            other => {
                return (
                    Self::default(),
                    vec![format!("settings must be an object, got {other}")],
                );
            }
        };
        let mut problems = Vec::new();
        for _ in 0..=MAX_BAD_FIELDS {
            match serde_path_to_error::deserialize::<_, Self>(&value) {
                Ok(settings) => return (settings, problems),
                Err(err) => {
                    let path = err.path().to_string();
                    problems.push(format!("ignoring setting `{path}`: {}", err.inner()));
                    if !remove_path(&mut value, err.path()) {
                        break;
                    }
                }
            }
        }
        problems.push("too many invalid settings; using the defaults".to_owned());
        (Self::default(), problems)
    }

    /// Finds our section in what a client sent: `{"docksmith": {...}}` (the usual shape of
    /// `didChangeConfiguration` and of `initializationOptions`), or the section itself.
    pub fn section(value: &Value) -> &Value {
        value.get("docksmith").unwrap_or(value)
    }
}

/// `over` laid over `base`, recursively for objects: what the client sends later
/// (`workspace/configuration`, `didChangeConfiguration`) refines `initializationOptions`
/// rather than erasing them. A null (or empty `[]`, Lua's empty table) `over` keeps `base`.
pub fn merge(base: &Value, over: &Value) -> Value {
    match (base, over) {
        (_, Value::Null) => base.clone(),
        (_, Value::Array(a)) if a.is_empty() => base.clone(),
        (Value::Object(b), Value::Object(o)) => {
            let mut out = b.clone();
            for (k, v) in o {
                let merged = match b.get(k) {
                    Some(bv) => merge(bv, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        _ => over.clone(),
    }
}

/// Removes the value at `path` (as serde_path_to_error reports it) so that its default applies.
fn remove_path(value: &mut Value, path: &serde_path_to_error::Path) -> bool {
    use serde_path_to_error::Segment;
    let segments: Vec<&Segment> = path.iter().collect();
    let Some((last, parents)) = segments.split_last() else {
        return false;
    };
    let mut cur = value;
    for seg in parents {
        let next = match seg {
            Segment::Map { key } => cur.get_mut(key.as_str()),
            Segment::Seq { index } => cur.get_mut(*index),
            _ => None,
        };
        match next {
            Some(v) => cur = v,
            None => return false,
        }
    }
    match (last, cur) {
        (Segment::Map { key }, Value::Object(map)) => map.remove(key.as_str()).is_some(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults() {
        let s = Settings::default();
        assert_eq!(s.log_level, None);
        assert!(s.diagnostics.enable);
        assert_eq!(s.diagnostics.mode, DiagnosticsMode::Auto);
        assert_eq!(Settings::from_json(&json!({})), (s.clone(), vec![]));
        assert_eq!(Settings::from_json(&Value::Null), (s.clone(), vec![]));
        assert_eq!(Settings::from_json(&json!([])), (s, vec![]));
    }

    /// (JSON, expected settings as JSON-ish checks, number of problems)
    #[test]
    fn lenient_reading() {
        let cases = [
            (
                json!({"logLevel": "debug"}),
                Some("debug"),
                true,
                DiagnosticsMode::Auto,
                0,
            ),
            (
                json!({"diagnostics": {"enable": false}}),
                None,
                false,
                DiagnosticsMode::Auto,
                0,
            ),
            (
                json!({"diagnostics": {"mode": "push"}}),
                None,
                true,
                DiagnosticsMode::Push,
                0,
            ),
            (
                json!({"unknown": 1, "diagnostics": {"other": []}}),
                None,
                true,
                DiagnosticsMode::Auto,
                0,
            ),
            // a bad value loses only itself
            (
                json!({"logLevel": "info", "diagnostics": {"enable": "no", "mode": "pull"}}),
                Some("info"),
                true,
                DiagnosticsMode::Pull,
                1,
            ),
            (
                json!({"logLevel": 3, "diagnostics": {"mode": "sideways"}}),
                None,
                true,
                DiagnosticsMode::Auto,
                2,
            ),
            (
                json!({"diagnostics": 7}),
                None,
                true,
                DiagnosticsMode::Auto,
                1,
            ),
            (json!([1, 2]), None, true, DiagnosticsMode::Auto, 1),
            (json!("x"), None, true, DiagnosticsMode::Auto, 1),
        ];
        for (value, log, enable, mode, problems) in cases {
            let (s, p) = Settings::from_json(&value);
            assert_eq!(s.log_level.as_deref(), log, "{value}");
            assert_eq!(s.diagnostics.enable, enable, "{value}");
            assert_eq!(s.diagnostics.mode, mode, "{value}");
            assert_eq!(p.len(), problems, "{value}: {p:?}");
        }
    }

    #[test]
    fn later_settings_refine_initialization_options() {
        let init = json!({"logLevel": "info", "diagnostics": {"enable": false, "mode": "push"}});
        let cases = [
            (json!(null), init.clone()),
            (json!([]), init.clone()),
            (
                json!({"diagnostics": {"enable": true}}),
                json!({"logLevel": "info", "diagnostics": {"enable": true, "mode": "push"}}),
            ),
            (
                json!({"logLevel": null}),
                json!({"logLevel": "info", "diagnostics": {"enable": false, "mode": "push"}}),
            ),
            (
                json!({"diagnostics": 3}),
                json!({"logLevel": "info", "diagnostics": 3}),
            ),
        ];
        for (over, want) in cases {
            assert_eq!(merge(&init, &over), want, "{over}");
        }
    }

    #[test]
    fn section_lookup() {
        let wrapped = json!({"docksmith": {"logLevel": "info"}});
        assert_eq!(Settings::section(&wrapped), &json!({"logLevel": "info"}));
        let bare = json!({"logLevel": "info"});
        assert_eq!(Settings::section(&bare), &bare);
    }
}
