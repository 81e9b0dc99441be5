//! Byte ranges.

use std::fmt;

/// A half-open byte range `[start, end)`.
///
/// Inside a [`Node`](crate::Node) ranges are relative to the node's start; the
/// accessors of [`Dockerfile`](crate::Dockerfile) turn them into absolute ranges
/// with [`TextRange::offset`].
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub const fn new(start: u32, end: u32) -> Self {
        Self { start, end }
    }

    pub const fn empty(at: u32) -> Self {
        Self { start: at, end: at }
    }

    pub const fn len(self) -> u32 {
        self.end.saturating_sub(self.start)
    }

    pub const fn is_empty(self) -> bool {
        self.end <= self.start
    }

    /// Shift by `base` (relative -> absolute).
    #[must_use]
    pub const fn offset(self, base: u32) -> Self {
        Self {
            start: self.start + base,
            end: self.end + base,
        }
    }

    /// Whether `offset` lies inside the range; the end is included, so that a cursor
    /// just after a word still "touches" it.
    pub const fn touches(self, offset: u32) -> bool {
        self.start <= offset && offset <= self.end
    }

    /// Whether `offset` lies inside the range, end excluded.
    pub const fn contains(self, offset: u32) -> bool {
        self.start <= offset && offset < self.end
    }

    /// Whether `other` lies completely inside `self`.
    pub const fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The smallest range covering both.
    #[must_use]
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn as_usize(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl fmt::Display for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// Convert a `usize` offset to `u32`. Inputs are limited to [`crate::MAX_LEN`]
/// bytes, so this never saturates for a text we parsed.
#[inline]
pub(crate) fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The length of the white space `s` starts with (Unicode white space, as
/// `str::trim_start`), without decoding ASCII.
#[inline]
pub(crate) fn lead_ws(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => i += 1,
            c if c < 0x80 => return i,
            _ => return i + (s[i..].len() - s[i..].trim_start().len()),
        }
    }
    i
}

/// The length of `s` without the white space it ends with (as `str::trim_end`).
#[inline]
pub(crate) fn trim_end_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = b.len();
    while i > 0 {
        match b[i - 1] {
            b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => i -= 1,
            c if c < 0x80 => return i,
            _ => return s[..i].trim_end().len(),
        }
    }
    0
}

/// The offset of the first `c` (an ASCII byte) in `s`.
#[inline]
pub(crate) fn find_byte(s: &str, c: u8) -> Option<usize> {
    memchr::memchr(c, s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_as_std() {
        for s in [
            "",
            " ",
            "a",
            " a ",
            "\t\u{b}\u{c}\r\n a b \r\n",
            "\u{a0}a\u{a0}",
            " \u{2003} x \u{85} ",
            "\u{a0}",
            "é",
            " é ",
            "\u{2003} \u{2003}",
        ] {
            assert_eq!(lead_ws(s), s.len() - s.trim_start().len(), "{s:?}");
            assert_eq!(trim_end_len(s), s.trim_end().len(), "{s:?}");
        }
    }
}
