//! Files beside a Dockerfile that change how it is checked: the rules configuration
//! (`.docksmith.toml`, else `.hadolint.yaml`/`.hadolint.yml`, searched from the
//! Dockerfile's directory upward) and its `.dockerignore`. Shared by `docksmith check` and
//! the language server.

use std::path::Path;

use docksmith_analysis::config::Config;

/// The configuration file that applies to files in `dir`, and the errors found in it
/// (each prefixed with the file's path). `.hadolint.yaml` is read only when no
/// `.docksmith.toml` exists from `dir` upward.
pub fn rules_config(dir: &Path) -> (Config, Vec<String>) {
    let found = dir.ancestors().find_map(|d| {
        let p = d.join(".docksmith.toml");
        std::fs::read_to_string(&p).ok().map(|t| (p, t))
    });
    let found = found.or_else(|| {
        dir.ancestors().find_map(|d| {
            [".hadolint.yaml", ".hadolint.yml"].iter().find_map(|n| {
                let p = d.join(n);
                std::fs::read_to_string(&p).ok().map(|t| (p, t))
            })
        })
    });
    match found {
        Some((path, text)) => load_config(&path, &text),
        None => (Config::default(), Vec::new()),
    }
}

/// Read a configuration file's text (TOML or hadolint's YAML, by its extension).
pub fn load_config(path: &Path, text: &str) -> (Config, Vec<String>) {
    let (config, errors) = if path.extension().is_some_and(|e| e == "toml") {
        Config::from_toml(text)
    } else {
        Config::from_hadolint_yaml(text)
    };
    let messages = errors
        .iter()
        .map(|e| format!("{}: {e}", path.display()))
        .collect();
    (config, messages)
}

/// The `.dockerignore` of a Dockerfile: `<name>.dockerignore` beside it, else
/// `.dockerignore` in its directory.
pub fn dockerignore_for(dockerfile: &Path) -> Option<String> {
    let dir = dockerfile.parent()?;
    let name = dockerfile.file_name()?.to_string_lossy();
    std::fs::read_to_string(dir.join(format!("{name}.dockerignore")))
        .or_else(|_| std::fs::read_to_string(dir.join(".dockerignore")))
        .ok()
}
