//! `CopyIgnoredFile` (BuildKit): COPY or ADD of a file `.dockerignore` excludes.

use super::super::prelude::*;
use super::url;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "CopyIgnoredFile",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "Attempting to Copy file that is excluded by .dockerignore",
        why: "Files excluded by `.dockerignore` (or `<Dockerfile>.dockerignore`) are not sent to the builder, so a COPY or ADD of one fails or copies nothing. Docksmith reads the ignore file's content (the command line and the server find it next to the build context) and checks sources written literally; sources with wildcards are not checked.",
        bad: "FROM alpine\nCOPY secrets/key.pem /etc/\n",
        good: "FROM alpine\nCOPY config/app.toml /etc/\n",
        fix: None,
        url: url!("copy-ignored-file"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

/// One `.dockerignore` pattern.
#[derive(Clone, Debug)]
struct Pattern {
    glob: Vec<char>,
    exclude: bool,
}

/// Read `.dockerignore` content.
fn patterns(text: &str) -> Vec<Pattern> {
    let mut out = Vec::new();
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let (exclude, p) = match l.strip_prefix('!') {
            Some(rest) => (true, rest.trim()),
            None => (false, l),
        };
        let p = clean(p);
        if p.is_empty() {
            continue;
        }
        out.push(Pattern {
            glob: p.chars().collect(),
            exclude,
        });
    }
    out
}

/// Clean a path as Go's filepath.Clean, without a leading `/` or `./`.
fn clean(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// Glob match: `*` and `?` do not cross `/`, `**` does, `[...]` classes, `\` escapes.
/// Dynamic programming over (pattern, text) positions: O(len(p) * len(t)).
fn glob_match(p: &[char], t: &[char]) -> bool {
    let (n, m) = (p.len(), t.len());
    if n > 512 || m > 4096 {
        return false;
    }
    // ok[i][j]: p[i..] matches t[j..]
    let mut ok = vec![vec![false; m + 1]; n + 1];
    ok[n][m] = true;
    for i in (0..n).rev() {
        for j in (0..=m).rev() {
            let c = p[i];
            ok[i][j] = if c == '*' {
                let double = i + 1 < n && p[i + 1] == '*';
                if double {
                    // `**` (and `**/`): any run of characters, or none.
                    let next = if i + 2 < n && p[i + 2] == '/' {
                        i + 3
                    } else {
                        i + 2
                    };
                    let mut r = ok[next.min(n)][j] || (j < m && ok[i][j + 1]);
                    if !r && next != i + 2 {
                        r = ok[i + 2][j];
                    }
                    r
                } else {
                    ok[i + 1][j] || (j < m && t[j] != '/' && ok[i][j + 1])
                }
            } else if j == m {
                false
            } else if c == '?' {
                t[j] != '/' && ok[i + 1][j + 1]
            } else if c == '[' {
                match class(p, i, t[j]) {
                    Some((matched, end)) => matched && ok[end][j + 1],
                    None => t[j] == '[' && ok[i + 1][j + 1],
                }
            } else if c == '\\' && i + 1 < n {
                // Escaped character: handled as literal by skipping the backslash.
                t[j] == p[i + 1] && i + 2 <= n && ok[i + 2][j + 1]
            } else {
                c == t[j] && ok[i + 1][j + 1]
            };
        }
    }
    ok[0][0]
}

/// A `[...]` class at p[i]: whether `c` matches, and the index after `]`.
fn class(p: &[char], i: usize, c: char) -> Option<(bool, usize)> {
    let mut k = i + 1;
    let negate = p.get(k).is_some_and(|&x| x == '^' || x == '!');
    if negate {
        k += 1;
    }
    let mut matched = false;
    let mut first = true;
    while k < p.len() {
        if p[k] == ']' && !first {
            return Some((matched != negate, k + 1));
        }
        first = false;
        let lo = p[k];
        if k + 2 < p.len() && p[k + 1] == '-' && p[k + 2] != ']' {
            if lo <= c && c <= p[k + 2] {
                matched = true;
            }
            k += 3;
        } else {
            if lo == c {
                matched = true;
            }
            k += 1;
        }
    }
    None
}

/// Whether `path` (cleaned) is excluded: the last pattern matching it or one of its
/// parent directories decides.
fn excluded(pats: &[Pattern], path: &str) -> bool {
    let chars: Vec<char> = path.chars().collect();
    let mut prefixes = vec![chars.len()];
    for (k, &c) in chars.iter().enumerate() {
        if c == '/' {
            prefixes.push(k);
        }
    }
    let mut out = false;
    for p in pats {
        if prefixes.iter().any(|&e| glob_match(&p.glob, &chars[..e])) {
            out = !p.exclude;
        }
    }
    out
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(ignore) = ctx.opts.dockerignore else {
        return;
    };
    let pats = patterns(ignore);
    if pats.is_empty() {
        return;
    }
    let has_exceptions = pats.iter().any(|p| p.exclude);
    for i in ctx.of_kinds(&[InstructionKind::Copy, InstructionKind::Add]) {
        let kind = i.inst.kind;
        let Some(c) = i.inst.as_copy() else { continue };
        if c.from.is_some() {
            continue;
        }
        let verb = if kind == InstructionKind::Add {
            "Add"
        } else {
            "Copy"
        };
        for src in &c.sources {
            let s = &src.text;
            if s.starts_with("<<")
                || s.contains("://")
                || s.starts_with("git@")
                || s.contains(['*', '?', '[', '$'])
            {
                continue;
            }
            let path = clean(&docksmith_syntax::views::unquote(s, ctx.df.escape()));
            let hit = if path == "." {
                // The whole context: reported when everything is excluded.
                !has_exceptions && excluded(&pats, "a")
            } else {
                excluded(&pats, &path)
            };
            if hit {
                out.push(RULE.diag(
                    i.abs(src.range),
                    format!("Attempting to {verb} file {s:?} that is excluded by .dockerignore"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Options;

    fn with(ignore: &str, fixture: &str) {
        let opts = Options {
            dockerignore: Some(ignore),
            ..Options::default()
        };
        assert_rule_with(&RULE, fixture, &opts);
    }

    #[test]
    fn fixtures() {
        with(
            "Dockerfile\nsecrets/\n*.md\n!README.md\n",
            "FROM a\nCOPY Dockerfile ./secrets/key.pem README.md x.md .\n     ^^^^^^^^^^ warning[CopyIgnoredFile]: Attempting to Copy file \"Dockerfile\" that is excluded by .dockerignore\n                ^^^^^^^^^^^^^^^^^ warning[CopyIgnoredFile]: Attempting to Copy file \"./secrets/key.pem\" that is excluded by .dockerignore\n                                            ^^^^ warning[CopyIgnoredFile]: Attempting to Copy file \"x.md\" that is excluded by .dockerignore\nADD Dockerfile /x\n    ^^^^^^^^^^ warning[CopyIgnoredFile]: Attempting to Add file \"Dockerfile\" that is excluded by .dockerignore\nCOPY --from=b Dockerfile /x\nCOPY *.md /x\n",
        );
        with(
            "*\n",
            "FROM a\nCOPY . .\n     ^ warning[CopyIgnoredFile]: Attempting to Copy file \".\" that is excluded by .dockerignore\n",
        );
        with(".*\n", "FROM a\nCOPY . .\n");
        with(
            "**\n!Dockerfile\n",
            "FROM a\nCOPY . .\nCOPY ./Dockerfile .\n",
        );
    }

    #[test]
    fn globs() {
        let m = |p: &str, t: &str| {
            glob_match(
                &p.chars().collect::<Vec<_>>(),
                &t.chars().collect::<Vec<_>>(),
            )
        };
        assert!(m("*.go", "a.go"));
        assert!(!m("*.go", "d/a.go"));
        assert!(m("**/*.go", "d/e/a.go"));
        assert!(m("**/*.go", "a.go"));
        assert!(m("d/**", "d/e/f"));
        assert!(m("[a-c]?", "bx"));
        assert!(!m("[!a-c]?", "bx"));
        assert!(m("**", "anything/at/all"));
    }
}
