//! Word splitting as BuildKit's parser does it. All ranges are byte offsets into the
//! string given.

use crate::TextRange;
use crate::text::u32_of;

/// The separators of BuildKit's `reWhitespace` (`[\t\v\f\r ]+`), all ASCII.
static SPLIT_WS: [bool; 256] = {
    let mut t = [false; 256];
    t[b'\t' as usize] = true;
    t[0x0b] = true;
    t[0x0c] = true;
    t[b'\r' as usize] = true;
    t[b' ' as usize] = true;
    t
};

/// Whether `c` is one of BuildKit's `reWhitespace` separators.
#[inline]
pub(crate) fn is_split_ws_byte(c: u8) -> bool {
    SPLIT_WS[usize::from(c)]
}

/// The offset of the first separator in `s`.
#[inline]
pub(crate) fn find_split_ws(s: &str) -> Option<usize> {
    s.bytes().position(is_split_ws_byte)
}

/// The offset of the first byte of `s` at or after `from` that is not a separator.
#[inline]
pub(crate) fn skip_split_ws(s: &str, from: usize) -> usize {
    let b = s.as_bytes();
    let mut i = from;
    while i < b.len() && is_split_ws_byte(b[i]) {
        i += 1;
    }
    i
}

/// Split on runs of `[\t\v\f\r ]`; empty pieces (leading/trailing separators) are
/// dropped, which equals BuildKit's behaviour on the trimmed text it splits. The
/// separators are ASCII, so a byte scan finds exactly the character boundaries.
pub(crate) fn split_ws(s: &str) -> impl Iterator<Item = TextRange> + '_ {
    let b = s.as_bytes();
    let mut i = 0usize;
    std::iter::from_fn(move || {
        i = skip_split_ws(s, i);
        if i >= b.len() {
            return None;
        }
        let start = i;
        while i < b.len() && !is_split_ws_byte(b[i]) {
            i += 1;
        }
        Some(TextRange::new(u32_of(start), u32_of(i)))
    })
}

/// Go's `unicode.IsSpace` (Rust's `char::is_whitespace`) on ASCII.
#[inline]
fn is_ascii_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

/// Bytes that are ordinary in a word: ASCII, not white space, not a quote, not an
/// escape character (`\\` or `` ` ``).
static PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x80 {
        t[c] = !matches!(
            c as u8,
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | b'\'' | b'"' | b'\\' | b'`'
        );
        c += 1;
    }
    t
};

/// The length of the UTF-8 character whose first byte is `b`.
#[inline]
fn utf8_len(b: u8) -> usize {
    match b {
        0..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// Whether the character at byte `i` of `s` (a character boundary) is white space,
/// and its length.
#[inline]
fn space_at(s: &str, i: usize) -> (bool, usize) {
    let c = s.as_bytes()[i];
    if c < 0x80 {
        return (is_ascii_space(c), 1);
    }
    match s[i..].chars().next() {
        Some(ch) => (ch.is_whitespace(), ch.len_utf8()),
        None => (false, 1),
    }
}

/// The character at byte `i` of `s` and the offset after it.
#[inline]
fn char_at(s: &str, i: usize) -> Option<(char, usize)> {
    let b = *s.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((b as char, i + 1));
    }
    let c = s[i..].chars().next()?;
    Some((c, i + c.len_utf8()))
}

/// BuildKit's `parseWords`: white-space separated words where quotes group, quotes
/// and escapes are kept in the word, and an escape at the very end is dropped. Since
/// everything else is kept as written, each word is a slice of the input: this returns
/// the ranges. `escape` is `\` or `` ` `` (ASCII, as every special character here, so
/// the scan goes byte by byte and decodes only non-ASCII characters, for white space).
pub(crate) fn parse_words(s: &str, escape: char) -> Vec<TextRange> {
    let b = s.as_bytes();
    let n = b.len();
    let esc = u8::try_from(escape).unwrap_or(0xff);
    let mut words = Vec::new();
    let mut i = 0usize;
    loop {
        // White space between words.
        loop {
            if i >= n {
                return words;
            }
            if b[i] < 0x80 {
                if !is_ascii_space(b[i]) {
                    break;
                }
                i += 1;
                continue;
            }
            let (ws, len) = space_at(s, i);
            if !ws {
                break;
            }
            i += len;
        }
        let start = i;
        // A word; quotes group, escapes take the next character with them.
        let mut lone_escape = false;
        loop {
            while i < n && PLAIN[usize::from(b[i])] {
                i += 1;
            }
            if i >= n {
                break;
            }
            let c = b[i];
            if c == esc {
                if i + 1 >= n {
                    lone_escape = true;
                    i = n;
                    break;
                }
                i += 1 + utf8_len(b[i + 1]);
                continue;
            }
            if c == b'\'' || c == b'"' {
                i += 1;
                loop {
                    if i >= n {
                        break;
                    }
                    let q = b[i];
                    if q == c {
                        i += 1;
                        break;
                    }
                    if q == esc && c != b'\'' {
                        if i + 1 >= n {
                            lone_escape = true;
                            i = n;
                            break;
                        }
                        i += 1 + utf8_len(b[i + 1]);
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            if c < 0x80 {
                if is_ascii_space(c) {
                    break;
                }
                i += 1;
                continue;
            }
            let (ws, len) = space_at(s, i);
            if ws {
                break;
            }
            i += len;
        }
        if i >= n {
            let end = if lone_escape { n - 1 } else { n };
            // BuildKit's `blankOK`: a word that is empty but had quotes is kept.
            if end > start || s[start..].contains(['\'', '"']) {
                words.push(TextRange::new(u32_of(start), u32_of(end)));
            }
            return words;
        }
        // Stopped at white space.
        words.push(TextRange::new(u32_of(start), u32_of(i)));
    }
}

/// BuildKit's `extractBuilderFlags`: leading `--flag` words. Gives each flag's raw
/// range and processed text to `flag`; returns the offset where the arguments start.
pub(crate) fn extract_flags(s: &str, mut flag: impl FnMut(TextRange, String)) -> usize {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut word_start = 0usize;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut pos = 0usize;
    loop {
        if phase == Phase::Spaces {
            let Some((ch, next)) = char_at(s, pos) else {
                return s.len();
            };
            if ch.is_whitespace() {
                pos = next;
                continue;
            }
            if ch != '-' || s.as_bytes().get(next) != Some(&b'-') {
                return pos;
            }
            // Fast path: a flag word of plain ASCII (no quotes, no escapes, no
            // non-ASCII white space) is its own processed text.
            let b = s.as_bytes();
            let mut end = pos;
            while end < b.len() && (PLAIN[usize::from(b[end])] || b[end] == b'`') {
                end += 1;
            }
            if end == b.len() || is_ascii_space(b[end]) {
                let w = &s[pos..end];
                if w == "--" {
                    return end;
                }
                flag(TextRange::new(u32_of(pos), u32_of(end)), w.to_string());
                if end == b.len() {
                    return b.len();
                }
                pos = end + 1;
                continue;
            }
            phase = Phase::Word;
            word_start = pos;
        }
        let Some((mut ch, mut next)) = char_at(s, pos) else {
            if word != "--" && (blank_ok || !word.is_empty()) {
                flag(TextRange::new(u32_of(word_start), u32_of(s.len())), word);
            }
            return s.len();
        };
        if phase == Phase::Word {
            if ch.is_whitespace() {
                phase = Phase::Spaces;
                if word == "--" {
                    return pos;
                }
                if blank_ok || !word.is_empty() {
                    flag(
                        TextRange::new(u32_of(word_start), u32_of(pos)),
                        std::mem::take(&mut word),
                    );
                }
                word.clear();
                blank_ok = false;
                pos = next;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos = next;
                continue;
            }
            if ch == '\\' {
                let Some((n, after)) = char_at(s, next) else {
                    pos = next;
                    continue;
                };
                ch = n;
                next = after;
            }
            word.push(ch);
            pos = next;
            continue;
        }
        // Phase::Quote
        if ch == quote {
            phase = Phase::Word;
            pos = next;
            continue;
        }
        if ch == '\\' {
            let Some((n, after)) = char_at(s, next) else {
                phase = Phase::Word;
                pos = next;
                continue;
            };
            ch = n;
            next = after;
        }
        word.push(ch);
        pos = next;
    }
}

/// A word of the shell lexer BuildKit uses to find heredocs (escape `\`, quotes and
/// escapes kept, `<<` followed by white space kept in the word). `None` when a quote
/// is not closed: BuildKit then finds no heredoc on the line.
pub(crate) fn heredoc_line_words(s: &str) -> Option<Vec<TextRange>> {
    let b = s.as_bytes();
    let is_ws = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c);
    let mut words = Vec::new();
    let mut i = 0usize;
    while i < b.len() {
        while i < b.len() && is_ws(b[i]) {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        while i < b.len() && !is_ws(b[i]) {
            match b[i] {
                b'\\' => i += 2,
                b'\'' => {
                    let close = b[i + 1..].iter().position(|&c| c == b'\'')?;
                    i += close + 2;
                }
                b'"' => {
                    let mut j = i + 1;
                    loop {
                        match b.get(j) {
                            None => return None,
                            Some(b'\\') => j += 2,
                            Some(b'"') => break,
                            Some(_) => j += 1,
                        }
                    }
                    i = j + 1;
                }
                b'$' if b.get(i + 1) == Some(&b'{') => {
                    let close = b[i + 2..].iter().position(|&c| c == b'}');
                    i = match close {
                        Some(c) => i + 2 + c + 1,
                        None => b.len(),
                    };
                }
                b'<' if b.get(i + 1) == Some(&b'<') => {
                    i += 2;
                    if b.get(i) == Some(&b'-') {
                        i += 1;
                    }
                    while i < b.len() && matches!(b[i], b' ' | b'\t') {
                        i += 1;
                    }
                }
                _ => i += 1,
            }
        }
        let end = i.min(b.len());
        words.push(TextRange::new(u32_of(start), u32_of(end)));
        i = end;
    }
    Some(words)
}

/// What a heredoc marker word says.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct HeredocWord {
    pub fd: u32,
    pub chomp: bool,
    pub name: String,
    pub expand: bool,
    /// Offset of the delimiter's text in the word.
    pub name_offset: usize,
}

/// BuildKit's `ParseHeredoc` on one word: `^(\d*)<<(-?)\s*([^<]*)$`, then the rest
/// must be one shell word. `Ok(None)` when the word is not a heredoc.
pub(crate) fn parse_heredoc_word(word: &str) -> Result<Option<HeredocWord>, String> {
    let b = word.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !word[digits..].starts_with("<<") {
        return Ok(None);
    }
    let mut i = digits + 2;
    let chomp = b.get(i) == Some(&b'-');
    if chomp {
        i += 1;
    }
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\x0c' | b'\r') {
        i += 1;
    }
    let rest = &word[i..];
    if rest.contains('<') || rest.is_empty() {
        return Ok(None);
    }
    let fd = word[..digits].parse::<u32>().unwrap_or(0);
    // A plain delimiter (no quotes, escapes or white space) is one word as written.
    if !rest
        .bytes()
        .any(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\\' | b'\'' | b'"'))
    {
        return Ok(Some(HeredocWord {
            fd,
            chomp,
            name: rest.to_string(),
            expand: true,
            name_offset: i,
        }));
    }
    let cooked = shell_words(rest, false)?;
    if cooked.len() != 1 {
        return Ok(None);
    }
    let raw = shell_words(rest, true)?;
    if raw.len() != cooked.len() {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    }
    let quotes = |s: &str| s.chars().filter(|&c| c == '\'' || c == '"').count();
    let name = cooked.into_iter().next().unwrap_or_default();
    let expand = quotes(&name) == quotes(&raw[0]);
    Ok(Some(HeredocWord {
        fd,
        chomp,
        name,
        expand,
        name_offset: i,
    }))
}

/// Split into shell words with escape `\`: quotes removed (or kept with `raw_quotes`),
/// escapes processed, `$` kept as written. An unclosed quote is an error.
fn shell_words(s: &str, raw_quotes: bool) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\r' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next() {
                    word.push(n);
                }
            }
            '\'' => {
                in_word = true;
                if raw_quotes {
                    word.push('\'');
                }
                loop {
                    match chars.next() {
                        None => return Err(
                            "unexpected end of statement while looking for matching single-quote"
                                .into(),
                        ),
                        Some('\'') => break,
                        Some(ch) => word.push(ch),
                    }
                }
                if raw_quotes {
                    word.push('\'');
                }
            }
            '"' => {
                in_word = true;
                if raw_quotes {
                    word.push('"');
                }
                loop {
                    match chars.next() {
                        None => return Err(
                            "unexpected end of statement while looking for matching double-quote"
                                .into(),
                        ),
                        Some('"') => break,
                        Some('\\') => match chars.peek() {
                            Some(&n @ ('"' | '\\' | '$' | '`' | '\n')) => {
                                chars.next();
                                word.push(n);
                            }
                            _ => word.push('\\'),
                        },
                        Some(ch) => word.push(ch),
                    }
                }
                if raw_quotes {
                    word.push('"');
                }
            }
            _ => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str, esc: char) -> Vec<String> {
        parse_words(s, esc)
            .into_iter()
            .map(|r| s[r.as_usize()].to_string())
            .collect()
    }

    #[test]
    fn parse_words_keeps_quotes() {
        assert_eq!(
            texts(r#"abc="123 456" def"#, '\\'),
            vec![r#"abc="123 456""#, "def"]
        );
        assert_eq!(texts(r"a\ b c", '\\'), vec![r"a\ b", "c"]);
        assert_eq!(texts(r"a\", '\\'), vec!["a"]);
        assert_eq!(texts("''", '\\'), vec!["''"]);
    }

    pub(super) fn flags_of(s: &str) -> (Vec<(TextRange, String)>, usize) {
        let mut words = Vec::new();
        let rest = extract_flags(s, |r, w| words.push((r, w)));
        (words, rest)
    }

    #[test]
    fn flags() {
        let (f, rest) = flags_of(r#"--from=build --chown="a b" src dst"#);
        let f: Vec<_> = f.into_iter().map(|(_, w)| w).collect();
        assert_eq!(f, vec!["--from=build", "--chown=a b"]);
        assert_eq!(&r#"--from=build --chown="a b" src dst"#[rest..], "src dst");
        let (f, rest) = flags_of("--doit -- [ ]");
        assert_eq!(f.len(), 1);
        assert_eq!(&"--doit -- [ ]"[rest..], " [ ]");
    }

    #[test]
    fn heredoc_words() {
        let valid = [
            "<<EOF",
            "<<'EOF'",
            "<<\"EOF\"",
            "<<-EOF",
            "<<-'EOF'",
            "<<-\"EOF\"",
            "<<EO\"F\"",
            "<< EOF",
            "<<- EOF",
        ];
        for w in valid {
            let h = parse_heredoc_word(w).unwrap().unwrap();
            assert_eq!(h.name, "EOF", "{w}");
        }
        for w in ["<<'EOF", "<<\"EOF", "<<EOF'", "<<EOF\""] {
            assert!(parse_heredoc_word(w).is_err(), "{w}");
        }
        for w in ["", "EOF", "<<", "<<-", "<EOF", "<<<EOF", "<<EOF sh"] {
            assert_eq!(parse_heredoc_word(w), Ok(None), "{w}");
        }
    }
}

/// The char-by-char versions these byte scans replaced, kept as oracles.
#[cfg(test)]
mod oracle {
    use super::*;
    use proptest::prelude::*;

    const CHARS: &str = " \t\u{b}\u{c}\r\n\u{a0}\u{85}\u{2003}'\"\\`$={}-#ae\u{e9}\u{1f600}:";

    fn text() -> impl Strategy<Value = String> {
        let chars: Vec<char> = CHARS.chars().collect();
        proptest::collection::vec(proptest::sample::select(chars), 0..24)
            .prop_map(|v| v.into_iter().collect())
    }

    fn old_parse_words(s: &str, escape: char) -> Vec<(TextRange, String)> {
        #[derive(PartialEq)]
        enum Phase {
            Spaces,
            Word,
            Quote,
        }
        let mut words = Vec::new();
        let mut phase = Phase::Spaces;
        let mut word_start = 0usize;
        let mut quote = '\0';
        let mut pos = 0usize;
        // Set when the input ends with an escape that escapes nothing (BuildKit drops it).
        let mut lone_escape = false;
        let push = |words: &mut Vec<(TextRange, String)>, a: usize, b: usize| {
            words.push((TextRange::new(u32_of(a), u32_of(b)), s[a..b].to_string()));
        };
        // Skip the escape at `pos` and the character it escapes (both kept in the word).
        let mut skip_escaped = |next: usize| match char_at(s, next) {
            Some((_, after)) => after,
            None => {
                lone_escape = true;
                next
            }
        };
        loop {
            let Some((ch, next)) = char_at(s, pos) else {
                if phase != Phase::Spaces {
                    let end = if lone_escape {
                        s.len() - escape.len_utf8()
                    } else {
                        s.len()
                    };
                    // BuildKit's `blankOK`: a word that is empty but had quotes is kept.
                    if end > word_start || s[word_start..].contains(['\'', '"']) {
                        push(&mut words, word_start, end);
                    }
                }
                break;
            };
            match phase {
                Phase::Spaces => {
                    if !ch.is_whitespace() {
                        phase = Phase::Word;
                        word_start = pos;
                        continue;
                    }
                    pos = next;
                }
                Phase::Word => {
                    if ch.is_whitespace() {
                        phase = Phase::Spaces;
                        push(&mut words, word_start, pos);
                        pos = next;
                        continue;
                    }
                    if ch == '\'' || ch == '"' {
                        quote = ch;
                        phase = Phase::Quote;
                    }
                    pos = if ch == escape {
                        skip_escaped(next)
                    } else {
                        next
                    };
                }
                Phase::Quote => {
                    if ch == quote {
                        phase = Phase::Word;
                        pos = next;
                    } else if ch == escape && quote != '\'' {
                        pos = skip_escaped(next);
                    } else {
                        pos = next;
                    }
                }
            }
        }
        words
    }

    fn old_extract_flags(s: &str) -> (Vec<(TextRange, String)>, usize) {
        #[derive(PartialEq)]
        enum Phase {
            Spaces,
            Word,
            Quote,
        }
        let mut words = Vec::new();
        let mut phase = Phase::Spaces;
        let mut word = String::new();
        let mut word_start = 0usize;
        let mut quote = '\0';
        let mut blank_ok = false;
        let mut pos = 0usize;
        loop {
            if phase == Phase::Spaces {
                let Some((ch, next)) = char_at(s, pos) else {
                    return (words, s.len());
                };
                if ch.is_whitespace() {
                    pos = next;
                    continue;
                }
                if ch != '-' || s.as_bytes().get(next) != Some(&b'-') {
                    return (words, pos);
                }
                phase = Phase::Word;
                word_start = pos;
            }
            let Some((mut ch, mut next)) = char_at(s, pos) else {
                if word != "--" && (blank_ok || !word.is_empty()) {
                    words.push((TextRange::new(u32_of(word_start), u32_of(s.len())), word));
                }
                return (words, s.len());
            };
            if phase == Phase::Word {
                if ch.is_whitespace() {
                    phase = Phase::Spaces;
                    if word == "--" {
                        return (words, pos);
                    }
                    if blank_ok || !word.is_empty() {
                        words.push((
                            TextRange::new(u32_of(word_start), u32_of(pos)),
                            std::mem::take(&mut word),
                        ));
                    }
                    word.clear();
                    blank_ok = false;
                    pos = next;
                    continue;
                }
                if ch == '\'' || ch == '"' {
                    quote = ch;
                    blank_ok = true;
                    phase = Phase::Quote;
                    pos = next;
                    continue;
                }
                if ch == '\\' {
                    let Some((n, after)) = char_at(s, next) else {
                        pos = next;
                        continue;
                    };
                    ch = n;
                    next = after;
                }
                word.push(ch);
                pos = next;
                continue;
            }
            // Phase::Quote
            if ch == quote {
                phase = Phase::Word;
                pos = next;
                continue;
            }
            if ch == '\\' {
                let Some((n, after)) = char_at(s, next) else {
                    phase = Phase::Word;
                    pos = next;
                    continue;
                };
                ch = n;
                next = after;
            }
            word.push(ch);
            pos = next;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn parse_words_as_before(s in text(), backtick in any::<bool>()) {
            let esc = if backtick { '`' } else { '\\' };
            let new: Vec<_> = parse_words(&s, esc)
                .into_iter()
                .map(|r| (r, s[r.as_usize()].to_string()))
                .collect();
            prop_assert_eq!(new, old_parse_words(&s, esc));
        }

        #[test]
        fn extract_flags_as_before(s in text(), prefix in 0usize..3) {
            let s = format!("{}{s}", ["--", "--a ", ""][prefix]);
            prop_assert_eq!(super::tests::flags_of(&s), old_extract_flags(&s));
        }
    }
}
