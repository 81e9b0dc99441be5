//! The exec form: a JSON array of strings, read the way Go's `encoding/json` reads
//! it (BuildKit's `parseJSON`), with the range of every element.

use crate::TextRange;
use crate::text::u32_of;

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Json {
    /// Not valid JSON (or not starting with `[`): BuildKit falls back to shell form.
    Invalid,
    /// Valid JSON, but not an array of strings only: BuildKit rejects the file.
    NotStringArray,
    /// The elements (range of each string literal, decoded value) and the array range.
    Array(TextRange, Vec<(TextRange, String)>),
}

/// Parse `s` (already trimmed of leading white space by the caller or not).
pub(crate) fn parse(s: &str) -> Json {
    let start = crate::text::lead_ws(s);
    let b = s.as_bytes();
    if b.get(start) != Some(&b'[') {
        return Json::Invalid;
    }
    let mut p = Parser { b, s, i: start };
    p.ws();
    let top_start = p.i;
    let mut elems = Vec::new();
    let mut all_strings = true;
    // The top-level array, element by element; nested values are validated only.
    p.i += 1;
    p.ws();
    if p.peek() == Some(b']') {
        p.i += 1;
    } else {
        loop {
            p.ws();
            if p.peek() == Some(b'"') {
                let st = p.i;
                match p.string() {
                    Some(v) => elems.push((TextRange::new(u32_of(st), u32_of(p.i)), v)),
                    None => return Json::Invalid,
                }
            } else {
                all_strings = false;
                if !p.value() {
                    return Json::Invalid;
                }
            }
            p.ws();
            match p.peek() {
                Some(b',') => p.i += 1,
                Some(b']') => {
                    p.i += 1;
                    break;
                }
                _ => return Json::Invalid,
            }
        }
    }
    let top_end = p.i;
    p.ws();
    if p.i != b.len() {
        return Json::Invalid;
    }
    if !all_strings {
        return Json::NotStringArray;
    }
    Json::Array(TextRange::new(u32_of(top_start), u32_of(top_end)), elems)
}

struct Parser<'a> {
    b: &'a [u8],
    s: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// A string literal at `self.i` (which is `"`); returns the decoded value.
    fn string(&mut self) -> Option<String> {
        self.i += 1;
        // Most literals have no escape: up to the closing quote, copied at once.
        let start = self.i;
        let mut j = start;
        while j < self.b.len() && !matches!(self.b[j], b'"' | b'\\' | 0..=0x1f) {
            j += 1;
        }
        if self.b.get(j) == Some(&b'"') {
            self.i = j + 1;
            return Some(self.s[start..j].to_string());
        }
        let mut out = String::with_capacity(j - start + 8);
        loop {
            let c = self.peek()?;
            match c {
                b'"' => {
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {
                    let e = *self.b.get(self.i + 1)?;
                    self.i += 2;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            if (0xD800..0xDC00).contains(&hi) {
                                // A surrogate pair, or U+FFFD when the low half is missing.
                                if self.b.get(self.i) == Some(&b'\\')
                                    && self.b.get(self.i + 1) == Some(&b'u')
                                {
                                    let save = self.i;
                                    self.i += 2;
                                    let lo = self.hex4()?;
                                    if (0xDC00..0xE000).contains(&lo) {
                                        let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                        out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                                    } else {
                                        out.push('\u{FFFD}');
                                        self.i = save;
                                    }
                                } else {
                                    out.push('\u{FFFD}');
                                }
                            } else {
                                out.push(char::from_u32(hi).unwrap_or('\u{FFFD}'));
                            }
                        }
                        _ => return None,
                    }
                }
                0..=0x1f => return None,
                _ => {
                    // Copy one UTF-8 character.
                    let ch = self.s[self.i..].chars().next()?;
                    out.push(ch);
                    self.i += ch.len_utf8();
                }
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let h = self.s.get(self.i..self.i + 4)?;
        if !h.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        self.i += 4;
        u32::from_str_radix(h, 16).ok()
    }

    /// Validate any JSON value without recursion.
    fn value(&mut self) -> bool {
        // Stack of open containers: b']' or b'}'.
        let mut stack: Vec<u8> = Vec::new();
        loop {
            self.ws();
            // Parse one scalar or open a container.
            match self.peek() {
                Some(b'"') => {
                    if self.string().is_none() {
                        return false;
                    }
                }
                Some(b'[') => {
                    self.i += 1;
                    self.ws();
                    if self.peek() == Some(b']') {
                        self.i += 1;
                    } else {
                        stack.push(b']');
                        continue;
                    }
                }
                Some(b'{') => {
                    self.i += 1;
                    self.ws();
                    if self.peek() == Some(b'}') {
                        self.i += 1;
                    } else {
                        stack.push(b'}');
                        if !self.object_key() {
                            return false;
                        }
                        continue;
                    }
                }
                Some(b't') => {
                    if !self.lit("true") {
                        return false;
                    }
                }
                Some(b'f') => {
                    if !self.lit("false") {
                        return false;
                    }
                }
                Some(b'n') => {
                    if !self.lit("null") {
                        return false;
                    }
                }
                Some(b'-' | b'0'..=b'9') => {
                    if !self.number() {
                        return false;
                    }
                }
                _ => return false,
            }
            // After a value: close containers or continue with the next element.
            loop {
                let Some(&close) = stack.last() else {
                    return true;
                };
                self.ws();
                match self.peek() {
                    Some(b',') => {
                        self.i += 1;
                        if close == b'}' && !self.object_key() {
                            return false;
                        }
                        break;
                    }
                    Some(c) if c == close => {
                        self.i += 1;
                        stack.pop();
                    }
                    _ => return false,
                }
            }
        }
    }

    fn object_key(&mut self) -> bool {
        self.ws();
        if self.peek() != Some(b'"') || self.string().is_none() {
            return false;
        }
        self.ws();
        if self.peek() != Some(b':') {
            return false;
        }
        self.i += 1;
        true
    }

    fn lit(&mut self, word: &str) -> bool {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            true
        } else {
            false
        }
    }

    fn number(&mut self) -> bool {
        let digits = |p: &mut Self| {
            let st = p.i;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.i += 1;
            }
            p.i > st
        };
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return false,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !digits(self) {
                return false;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !digits(self) {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(s: &str) -> Option<Vec<String>> {
        match parse(s) {
            Json::Array(_, e) => Some(e.into_iter().map(|(_, v)| v).collect()),
            _ => None,
        }
    }

    #[test]
    fn arrays() {
        assert_eq!(vals(r#"["a", "b"]"#), Some(vec!["a".into(), "b".into()]));
        assert_eq!(vals("[]"), Some(vec![]));
        assert_eq!(
            vals(r#"["\u2665 \ud83d\ude00"]"#),
            Some(vec!["♥ 😀".into()])
        );
        assert_eq!(vals(r#"["a" "b"]"#), None);
        assert_eq!(parse(r#"["a", 1]"#), Json::NotStringArray);
        assert_eq!(
            parse(r#"[ "echo", [ "nested json" ] ]"#),
            Json::NotStringArray
        );
        assert_eq!(
            parse(r#"["a", {"k": [1, {}]}, null, true, -1.5e3]"#),
            Json::NotStringArray
        );
        assert_eq!(parse("['a']"), Json::Invalid);
        assert_eq!(parse(r#"["a""#), Json::Invalid);
        assert_eq!(parse(r#"["a"] x"#), Json::Invalid);
        assert_eq!(parse(r#"["a", [1"#), Json::Invalid);
        assert_eq!(parse("[\"a\tb\"]"), Json::Invalid);
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let s = format!("[{}{}]", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(parse(&s), Json::NotStringArray);
    }
}
