//! BuildKit's build checks (`docker build --check`), under BuildKit's own names and
//! with its messages, so that `# check=skip=<Name>` means the same to BuildKit and to
//! Docksmith. Each links to BuildKit's rule page.

pub mod consistent_instruction_casing;
pub mod duplicate_stage_name;
pub mod from_as_casing;
pub mod json_args_recommended;
pub mod maintainer_deprecated;
pub mod no_empty_continuation;
pub mod reserved_stage_name;
pub mod stage_name_casing;

/// BuildKit's page for a rule.
macro_rules! url {
    ($kebab:literal) => {
        Some(concat!(
            "https://docs.docker.com/go/dockerfile/rule/",
            $kebab,
            "/"
        ))
    };
}
pub(crate) use url;
