//! Test fixtures as data: a Dockerfile with marker lines under the lines they point
//! at, and the rendering of results in the same form, so that tests compare text and a
//! failure reads as a diff.
//!
//! A marker line is white space, then either a run of `^` (a range) or a single `|`
//! (a cursor), then optionally a space and a message:
//!
//! ```text
//! FROM golang:1.22 AS Build
//!                     ^^^^^ warning[StageNameCasing]: Stage name 'Build' should be lowercase
//! COPY --from=build /out /out
//!              |
//! ```
//!
//! Columns count characters. Marker lines are removed before analysis; `render` puts
//! results back in the same form.

use docksmith_syntax::TextRange;

/// One marker: a range (or an empty range for a cursor) in the clean text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    pub range: TextRange,
    pub cursor: bool,
    pub message: String,
}

/// A fixture with its marker lines removed.
#[derive(Clone, Debug)]
pub struct Fixture {
    pub text: String,
    pub markers: Vec<Marker>,
}

fn marker_line(line: &str) -> Option<(usize, usize, bool, String)> {
    let trimmed = line.trim_start_matches(' ');
    let indent = line.len() - trimmed.len();
    let (len, cursor) = if trimmed.starts_with('^') {
        (trimmed.chars().take_while(|&c| c == '^').count(), false)
    } else if trimmed.starts_with('|') && (trimmed.len() == 1 || trimmed[1..].starts_with(' ')) {
        (0, true)
    } else {
        return None;
    };
    let rest = &trimmed[if cursor { 1 } else { len }..];
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    Some((indent, len, cursor, rest.trim().to_string()))
}

impl Fixture {
    /// Split a fixture into clean text and markers.
    pub fn parse(fixture: &str) -> Fixture {
        let mut text = String::new();
        let mut markers = Vec::new();
        // Start offset and content of the last source line.
        let mut last: Option<(usize, String)> = None;
        for line in fixture.split_inclusive('\n') {
            let body = line.trim_end_matches(['\n', '\r']);
            if let (Some((start, src)), Some((col, len, cursor, message))) =
                (&last, marker_line(body))
            {
                let off = |c: usize| -> u32 {
                    let bytes: usize = src.chars().take(c).map(char::len_utf8).sum();
                    let extra = c.saturating_sub(src.chars().count());
                    (start + bytes + extra) as u32
                };
                let range = if cursor {
                    TextRange::empty(off(col))
                } else {
                    TextRange::new(off(col), off(col + len))
                };
                markers.push(Marker {
                    range,
                    cursor,
                    message,
                });
                continue;
            }
            last = Some((text.len(), body.to_string()));
            text.push_str(line);
        }
        Fixture { text, markers }
    }

    /// The single cursor of the fixture.
    pub fn cursor(&self) -> u32 {
        self.markers
            .iter()
            .find(|m| m.cursor)
            .map(|m| m.range.start)
            .expect("fixture has no `|` cursor")
    }

    /// The markers that are ranges (not cursors).
    pub fn ranges(&self) -> Vec<&Marker> {
        self.markers.iter().filter(|m| !m.cursor).collect()
    }
}

/// Render `text` with a marker line under the source line of each annotation
/// (`(range, message)`); empty ranges render as `|`. Ranges spanning lines are
/// marked to the end of their first line and the message says how far they go.
pub fn render(text: &str, annotations: &[(TextRange, String)]) -> String {
    let mut ann: Vec<&(TextRange, String)> = annotations.iter().collect();
    ann.sort_by(|a, b| (a.0.start, a.0.end, &a.1).cmp(&(b.0.start, b.0.end, &b.1)));
    let mut out = String::new();
    let mut start = 0usize;
    let mut k = 0;
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let n = lines.len();
    for (li, line) in lines.iter().enumerate() {
        let end = start + line.len();
        out.push_str(line);
        if !line.ends_with('\n') {
            out.push('\n');
        }
        let body = line.trim_end_matches(['\n', '\r']);
        let body_end = start + body.len();
        while k < ann.len()
            && ((ann[k].0.start as usize) < end
                || (li + 1 == n && ann[k].0.start as usize >= start))
        {
            let (r, msg) = ann[k];
            let s = (r.start as usize).clamp(start, body_end);
            let e = (r.end as usize).max(s);
            let col = body.get(..s - start).map_or(0, |p| p.chars().count());
            let mut mark = " ".repeat(col);
            if r.is_empty() {
                mark.push('|');
            } else {
                let vis_end = e.min(body_end).max(s);
                let width = body
                    .get(s - start..vis_end - start)
                    .map_or(1, |p| p.chars().count())
                    .max(1);
                mark.push_str(&"^".repeat(width));
            }
            if e > end {
                let extra = text[end..e.min(text.len())].matches('\n').count() + 1;
                mark.push_str(&format!(" (+{extra} lines)"));
            }
            if !msg.is_empty() {
                mark.push(' ');
                mark.push_str(msg);
            }
            out.push_str(mark.trim_end());
            out.push('\n');
            k += 1;
        }
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let src =
            "FROM a AS Build\n          ^^^^^ warning: x\nCOPY --from=build /a /b\n            |\n";
        let f = Fixture::parse(src);
        assert_eq!(f.text, "FROM a AS Build\nCOPY --from=build /a /b\n");
        assert_eq!(f.markers[0].range, TextRange::new(10, 15));
        assert_eq!(f.cursor(), 28);
        let anns: Vec<_> = f
            .markers
            .iter()
            .map(|m| (m.range, m.message.clone()))
            .collect();
        assert_eq!(render(&f.text, &anns), src);
    }
}
