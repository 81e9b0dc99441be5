//! Many byte offsets -> LSP positions at once, for whole-document answers (outline, folding,
//! code lenses). One pass over the text finds the line starts; each conversion is then a
//! binary search and a count over the prefix of one line. Lines break where the rope breaks
//! them (`\n`, `\r\n`, lone `\r`), so results equal [`super::position::offset_to_position`].

use docksmith_syntax::{Dockerfile, TextRange};
use tower_lsp_server::ls_types::{Position, Range};

use super::position::PositionEncoding;

pub struct LineIndex<'a> {
    df: &'a Dockerfile,
    /// Byte offset where each line starts.
    starts: Vec<u32>,
    enc: PositionEncoding,
}

impl<'a> LineIndex<'a> {
    pub fn new(df: &'a Dockerfile, enc: PositionEncoding) -> Self {
        let mut starts = vec![0u32];
        for n in df.nodes() {
            let b = n.node.text().as_bytes();
            for (i, &c) in b.iter().enumerate() {
                let brk = c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n'));
                if brk {
                    starts.push(n.start + i as u32 + 1);
                }
            }
        }
        LineIndex { df, starts, enc }
    }

    pub fn position(&self, offset: u32) -> Position {
        let offset = offset.min(self.df.len());
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[line];
        let prefix = self.text(start, offset);
        let prefix = prefix.strip_suffix('\r').unwrap_or(prefix);
        let col = match self.enc {
            PositionEncoding::Utf8 => prefix.len(),
            PositionEncoding::Utf16 => prefix.encode_utf16().count(),
        };
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            character: u32::try_from(col).unwrap_or(u32::MAX),
        }
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
        ] {
            let df = Dockerfile::parse(text);
            let rope = Rope::from_str(text);
            for enc in [PositionEncoding::Utf8, PositionEncoding::Utf16] {
                let idx = LineIndex::new(&df, enc);
                for off in 0..=text.len() as u32 + 2 {
                    assert_eq!(
                        idx.position(off),
                        offset_to_position(&rope, off as usize, enc),
                        "{text:?} at {off} ({enc:?})"
                    );
                }
            }
        }
    }
}
