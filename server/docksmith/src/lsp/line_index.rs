//! Many byte offsets -> LSP positions at once, for whole-document answers (diagnostics,
//! outline, folding, code lenses). [`Lines`] holds where each line starts, found once per
//! change with `memchr` and kept with the document; each conversion is then a binary search
//! and, in UTF-16, a count over the prefix of one line. Lines break where the rope breaks
//! them (`\n`, `\r\n`, lone `\r`), so results equal [`super::position::offset_to_position`].

use docksmith_syntax::{Dockerfile, TextRange};
use tower_lsp_server::ls_types::{Position, Range};

use super::position::PositionEncoding;

/// Where each line starts and where its content (before the line break) ends, and whether
/// it is all ASCII (then a column is a byte difference in every encoding).
#[derive(Debug, Default)]
pub struct Lines {
    starts: Vec<u32>,
    content_ends: Vec<u32>,
    ascii: Vec<bool>,
    /// The text has a `\r` somewhere (then an edit can join or split line breaks).
    has_cr: bool,
}

impl Lines {
    pub fn new(df: &Dockerfile) -> Self {
        let cap = df.len() as usize / 32 + 1;
        let mut lines = Lines {
            starts: Vec::with_capacity(cap),
            content_ends: Vec::with_capacity(cap),
            ascii: Vec::with_capacity(cap),
            has_cr: false,
        };
        // Nodes hold whole lines, but nothing here depends on it: a line's ASCII-ness is
        // carried across node ends.
        let mut start = 0u32;
        let mut carried_ascii = true;
        for n in df.nodes() {
            let b = n.node.text().as_bytes();
            let mut line_start = 0usize;
            for i in memchr::memchr2_iter(b'\n', b'\r', b) {
                lines.has_cr |= b[i] == b'\r';
                if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                    continue; // the break ends at the '\n'
                }
                let content_end = if b[i] == b'\n' && i > 0 && b[i - 1] == b'\r' {
                    i - 1
                } else {
                    i
                };
                let ascii = carried_ascii && b[line_start..content_end.max(line_start)].is_ascii();
                lines.push(start, n.start + content_end as u32, ascii);
                carried_ascii = true;
                line_start = i + 1;
                start = n.start + line_start as u32;
            }
            carried_ascii &= b[line_start..].is_ascii();
        }
        // The last line (empty after a final line break).
        lines.push(start, df.len(), carried_ascii);
        lines
    }

    /// Follows an edit (the bytes `start..end` replaced by `new_text`): the lines it touches
    /// are replaced by the ones it makes, and the lines after it shift. Returns `false`,
    /// changing nothing, where a `\r` is involved (an edit can then join or split a `\r\n`)
    /// or the edit is out of bounds (then build anew).
    pub fn apply_edit(&mut self, start: u32, end: u32, new_text: &str) -> bool {
        let Some(&text_end) = self.content_ends.last() else {
            return false;
        };
        if self.has_cr || new_text.contains('\r') || end < start || end > text_end {
            return false;
        }
        let Ok(added) = u32::try_from(new_text.len()) else {
            return false;
        };
        let line_of = |offset: u32| {
            self.starts
                .partition_point(|&s| s <= offset)
                .saturating_sub(1)
        };
        let (first, last) = (line_of(start), line_of(end));
        let removed = end - start;
        let Some(tail) = self.content_ends[last].checked_sub(end) else {
            return false;
        };
        // The new lines: the first keeps its start, the last keeps what followed `end`.
        let mut starts = Vec::new();
        let mut content_ends = Vec::new();
        let mut ascii = Vec::new();
        let mut line_start = self.starts[first];
        // A line's prefix before the edit: ASCII if the line was (else not known: the flag
        // only allows a shortcut, so `false` is always safe).
        let mut line_ascii = self.ascii[first];
        let mut at = start;
        for (i, piece) in new_text.split('\n').enumerate() {
            if i > 0 {
                // The line ended by the line break before this piece.
                starts.push(line_start);
                content_ends.push(at - 1);
                ascii.push(line_ascii && self.ascii[last]);
                line_start = at;
                line_ascii = true;
            }
            line_ascii &= piece.is_ascii();
            at += piece.len() as u32 + 1;
        }
        // The last new line: the rest of `new_text`, then what followed `end` on its line.
        let last_piece_end = start + added;
        starts.push(line_start);
        content_ends.push(last_piece_end + tail);
        ascii.push(line_ascii && self.ascii[last]);
        let shift = |x: &mut u32| *x = (*x - removed).saturating_add(added);
        self.starts[last + 1..].iter_mut().for_each(shift);
        self.content_ends[last + 1..].iter_mut().for_each(shift);
        self.starts.splice(first..=last, starts);
        self.content_ends.splice(first..=last, content_ends);
        self.ascii.splice(first..=last, ascii);
        true
    }

    fn push(&mut self, start: u32, content_end: u32, ascii: bool) {
        self.starts.push(start);
        self.content_ends.push(content_end);
        self.ascii.push(ascii);
    }
}

/// [`Lines`] with the text and encoding they convert for.
pub struct LineIndex<'a> {
    df: &'a Dockerfile,
    lines: &'a Lines,
    enc: PositionEncoding,
}

impl<'a> LineIndex<'a> {
    pub fn with(df: &'a Dockerfile, lines: &'a Lines, enc: PositionEncoding) -> Self {
        LineIndex { df, lines, enc }
    }

    pub fn position(&self, offset: u32) -> Position {
        let offset = offset.min(self.df.len());
        let line = self.line(offset) as usize;
        let start = self.lines.starts[line];
        let col = if self.lines.ascii[line] {
            (offset.min(self.lines.content_ends[line]) - start) as usize
        } else {
            let prefix = self.text(start, offset);
            let prefix = prefix.strip_suffix('\r').unwrap_or(prefix);
            match self.enc {
                PositionEncoding::Utf8 => prefix.len(),
                PositionEncoding::Utf16 => prefix.encode_utf16().count(),
            }
        };
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            character: u32::try_from(col).unwrap_or(u32::MAX),
        }
    }

    /// The line of an offset (what [`LineIndex::position`] gives, without the column).
    pub fn line(&self, offset: u32) -> u32 {
        let offset = offset.min(self.df.len());
        let line = self
            .lines
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        u32::try_from(line).unwrap_or(u32::MAX)
    }

    pub fn range(&self, r: TextRange) -> Range {
        Range {
            start: self.position(r.start.min(r.end)),
            end: self.position(r.end.max(r.start)),
        }
    }

    /// The text from a line start to an offset on that line (one node holds a whole line),
    /// cut back to a character boundary.
    fn text(&self, start: u32, end: u32) -> &'a str {
        let Some(n) = self.df.node_index_at(start).and_then(|i| self.df.node(i)) else {
            return "";
        };
        let text = n.node.text();
        let a = (start - n.start) as usize;
        let mut b = ((end - n.start) as usize).min(text.len());
        while b > a && !text.is_char_boundary(b) {
            b -= 1;
        }
        text.get(a..b).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::position::offset_to_position;
    use ropey::Rope;

    #[test]
    fn same_as_the_rope() {
        for text in [
            "FROM a\nRUN é😀 x\r\nCMD 1\rX\n",
            "",
            "\n\n",
            "RUN a \\\n  b\r\n\r\nFROM 𝔘\u{2028}x",
            "FROM a\r\nRUN b\r\n",
            "FROM a\r",
            "\r\r\n\n\rRUN é\r",
            "# c\n\nRUN <<EOF\né\nEOF\nCMD x",
        ] {
            let df = Dockerfile::parse(text);
            let rope = Rope::from_str(text);
            for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
                let lines = Lines::new(&df);
                let idx = LineIndex::with(&df, &lines, enc);
                for off in 0..=text.len() as u32 + 2 {
                    // (every offset, char boundary or not)
                    assert_eq!(
                        idx.position(off),
                        offset_to_position(&rope, off as usize, enc),
                        "{text:?} at {off} ({enc:?})"
                    );
                    assert_eq!(idx.line(off), idx.position(off).line);
                }
            }
        }
    }

    #[test]
    fn same_as_the_rope_on_random_texts() {
        const PIECES: &[&str] = &[
            "\n", "\r", "\r\n", "FROM a", " ", "\\", "é", "😀", "RUN x", "<<EOF\n", "EOF", "#",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..400 {
            let len = next(30);
            let text: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            let df = Dockerfile::parse(&text);
            let rope = Rope::from_str(&text);
            let lines = Lines::new(&df);
            for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
                let idx = LineIndex::with(&df, &lines, enc);
                for off in 0..=text.len() as u32 + 1 {
                    assert_eq!(
                        idx.position(off),
                        offset_to_position(&rope, off as usize, enc),
                        "{text:?} at {off} ({enc:?})"
                    );
                }
            }
        }
    }

    #[test]
    fn edits_follow_the_text() {
        const PIECES: &[&str] = &[
            "\n",
            "FROM a",
            " ",
            "é",
            "😀",
            "RUN x",
            "\\\n",
            "<<EOF\nx\nEOF\n",
        ];
        const INSERTS: &[&str] = &["", "a", "é", "😀 ", "\n", "x\ny", "\r"];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        // Edits followed in place: inside a line, and adding or removing line breaks.
        let mut followed = [0usize; 2];
        for _ in 0..120 {
            let mut text: String = (0..next(20)).map(|_| PIECES[next(PIECES.len())]).collect();
            let mut lines = Lines::new(&Dockerfile::parse(&text));
            for _ in 0..10 {
                let bounds: Vec<usize> = (0..=text.len())
                    .filter(|&i| text.is_char_boundary(i))
                    .collect();
                let a = bounds[next(bounds.len())];
                let b = bounds[a.min(bounds.len() - 1)..]
                    .iter()
                    .copied()
                    .find(|&x| x >= a)
                    .unwrap_or(a);
                let b = if next(2) == 0 {
                    a
                } else {
                    bounds
                        .iter()
                        .copied()
                        .filter(|&x| x >= b)
                        .nth(next(3))
                        .unwrap_or(b)
                };
                let new = INSERTS[next(INSERTS.len())];
                let applied = lines.apply_edit(a as u32, b as u32, new);
                let across = new.contains('\n') || text[a..b].contains('\n');
                followed[usize::from(across)] += usize::from(applied);
                text.replace_range(a..b, new);
                let df = Dockerfile::parse(&text);
                if !applied {
                    lines = Lines::new(&df);
                }
                let rope = Rope::from_str(&text);
                for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
                    let idx = LineIndex::with(&df, &lines, enc);
                    for off in 0..=text.len() as u32 {
                        assert_eq!(
                            idx.position(off),
                            offset_to_position(&rope, off as usize, enc),
                            "{text:?} at {off} ({enc:?})"
                        );
                    }
                }
            }
        }
        assert!(followed[0] > 100 && followed[1] > 100, "{followed:?}");
    }
}
