//! BuildKit's build checks (`docker build --check`), under BuildKit's own names and
//! with its messages, so that `# check=skip=<Name>` means the same to BuildKit and to
//! Docksmith. Each links to BuildKit's rule page.

pub mod consistent_instruction_casing;
pub mod copy_ignored_file;
pub mod duplicate_stage_name;
pub mod expose_invalid_format;
pub mod expose_proto_casing;
pub mod from_as_casing;
pub mod from_platform_flag_const_disallowed;
pub mod invalid_base_image_platform;
pub mod invalid_default_arg_in_from;
pub mod invalid_definition_description;
pub mod json_args_recommended;
pub mod legacy_key_value_format;
pub mod maintainer_deprecated;
pub mod multiple_instructions_disallowed;
pub mod no_empty_continuation;
pub mod redundant_target_platform;
pub mod reserved_stage_name;
pub mod secrets_used_in_arg_or_env;
pub mod stage_name_casing;
pub mod undefined_arg_in_from;
pub mod undefined_var;
pub mod workdir_relative_path;

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
