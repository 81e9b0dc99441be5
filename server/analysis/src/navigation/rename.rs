//! Rename stages, variables and heredoc delimiters.
//!
//! A rename rewrites every place the symbol is written and nothing else, and is
//! refused (with a message saying why and where) when it cannot be done safely: the
//! new name is invalid, already taken, would capture an image of the same name, or
//! the symbol is also reached in a way a text edit cannot follow (a variable holding
//! a stage name). Numeric references (`--from=0`) stay as they are: they still point
//! at the same stage.

use docksmith_syntax::{Dockerfile, TextRange};

use super::{Symbol, is_predefined, occurrences, slice, symbol_at};
use crate::semantics::{Base, DepTarget, Model};

/// Why a rename cannot be done; the message is for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameError {
    pub message: String,
}

impl RenameError {
    fn new(message: impl Into<String>) -> Self {
        RenameError {
            message: message.into(),
        }
    }
}

impl std::fmt::Display for RenameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RenameError {}

/// One replacement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

/// The name under the cursor and its range, when it can be renamed.
pub fn prepare_rename(
    df: &Dockerfile,
    m: &Model,
    offset: u32,
) -> Result<(TextRange, String), RenameError> {
    let Some((sym, at)) = symbol_at(df, m, offset) else {
        return Err(RenameError::new(
            "there is no stage name, variable or heredoc delimiter here to rename",
        ));
    };
    match sym {
        Symbol::Stage(s) => {
            let Some(stage) = m.stages.get(s) else {
                return Err(RenameError::new("unknown stage"));
            };
            let Some(name) = &stage.name else {
                return Err(RenameError::new(format!(
                    "stage {s} has no name; add `AS <name>` to its FROM (line {}) to rename it",
                    m.line_of(df, stage.from_range.start)
                )));
            };
            let by_index = m
                .stage_refs
                .iter()
                .any(|r| r.range.touches(offset) && r.by_index);
            if by_index {
                return Err(RenameError::new(format!(
                    "`{}` refers to stage {s} by its index; rename the stage at its `AS {}` (line {})",
                    slice(df, at),
                    name.text,
                    m.line_of(df, name.range.start)
                )));
            }
            Ok((at, slice(df, at).to_string()))
        }
        Symbol::Var(root) => {
            if is_predefined(m, root) {
                return Err(RenameError::new(format!(
                    "{} is predefined by BuildKit; it cannot be renamed",
                    m.decls[root].name
                )));
            }
            Ok((at, slice(df, at).to_string()))
        }
        Symbol::Heredoc { .. } => Ok((at, slice(df, at).to_string())),
    }
}

/// BuildKit's rule for stage names: after lowercasing, `^[a-z][a-z0-9-_.]*$`.
pub fn is_valid_stage_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let mut chars = lower.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

/// A shell/BuildKit variable name: `[A-Za-z_][A-Za-z0-9_]*`.
pub fn is_valid_var_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The edits that rename the symbol at `offset` to `new_name`.
pub fn rename(
    df: &Dockerfile,
    m: &Model,
    offset: u32,
    new_name: &str,
) -> Result<Vec<TextEdit>, RenameError> {
    prepare_rename(df, m, offset)?;
    let Some((sym, _)) = symbol_at(df, m, offset) else {
        return Err(RenameError::new("nothing to rename here"));
    };
    match sym {
        Symbol::Stage(s) => check_stage_name(df, m, s, new_name)?,
        Symbol::Var(root) => check_var_name(df, m, root, new_name)?,
        Symbol::Heredoc { .. } => {
            if !is_valid_var_name(new_name) {
                return Err(RenameError::new(format!(
                    "invalid heredoc delimiter {new_name:?}: use letters, digits and `_`, not starting with a digit"
                )));
            }
        }
    }
    let occ = occurrences(df, m, sym);
    let mut edits = Vec::new();
    for o in &occ {
        if o.literal {
            edits.push(TextEdit {
                range: o.range,
                new_text: new_name.to_string(),
            });
            continue;
        }
        let numeric = {
            let t = slice(df, o.range);
            !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
        };
        if numeric {
            continue;
        }
        return Err(RenameError::new(format!(
            "`{}` at line {} also refers to this {}, and a rename cannot update it; change it by hand first",
            slice(df, o.range),
            m.line_of(df, o.range.start),
            match sym {
                Symbol::Stage(_) => "stage",
                Symbol::Var(_) => "variable",
                Symbol::Heredoc { .. } => "heredoc",
            }
        )));
    }
    Ok(edits)
}

fn check_stage_name(df: &Dockerfile, m: &Model, s: usize, new: &str) -> Result<(), RenameError> {
    if !is_valid_stage_name(new) {
        return Err(RenameError::new(format!(
            "invalid name for build stage: {new:?}, name can't start with a number or contain symbols (BuildKit accepts [a-z][a-z0-9-_.]*, compared in lower case)"
        )));
    }
    if new.eq_ignore_ascii_case("scratch") {
        return Err(RenameError::new(
            "`scratch` is reserved: `FROM scratch` means the empty image",
        ));
    }
    if let Some(other) = m.stages.iter().find(|st| {
        st.index != s
            && st
                .name
                .as_ref()
                .is_some_and(|n| n.text.eq_ignore_ascii_case(new))
    }) {
        let line = m.line_of(df, other.from_range.start);
        return Err(RenameError::new(format!(
            "a stage named {:?} already exists (stage {}, line {line}); stage names are compared without case",
            other.name.as_ref().map_or("", |n| n.text.as_str()),
            other.index
        )));
    }
    // An image of that name, written after the stage, would become this stage.
    let Some(this) = m.stages.get(s) else {
        return Ok(());
    };
    for st in &m.stages {
        if st.index > s
            && matches!(st.base, Base::Image)
            && let Some((w, r)) = &st.image_word
            && w.eq_ignore_ascii_case(new)
        {
            return Err(RenameError::new(format!(
                "`FROM {w}` at line {} pulls the image {w:?}; naming stage {} {new:?} would make it use the stage instead",
                m.line_of(df, r.start),
                this.display_name()
            )));
        }
        for d in &st.deps {
            if let DepTarget::Image(img) = &d.target
                && img.eq_ignore_ascii_case(new)
            {
                return Err(RenameError::new(format!(
                    "`--from={}` at line {} uses the image {img:?}; naming stage {} {new:?} would make it use the stage instead",
                    d.text,
                    m.line_of(df, d.range.start),
                    this.display_name()
                )));
            }
        }
    }
    Ok(())
}

fn check_var_name(df: &Dockerfile, m: &Model, root: usize, new: &str) -> Result<(), RenameError> {
    if !is_valid_var_name(new) {
        return Err(RenameError::new(format!(
            "invalid variable name {new:?}: use letters, digits and `_`, not starting with a digit"
        )));
    }
    let old = m.decls.get(root).map_or("", |d| d.name.as_str());
    if new == old {
        return Ok(());
    }
    if let Some(d) = m.decls.iter().find(|d| d.name == new) {
        return Err(match d.name_range {
            None => RenameError::new(format!(
                "{new} is predefined by BuildKit; renaming {old} to it would change what it means"
            )),
            Some(r) => RenameError::new(format!(
                "a variable named {new} is already declared at line {}",
                m.line_of(df, r.start)
            )),
        });
    }
    if let Some(u) = m.uses.iter().find(|u| u.name == new) {
        return Err(RenameError::new(format!(
            "${new} is already used at line {}; renaming {old} to {new} would change what it means",
            m.line_of(df, u.range.start)
        )));
    }
    Ok(())
}
