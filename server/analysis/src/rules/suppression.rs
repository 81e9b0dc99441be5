//! `InvalidSuppression`: a suppression names a rule that does not exist, or a
//! `# check=` directive has a malformed option. Its diagnostics are produced while
//! reading suppressions ([`crate::suppress`]); the check itself has nothing to do.

use super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "InvalidSuppression",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::Suppression,
        summary: "A suppression names a rule that does not exist, or a check directive is malformed",
        why: "A misspelt rule name in `# check=skip=`, `# hadolint ignore=` or `# docksmith ignore=` silently suppresses nothing. Hadolint and ShellCheck codes (`DL3008`, `SC2086`) in hadolint comments are accepted even when Docksmith has no such rule, since they mean something to hadolint.",
        bad: "# check=skip=StageNameCasng\nFROM alpine AS Build\n",
        good: "# check=skip=StageNameCasing\nFROM alpine AS Build\n",
        fix: Some(Safety::Safe),
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Stages,
};

fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Diagnostic>) {}

#[cfg(test)]
mod tests {
    use crate::diagnostics::{Options, check_text};

    #[test]
    fn reports_unknown_names_with_a_fix() {
        let text = "# check=skip=StageNameCasng\nFROM alpine AS Build\n# docksmith ignore=Nope\nRUN x\n# hadolint ignore=DL3008,SC2086,Nope2\nRUN y\n";
        let d = check_text(text, &Options::default());
        let msgs: Vec<_> = d
            .iter()
            .filter(|d| d.rule == "InvalidSuppression")
            .map(|d| (&text[d.range.as_usize()], d.message.as_str()))
            .collect();
        assert_eq!(
            msgs,
            [
                (
                    "StageNameCasng",
                    "Unknown rule 'StageNameCasng' (did you mean StageNameCasing?)"
                ),
                ("Nope", "Unknown rule 'Nope'"),
                ("Nope2", "Unknown rule 'Nope2'"),
            ]
        );
        // The misspelt skip does not skip.
        assert!(d.iter().any(|d| d.rule == "StageNameCasing"));
    }
}
