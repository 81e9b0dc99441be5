//! Syntax and validity rules: the file is not what BuildKit accepts, or the build
//! fails on an instruction.

pub mod invalid_image_reference;
pub mod parse_error;
pub mod unknown_instruction;
