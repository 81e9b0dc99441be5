//! The logical line of an instruction: its physical lines joined as BuildKit joins
//! them, with a map back to the original bytes.

use crate::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Seg {
    logical: u32,
    orig: u32,
    len: u32,
}

/// Maps offsets in a logical line back to offsets in the node's text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct LogicalMap {
    segs: Vec<Seg>,
    len: u32,
}

impl LogicalMap {
    /// Forget all segments (keeps the allocation, for reuse across nodes).
    pub(crate) fn clear(&mut self) {
        self.segs.clear();
        self.len = 0;
    }

    /// Append `orig` (a range of the node text) to the logical line.
    pub(crate) fn push(&mut self, orig: TextRange) {
        if orig.is_empty() {
            return;
        }
        self.segs.push(Seg {
            logical: self.len,
            orig: orig.start,
            len: orig.len(),
        });
        self.len += orig.len();
    }

    /// How many pieces of the node text the logical line joins.
    pub(crate) fn segments(&self) -> usize {
        self.segs.len()
    }

    /// The range of the first piece (empty at 0 when there is none).
    pub(crate) fn first(&self) -> TextRange {
        self.segs.first().map_or(TextRange::empty(0), |s| {
            TextRange::new(s.orig, s.orig + s.len)
        })
    }

    /// Write the logical line (the pieces of `node_text`, joined) into `out`.
    pub(crate) fn write(&self, node_text: &str, out: &mut String) {
        out.clear();
        out.reserve(self.len as usize);
        for s in &self.segs {
            out.push_str(&node_text[s.orig as usize..(s.orig + s.len) as usize]);
        }
    }

    fn seg_index(&self, l: u32) -> Option<usize> {
        // The last segment whose logical start is <= l (a few segments: a linear scan
        // from the first, where the keyword and flags are).
        if self.segs.len() <= 8 {
            let after = self
                .segs
                .iter()
                .position(|s| s.logical > l)
                .unwrap_or(self.segs.len());
            return after.checked_sub(1);
        }
        let i = self.segs.partition_point(|s| s.logical <= l);
        i.checked_sub(1)
    }

    /// The original offset of logical byte `l` (the end of the last segment for
    /// `l == len`).
    pub(crate) fn start(&self, l: u32) -> u32 {
        match self.seg_index(l) {
            Some(i) => {
                let s = self.segs[i];
                if l < s.logical + s.len {
                    s.orig + (l - s.logical)
                } else {
                    s.orig + s.len
                }
            }
            None => self.segs.first().map_or(0, |s| s.orig),
        }
    }

    /// The original offset just after logical byte `l - 1`.
    pub(crate) fn end(&self, l: u32) -> u32 {
        if l == 0 {
            return self.start(0);
        }
        self.start(l - 1) + 1
    }

    pub(crate) fn range(&self, r: TextRange) -> TextRange {
        // One physical line (most instructions): a plain shift.
        if let [seg] = self.segs.as_slice()
            && r.end <= seg.len
        {
            return TextRange::new(seg.orig + r.start, seg.orig + r.end);
        }
        if r.is_empty() {
            return TextRange::empty(self.start(r.start));
        }
        // Both ends in one segment (most ranges): one lookup.
        if let Some(i) = self.seg_index(r.start) {
            let s = self.segs[i];
            if r.end <= s.logical + s.len {
                return TextRange::new(
                    s.orig + (r.start - s.logical),
                    s.orig + (r.end - s.logical),
                );
            }
        }
        TextRange::new(self.start(r.start), self.end(r.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_across_segments() {
        let text = "RUN a \\\n  b\n";
        let mut m = LogicalMap::default();
        let mut logical = String::new();
        m.push(TextRange::new(0, 6));
        m.push(TextRange::new(8, 11));
        m.write(text, &mut logical);
        assert_eq!(logical, "RUN a   b");
        assert_eq!(m.range(TextRange::new(0, 3)), TextRange::new(0, 3));
        // "a   b" spans the continuation.
        assert_eq!(m.range(TextRange::new(4, 9)), TextRange::new(4, 11));
        // A range ending at a segment boundary does not swallow the continuation.
        assert_eq!(m.range(TextRange::new(4, 6)), TextRange::new(4, 6));
        assert_eq!(m.range(TextRange::empty(9)), TextRange::empty(11));
    }
}
