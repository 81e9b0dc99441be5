//! Typed views over instructions (filled in below).
