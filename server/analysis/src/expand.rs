//! Variable expansion as BuildKit's shell lexer does it, with a value that may be
//! unknown (set at build time, or coming from a base image).

/// What a variable looks up to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Declared with this value.
    Set(String),
    /// Not declared at all.
    Unset,
    /// Declared, but the value is only known at build time.
    Unknown,
}

/// The modifiers BuildKit supports in `${NAME<op>word}`.
pub const SUPPORTED_MODIFIERS: [&str; 12] = [
    ":-", "-", ":+", "+", ":?", "?", "#", "##", "%", "%%", "/", "//",
];

const MAX_DEPTH: usize = 16;

/// Expand `word`: quotes removed, escapes processed, variables substituted. `None`
/// when the result depends on a value that is not known.
pub fn expand(word: &str, escape: char, lookup: &dyn Fn(&str) -> Lookup) -> Option<String> {
    expand_depth(word, escape, lookup, 0, true)
}

/// Expand without removing quotes (for heredoc-style raw text).
pub fn expand_raw(word: &str, escape: char, lookup: &dyn Fn(&str) -> Lookup) -> Option<String> {
    expand_depth(word, escape, lookup, 0, false)
}

fn expand_depth(
    word: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Lookup,
    depth: usize,
    quotes: bool,
) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    // Nothing to expand or unquote: the word itself.
    let special = |c: char| c == '$' || c == escape || (quotes && (c == '\'' || c == '"'));
    if !word.contains(special) {
        return Some(word.to_string());
    }
    let mut out = String::with_capacity(word.len());
    // The characters, on the stack for a short word (most are: values, paths); the
    // recursion is at most `MAX_DEPTH` deep.
    let mut small = ['\0'; 64];
    let heap: Vec<char>;
    let chars: &[char] = if word.len() <= small.len() {
        let mut n = 0;
        for (slot, c) in small.iter_mut().zip(word.chars()) {
            *slot = c;
            n += 1;
        }
        &small[..n]
    } else {
        heap = word.chars().collect();
        &heap
    };
    let mut i = 0;
    let mut in_double = false;
    while i < chars.len() {
        let c = chars[i];
        if quotes && c == '\'' && !in_double {
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                out.push(chars[i]);
                i += 1;
            }
            i += 1;
            continue;
        }
        if quotes && c == '"' {
            in_double = !in_double;
            i += 1;
            continue;
        }
        if c == escape {
            if let Some(&n) = chars.get(i + 1) {
                if !quotes || !in_double || matches!(n, '"' | '$') || n == escape {
                    out.push(n);
                } else {
                    out.push(c);
                    out.push(n);
                }
            }
            i += 2;
            continue;
        }
        if c == '$' {
            let (value, next) = dollar(chars, i, escape, lookup, depth)?;
            out.push_str(&value);
            i = next;
            continue;
        }
        out.push(c);
        i += 1;
    }
    Some(out)
}

fn is_name(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Expand the reference at `chars[i] == '$'`; returns the value and the index after.
fn dollar(
    chars: &[char],
    i: usize,
    escape: char,
    lookup: &dyn Fn(&str) -> Lookup,
    depth: usize,
) -> Option<(String, usize)> {
    let Some(&next) = chars.get(i + 1) else {
        return Some(("$".into(), i + 1));
    };
    if next != '{' {
        let mut j = i + 1;
        if next.is_ascii_digit() {
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
        } else {
            while j < chars.len() && is_name(chars[j]) {
                j += 1;
            }
        }
        if j == i + 1 {
            return Some(("$".into(), i + 1));
        }
        let name: String = chars[i + 1..j].iter().collect();
        return match lookup(&name) {
            Lookup::Set(v) => Some((v, j)),
            Lookup::Unset => Some((String::new(), j)),
            Lookup::Unknown => None,
        };
    }
    // ${...}: find the matching brace.
    let mut depth_b = 0usize;
    let mut j = i + 2;
    let mut close = None;
    while j < chars.len() {
        let c = chars[j];
        if c == escape {
            j += 2;
            continue;
        }
        if c == '$' && chars.get(j + 1) == Some(&'{') {
            depth_b += 1;
            j += 2;
            continue;
        }
        if c == '}' {
            if depth_b == 0 {
                close = Some(j);
                break;
            }
            depth_b -= 1;
        }
        j += 1;
    }
    let close = close?;
    let inner: String = chars[i + 2..close].iter().collect();
    let name_len = inner.find(|c: char| !is_name(c)).unwrap_or(inner.len());
    let name = &inner[..name_len];
    let rest = &inner[name_len..];
    let value = lookup(name);
    if rest.is_empty() {
        return match value {
            Lookup::Set(v) => Some((v, close + 1)),
            Lookup::Unset => Some((String::new(), close + 1)),
            Lookup::Unknown => None,
        };
    }
    let op = SUPPORTED_MODIFIERS
        .iter()
        .filter(|op| rest.starts_with(**op))
        .max_by_key(|op| op.len())
        .copied()?;
    let arg = &rest[op.len()..];
    let word = || expand_depth(arg, escape, lookup, depth + 1, false);
    let result = match (op, value) {
        (":-", Lookup::Set(v)) if !v.is_empty() => v,
        (":-", Lookup::Set(_) | Lookup::Unset) => word()?,
        ("-", Lookup::Set(v)) => v,
        ("-", Lookup::Unset) => word()?,
        (":+", Lookup::Set(v)) if !v.is_empty() => word()?,
        (":+", Lookup::Set(_) | Lookup::Unset) => String::new(),
        ("+", Lookup::Set(_)) => word()?,
        ("+", Lookup::Unset) => String::new(),
        (":?", Lookup::Set(v)) if !v.is_empty() => v,
        ("?", Lookup::Set(v)) => v,
        (":?" | "?", _) => return None,
        ("#" | "##" | "%" | "%%", Lookup::Set(v)) => {
            let pat = word()?;
            trim_pattern(&v, &pat, op)
        }
        ("#" | "##" | "%" | "%%", Lookup::Unset) => String::new(),
        ("/" | "//", Lookup::Set(v)) => {
            let (pat, repl) = arg.split_once('/').unwrap_or((arg, ""));
            let pat = expand_depth(pat, escape, lookup, depth + 1, false)?;
            let repl = expand_depth(repl, escape, lookup, depth + 1, false)?;
            if pat.is_empty() {
                v
            } else if op == "//" {
                v.replace(&pat, &repl)
            } else {
                v.replacen(&pat, &repl, 1)
            }
        }
        ("/" | "//", Lookup::Unset) => String::new(),
        (_, Lookup::Unknown) => return None,
        _ => return None,
    };
    Some((result, close + 1))
}

/// `#`/`##` remove the shortest/longest matching prefix, `%`/`%%` suffix. Patterns
/// support `*` and `?`.
fn trim_pattern(v: &str, pat: &str, op: &str) -> String {
    let idx: Vec<usize> = v
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(v.len()))
        .collect();
    match op {
        "#" => idx
            .iter()
            .find(|&&e| glob(pat, &v[..e]))
            .map_or(v.to_string(), |&e| v[e..].to_string()),
        "##" => idx
            .iter()
            .rev()
            .find(|&&e| glob(pat, &v[..e]))
            .map_or(v.to_string(), |&e| v[e..].to_string()),
        "%" => idx
            .iter()
            .rev()
            .find(|&&s| glob(pat, &v[s..]))
            .map_or(v.to_string(), |&s| v[..s].to_string()),
        _ => idx
            .iter()
            .find(|&&s| glob(pat, &v[s..]))
            .map_or(v.to_string(), |&s| v[..s].to_string()),
    }
}

/// Glob match with `*` and `?` (iterative, linear backtracking).
fn glob(pat: &str, s: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = s.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(sp) = star {
            pi = sp + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Lookup {
        match name {
            "A" => Lookup::Set("alpha".into()),
            "E" => Lookup::Set(String::new()),
            "P" => Lookup::Set("dir/sub/file.tar.gz".into()),
            "U" => Lookup::Unknown,
            _ => Lookup::Unset,
        }
    }

    fn x(s: &str) -> Option<String> {
        expand(s, '\\', &env)
    }

    #[test]
    fn modifiers() {
        assert_eq!(x("$A-${A}"), Some("alpha-alpha".into()));
        assert_eq!(
            x("${N:-def}|${E:-def}|${E-def}|${N-def}"),
            Some("def|def||def".into())
        );
        assert_eq!(
            x("${A:+yes}|${E:+yes}|${E+yes}|${N+yes}"),
            Some("yes||yes|".into())
        );
        assert_eq!(
            x("${P#*/}|${P##*/}|${P%.*}|${P%%.*}"),
            Some("sub/file.tar.gz|file.tar.gz|dir/sub/file.tar|dir/sub/file".into())
        );
        assert_eq!(x("${A/l/L}|${A//a/A}"), Some("aLpha|AlphA".into()));
        assert_eq!(x("${U}"), None);
        assert_eq!(x("${U:-x}"), None);
        assert_eq!(x("${N:-$A}"), Some("alpha".into()));
        assert_eq!(x("'$A' \"$A\" \\$A"), Some("$A alpha $A".into()));
        assert_eq!(x("${A"), None);
    }
}
