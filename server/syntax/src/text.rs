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

/// ASCII white space (`char::is_whitespace` on ASCII): 1; other ASCII: 0; non-ASCII: 2.
static SPACE: [u8; 256] = {
    let mut t = [2u8; 256];
    let mut c = 0;
    while c < 0x80 {
        t[c] = matches!(c as u8, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') as u8;
        c += 1;
    }
    t
};

/// The length of the white space `s` starts with (Unicode white space, as
/// `str::trim_start`), without decoding ASCII.
#[inline]
pub(crate) fn lead_ws(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match SPACE[usize::from(b[i])] {
            1 => i += 1,
            0 => return i,
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
    find_in(s.as_bytes(), c)
}

/// The offset of the first `c` in `b`. Most haystacks here are short (a line, a word),
/// where `memchr`'s set-up costs more than the search: the first 64 bytes are searched
/// eight at a time in a `u64`, the rest with `memchr`.
#[inline]
pub(crate) fn find_in(b: &[u8], c: u8) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    // The first byte equal to `c` in the eight at `at`: the lowest byte of `x` that is
    // zero has its high bit set here (bytes above a zero byte can be flagged too, those
    // below it cannot).
    let in_word = |at: usize| {
        let mut word = [0u8; 8];
        word.copy_from_slice(&b[at..at + 8]);
        let x = u64::from_le_bytes(word) ^ (LO * u64::from(c));
        let zero = x.wrapping_sub(LO) & !x & HI;
        (zero != 0).then(|| at + (zero.trailing_zeros() / 8) as usize)
    };
    if b.len() < 8 {
        return b.iter().position(|&x| x == c);
    }
    let mut i = 0;
    while i + 8 <= b.len() {
        if i == 64 {
            return memchr::memchr(c, &b[i..]).map(|j| i + j);
        }
        if let Some(at) = in_word(i) {
            return Some(at);
        }
        i += 8;
    }
    // The last eight bytes (overlapping those searched: none of them matched, so the
    // first match here is after them).
    if i < b.len() {
        return in_word(b.len() - 8);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_bytes_as_memchr() {
        let mut text = String::new();
        for i in 0..200u32 {
            text.push(char::from(b'a' + (i * 7 % 26) as u8));
            if i % 37 == 0 {
                text.push_str("\n\u{e9}\u{1f600}");
            }
        }
        let b = text.as_bytes();
        for start in 0..b.len() {
            for c in [b'\n', b'a', b'z', b'=', 0x80, 0xff, 0x00] {
                assert_eq!(
                    find_in(&b[start..], c),
                    memchr::memchr(c, &b[start..]),
                    "{start} {c}"
                );
            }
        }
    }

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
