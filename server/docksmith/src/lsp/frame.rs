//! The body of one outgoing message, built in pieces.
//!
//! The big answers of a 10,000-line file (2,000 diagnostics, a 4,700-symbol outline: about
//! 1 MB each) are made mostly of JSON kept from earlier answers: one piece per diagnostic,
//! per stage of the outline. A [`Frame`] holds such pieces by reference ([`Frame::push_piece`])
//! between runs of freshly written bytes (its [`std::io::Write`]), so an answer is not
//! copied into a fresh megabyte buffer: no copy, and no fresh pages to fault in (about 2 µs
//! each on a virtual machine). The thread that owns stdout writes the pieces with vectored
//! writes.

use std::sync::Arc;

/// A message body: runs of written bytes and shared pieces, in order.
#[derive(Debug, Default)]
pub struct Frame {
    /// Every written byte; `parts` says where each run ends.
    written: Vec<u8>,
    /// Where the run still open starts in `written`.
    open: usize,
    parts: Vec<Part>,
}

#[derive(Debug)]
enum Part {
    /// `written[start..end]`.
    Written(usize, usize),
    /// A cached answer, whole.
    Shared(Arc<Vec<u8>>),
    /// A kept piece of JSON, from byte `from` on.
    Piece(Arc<[u8]>, usize),
}

impl Frame {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `bytes`.
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.written.extend_from_slice(bytes);
    }

    /// The buffer written bytes go to (for writers that want a `Vec`).
    pub fn written(&mut self) -> &mut Vec<u8> {
        &mut self.written
    }

    /// Appends `piece[from..]` without copying it (nothing if `from` is past its end).
    pub fn push_piece(&mut self, piece: Arc<[u8]>, from: usize) {
        if from < piece.len() {
            self.close_run();
            self.parts.push(Part::Piece(piece, from));
        }
    }

    /// Appends a whole cached answer without copying it.
    pub fn shared(&mut self, answer: Arc<Vec<u8>>) {
        self.close_run();
        self.parts.push(Part::Shared(answer));
    }

    fn close_run(&mut self) {
        if self.written.len() > self.open {
            self.parts
                .push(Part::Written(self.open, self.written.len()));
            self.open = self.written.len();
        }
    }

    /// The body's length in bytes.
    pub fn len(&self) -> usize {
        self.chunks().map(<[u8]>::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.chunks().all(<[u8]>::is_empty)
    }

    /// The body, piece by piece.
    pub fn chunks(&self) -> impl Iterator<Item = &[u8]> {
        let parts = self.parts.iter().map(|p| match p {
            Part::Written(a, b) => &self.written[*a..*b],
            Part::Shared(s) => s.as_slice(),
            Part::Piece(p, from) => &p[*from..],
        });
        parts.chain(std::iter::once(&self.written[self.open..]))
    }

    /// The body in one buffer (tests, and transports that want one).
    pub fn to_vec(&self) -> Vec<u8> {
        let mut all = Vec::with_capacity(self.len());
        for c in self.chunks() {
            all.extend_from_slice(c);
        }
        all
    }
}

impl From<Vec<u8>> for Frame {
    fn from(body: Vec<u8>) -> Self {
        Frame {
            written: body,
            open: 0,
            parts: Vec::new(),
        }
    }
}

impl std::io::Write for Frame {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.written.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.written.extend_from_slice(buf);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// LSP JSON with every `"line":` number `delta` further (`None` if one would be negative
/// or does not read): a kept piece after lines were inserted or deleted above it. The key
/// cannot occur inside a string: a quote there is escaped.
pub fn move_lines(json: &[u8], delta: i64) -> Option<Vec<u8>> {
    const KEY: &[u8] = b"\"line\":";
    let mut out = Vec::with_capacity(json.len() + json.len() / 64);
    let finder = memchr::memmem::Finder::new(KEY);
    let mut rest = json;
    while let Some(at) = finder.find(rest) {
        let digits_at = at + KEY.len();
        out.extend_from_slice(&rest[..digits_at]);
        let digits = rest[digits_at..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .take(10)
            .fold((0usize, 0i64), |(k, n), b| {
                (k + 1, n * 10 + i64::from(b - b'0'))
            });
        let (digits, n) = digits;
        if digits == 0 {
            return None;
        }
        write_u32(&mut out, u32::try_from(n + delta).ok()?);
        rest = &rest[digits_at + digits..];
    }
    out.extend_from_slice(rest);
    Some(out)
}

/// Appends `n` in decimal.
pub fn write_u32(out: &mut Vec<u8>, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut k = digits.len();
    loop {
        k -= 1;
        digits[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[k..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn runs_and_pieces_come_out_in_order() {
        let piece: Arc<[u8]> = Arc::from(&b",{\"a\":1}"[..]);
        let mut f = Frame::new();
        f.bytes(b"[");
        f.push_piece(piece.clone(), 1);
        f.push_piece(piece.clone(), 0);
        write!(f, ",{}", 2).unwrap();
        f.shared(Arc::new(b",3".to_vec()));
        f.push_piece(piece.clone(), 99); // past the end: nothing
        f.bytes(b"]");
        assert_eq!(
            String::from_utf8(f.to_vec()).unwrap(),
            "[{\"a\":1},{\"a\":1},2,3]"
        );
        assert_eq!(f.len(), f.to_vec().len());
        assert!(!f.is_empty());
        assert!(Frame::new().is_empty());
        assert_eq!(Frame::from(b"xy".to_vec()).to_vec(), b"xy");
    }

    #[test]
    fn line_numbers_move() {
        let json = br#",{"range":{"start":{"line":9,"character":10},"end":{"line":10,"character":0}},"message":"\"line\":7 stays","lines":3}"#;
        let moved = move_lines(json, 991).unwrap();
        assert_eq!(
            String::from_utf8(moved).unwrap(),
            r#",{"range":{"start":{"line":1000,"character":10},"end":{"line":1001,"character":0}},"message":"\"line\":7 stays","lines":3}"#
        );
        let back = String::from_utf8(move_lines(json, -9).unwrap()).unwrap();
        assert!(
            back.starts_with(r#",{"range":{"start":{"line":0,"character":10},"end":{"line":1,"#)
        );
        assert!(move_lines(json, -10).is_none());
        assert!(move_lines(br#"{"line":x}"#, 1).is_none());
    }
}
