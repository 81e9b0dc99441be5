//! Conversion between byte offsets (what the syntax and analysis layers speak) and LSP
//! positions (line + column in the negotiated encoding), over a [`Rope`].
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, exactly as LSP says; U+2028, U+2029, NEL, VT and FF
//! are ordinary characters (ropey is built without `unicode_lines`). Every conversion clamps:
//! a line past the end means the end of the document, a column past the end of a line means
//! the end of that line's content (before its line break), a UTF-8 column inside a multi-byte
//! character or a UTF-16 column between the two halves of a surrogate pair means the start of
//! that character. Nothing here panics on any input.

use docksmith_syntax::TextRange;
use ropey::{Rope, RopeSlice};
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

/// The position encoding negotiated with the client.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PositionEncoding {
    /// Columns count UTF-8 code units (bytes).
    Utf8,
    /// Columns count UTF-16 code units (the LSP default).
    #[default]
    Utf16,
}

impl PositionEncoding {
    /// Picks UTF-8 when the client offers it, else UTF-16 (which every client must support).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Self::Utf8,
            _ => Self::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Self::Utf8 => PositionEncodingKind::UTF8,
            Self::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// A point in the text both as a byte offset and as a char (Unicode scalar) index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Offset {
    pub byte: usize,
    pub char: usize,
}

/// Length in chars of the line break at the end of `line` (0, 1 or 2).
fn line_break_len(line: RopeSlice<'_>) -> usize {
    let n = line.len_chars();
    if n == 0 {
        return 0;
    }
    match line.char(n - 1) {
        '\n' if n >= 2 && line.char(n - 2) == '\r' => 2,
        '\n' | '\r' => 1,
        _ => 0,
    }
}

/// The line's content, without its line break.
fn line_content(rope: &Rope, line: usize) -> RopeSlice<'_> {
    let slice = rope.line(line);
    let end = slice.len_chars() - line_break_len(slice);
    slice.slice(..end)
}

/// Converts an LSP position to an offset in `rope`, clamping as described in the module docs.
pub fn position_to_offset(rope: &Rope, pos: Position, enc: PositionEncoding) -> Offset {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return Offset {
            byte: rope.len_bytes(),
            char: rope.len_chars(),
        };
    }
    let line_start_char = rope.line_to_char(line);
    let content = line_content(rope, line);
    let col = pos.character as usize;
    let char_in_line = match enc {
        PositionEncoding::Utf8 => content.byte_to_char(col.min(content.len_bytes())),
        PositionEncoding::Utf16 => content.utf16_cu_to_char(col.min(content.len_utf16_cu())),
    };
    let char = line_start_char + char_in_line;
    Offset {
        byte: rope.char_to_byte(char),
        char,
    }
}

/// Converts a byte offset to an LSP position. The offset is clamped to the text and moved back
/// to the start of the character it falls in; an offset inside a line break (between `\r` and
/// `\n`) is reported at the end of the line's content.
pub fn offset_to_position(rope: &Rope, byte: usize, enc: PositionEncoding) -> Position {
    let byte = byte.min(rope.len_bytes());
    let char = rope.byte_to_char(byte);
    let line = rope.char_to_line(char);
    let line_start_char = rope.line_to_char(line);
    let content_chars = line_content(rope, line).len_chars();
    let char = char.min(line_start_char + content_chars);
    let col = match enc {
        PositionEncoding::Utf8 => rope.char_to_byte(char) - rope.line_to_byte(line),
        PositionEncoding::Utf16 => {
            rope.char_to_utf16_cu(char) - rope.char_to_utf16_cu(line_start_char)
        }
    };
    Position {
        line: saturate(line),
        character: saturate(col),
    }
}

/// Converts a byte range (as the syntax and analysis layers report it) to an LSP range.
pub fn range_to_lsp(rope: &Rope, range: TextRange, enc: PositionEncoding) -> Range {
    let (start, end) = (range.start.min(range.end), range.start.max(range.end));
    Range {
        start: offset_to_position(rope, start as usize, enc),
        end: offset_to_position(rope, end as usize, enc),
    }
}

/// Converts an LSP range to a pair of offsets, clamped, with `start <= end`.
pub fn lsp_to_offsets(rope: &Rope, range: Range, enc: PositionEncoding) -> (Offset, Offset) {
    let a = position_to_offset(rope, range.start, enc);
    let b = position_to_offset(rope, range.end, enc);
    if a.char <= b.char { (a, b) } else { (b, a) }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use PositionEncoding::{Utf8, Utf16};

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    /// (text, encoding, position asked, byte offset expected)
    const TO_OFFSET: &[(&str, PositionEncoding, (u32, u32), usize)] = &[
        // empty document
        ("", Utf16, (0, 0), 0),
        ("", Utf16, (0, 5), 0),
        ("", Utf8, (3, 0), 0),
        // plain ASCII, end of file without newline
        ("FROM a", Utf16, (0, 4), 4),
        ("FROM a", Utf16, (0, 6), 6),
        ("FROM a", Utf16, (0, 99), 6),
        ("FROM a", Utf16, (1, 0), 6),
        ("FROM a\n", Utf16, (1, 0), 7),
        ("FROM a\n", Utf16, (1, 9), 7),
        ("FROM a\n", Utf16, (2, 0), 7),
        // column past the end of a line stops before its line break (LF, CRLF, lone CR)
        ("ab\ncd", Utf16, (0, 9), 2),
        ("ab\r\ncd", Utf16, (0, 9), 2),
        ("ab\r\ncd", Utf16, (1, 1), 5),
        ("ab\rcd", Utf16, (0, 9), 2),
        ("ab\rcd", Utf16, (1, 0), 3),
        ("ab\rcd", Utf8, (1, 2), 5),
        ("a\r\r\nb", Utf16, (1, 0), 2),
        ("a\r\r\nb", Utf16, (2, 0), 4),
        // astral character: 4 UTF-8 bytes, 2 UTF-16 units
        ("a😀b", Utf16, (0, 1), 1),
        ("a😀b", Utf16, (0, 2), 1), // between the surrogates: start of the emoji
        ("a😀b", Utf16, (0, 3), 5),
        ("a😀b", Utf16, (0, 4), 6),
        ("a😀b", Utf8, (0, 1), 1),
        ("a😀b", Utf8, (0, 3), 1), // inside the emoji's bytes: its start
        ("a😀b", Utf8, (0, 5), 5),
        ("a😀b", Utf8, (0, 6), 6),
        // two-byte and three-byte characters
        ("é€x", Utf16, (0, 2), 5),
        ("é€x", Utf8, (0, 5), 5),
        ("é€x", Utf8, (0, 4), 2),
        // U+2028, U+2029 and NEL do not end lines
        ("a\u{2028}b\nc", Utf16, (0, 2), 4),
        ("a\u{2028}b\nc", Utf16, (1, 0), 6),
        ("a\u{2029}b", Utf16, (0, 3), 5),
        ("a\u{85}b\nc", Utf16, (0, 2), 3),
        ("a\u{85}b\nc", Utf8, (0, 3), 3),
        ("a\u{85}b\nc", Utf16, (1, 0), 5),
        // vertical tab and form feed do not end lines either
        ("a\u{b}\u{c}b\nc", Utf16, (1, 0), 5),
        // huge numbers clamp
        ("a\nb", Utf16, (u32::MAX, u32::MAX), 3),
        ("a\nb", Utf8, (0, u32::MAX), 1),
    ];

    #[test]
    fn position_to_offset_table() {
        for &(text, enc, (line, col), want) in TO_OFFSET {
            let rope = Rope::from_str(text);
            let got = position_to_offset(&rope, pos(line, col), enc);
            assert_eq!(got.byte, want, "{text:?} {enc:?} {line}:{col}");
            assert_eq!(
                got.char,
                rope.byte_to_char(want),
                "{text:?} {enc:?} {line}:{col} (char)"
            );
        }
    }

    /// (text, encoding, byte offset, position expected)
    const TO_POSITION: &[(&str, PositionEncoding, usize, (u32, u32))] = &[
        ("", Utf16, 0, (0, 0)),
        ("", Utf16, 10, (0, 0)),
        ("FROM a", Utf16, 6, (0, 6)),
        ("FROM a", Utf16, 600, (0, 6)),
        ("FROM a\n", Utf16, 7, (1, 0)),
        ("ab\ncd", Utf16, 3, (1, 0)),
        ("ab\ncd", Utf16, 2, (0, 2)),
        ("ab\r\ncd", Utf16, 3, (0, 2)), // between CR and LF: end of the line's content
        ("ab\r\ncd", Utf16, 4, (1, 0)),
        ("ab\rcd", Utf16, 3, (1, 0)),
        ("ab\rcd", Utf16, 5, (1, 2)),
        ("a😀b", Utf16, 1, (0, 1)),
        ("a😀b", Utf16, 3, (0, 1)), // inside the emoji: its start
        ("a😀b", Utf16, 5, (0, 3)),
        ("a😀b", Utf16, 6, (0, 4)),
        ("a😀b", Utf8, 5, (0, 5)),
        ("a😀b", Utf8, 2, (0, 1)),
        ("😀\n😀x", Utf16, 9, (1, 2)),
        ("😀\n😀x", Utf8, 9, (1, 4)),
        ("a\u{2028}b\nc", Utf16, 4, (0, 2)),
        ("a\u{2028}b\nc", Utf8, 4, (0, 4)),
        ("a\u{2028}b\nc", Utf16, 6, (1, 0)),
        ("a\u{85}b\nc", Utf16, 3, (0, 2)),
        ("x\r\n\r\ny", Utf16, 5, (2, 0)),
    ];

    #[test]
    fn offset_to_position_table() {
        for &(text, enc, byte, (line, col)) in TO_POSITION {
            let rope = Rope::from_str(text);
            let got = offset_to_position(&rope, byte, enc);
            assert_eq!(got, pos(line, col), "{text:?} {enc:?} byte {byte}");
        }
    }

    /// Every character boundary survives offset -> position -> offset in both encodings.
    #[test]
    fn round_trip_on_every_char_boundary() {
        let texts = [
            "FROM a😀b AS x\r\nRUN é€ \u{2028} \u{85}\rCMD [\"😀\"]\n\n",
            "\u{feff}ENV a=\u{10ffff}\r",
            "\r\n\r\n",
        ];
        for text in texts {
            let rope = Rope::from_str(text);
            for enc in [Utf8, Utf16] {
                for (byte, ch) in text.char_indices() {
                    if ch == '\n' && text[..byte].ends_with('\r') {
                        continue; // inside a CRLF: not a position LSP can name
                    }
                    let p = offset_to_position(&rope, byte, enc);
                    assert_eq!(
                        position_to_offset(&rope, p, enc).byte,
                        byte,
                        "{text:?} {enc:?} {byte}"
                    );
                }
                let end = offset_to_position(&rope, text.len(), enc);
                assert_eq!(position_to_offset(&rope, end, enc).byte, text.len());
            }
        }
    }

    #[test]
    fn ranges_are_ordered_and_clamped() {
        let rope = Rope::from_str("ab\ncd");
        let r = Range {
            start: pos(1, 1),
            end: pos(0, 1),
        };
        let (a, b) = lsp_to_offsets(&rope, r, Utf16);
        assert_eq!((a.byte, b.byte), (1, 4));
        let lsp = range_to_lsp(&rope, TextRange::new(4, 1), Utf16);
        assert_eq!(
            lsp,
            Range {
                start: pos(0, 1),
                end: pos(1, 1)
            }
        );
        let lsp = range_to_lsp(&rope, TextRange::new(2, u32::MAX), Utf8);
        assert_eq!(
            lsp,
            Range {
                start: pos(0, 2),
                end: pos(1, 2)
            }
        );
    }

    #[test]
    fn negotiation_prefers_utf8() {
        let k = |s: &str| PositionEncodingKind::from(s.to_owned());
        assert_eq!(PositionEncoding::negotiate(None), Utf16);
        assert_eq!(PositionEncoding::negotiate(Some(&[])), Utf16);
        assert_eq!(
            PositionEncoding::negotiate(Some(&[k("utf-16"), k("utf-8")])),
            Utf8
        );
        assert_eq!(
            PositionEncoding::negotiate(Some(&[k("utf-32"), k("utf-16")])),
            Utf16
        );
        assert_eq!(PositionEncoding::negotiate(Some(&[k("utf-32")])), Utf16);
    }
}
