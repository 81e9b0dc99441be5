//! Syntax and validity rules: the file is not what BuildKit accepts, or the build
//! fails on an instruction.

pub mod argument_count;
pub mod copy_destination;
pub mod flags;
pub mod instruction_before_from;
pub mod invalid_flag_value;
pub mod invalid_image_reference;
pub mod invalid_key_value;
pub mod invalid_port;
pub mod invalid_signal;
pub mod invalid_stage_name;
pub mod invalid_stage_reference;
pub mod json_single_quotes;
pub mod onbuild_trigger;
pub mod parse_error;
pub mod shell_json_form;
pub mod unknown_flag;
pub mod unknown_instruction;
pub mod unsupported_modifier;
