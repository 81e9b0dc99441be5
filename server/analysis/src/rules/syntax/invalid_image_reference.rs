//! `InvalidImageReference`: the image of a FROM is not a valid reference.

use super::super::prelude::*;
use crate::semantics::Base;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "InvalidImageReference",
        aliases: &[],
        severity: Severity::Error,
        category: Category::Syntax,
        summary: "The base image is not a valid image reference",
        why: "BuildKit fails with `invalid reference format` before pulling anything: repository names are lower case, path components are letters and digits joined by `.`, `_`, `__` or dashes, tags are at most 128 word characters, dots and dashes, and digests are `algorithm:hex`.",
        bad: "FROM Alpine:3.20\n",
        good: "FROM alpine:3.20\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Stages,
};

fn is_alnum_lower(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// A path component: `[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`.
fn path_component_ok(c: &str) -> bool {
    let b = c.as_bytes();
    if b.is_empty() || !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric() {
        return false;
    }
    let mut k = 0;
    while k < b.len() {
        let x = b[k];
        if x.is_ascii_lowercase() || x.is_ascii_digit() {
            k += 1;
            continue;
        }
        // A separator run.
        let start = k;
        while k < b.len() && !(b[k].is_ascii_lowercase() || b[k].is_ascii_digit()) {
            k += 1;
        }
        let sep = &c[start..k];
        if !(sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-')) {
            return false;
        }
    }
    true
}

fn domain_ok(d: &str) -> bool {
    let (host, port) = if let Some(rest) = d.strip_prefix('[') {
        match rest.split_once(']') {
            Some((ip6, after)) => {
                if ip6.is_empty() || !ip6.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
                    return false;
                }
                ("x", after.strip_prefix(':'))
            }
            None => return false,
        }
    } else {
        match d.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (d, None),
        }
    };
    if let Some(p) = port
        && (p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    !host.is_empty()
        && host.split('.').all(|l| {
            let b = l.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter().all(|x| x.is_ascii_alphanumeric() || *x == b'-')
        })
}

/// Why `s` is not a valid image reference (`None` when it is).
pub fn reference_error(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("invalid reference format: empty image name".into());
    }
    let (name_tag, digest) = match s.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (s, None),
    };
    if let Some(d) = digest {
        let ok = d.split_once(':').is_some_and(|(alg, hex)| {
            alg.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
                && alg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_+.".contains(&b))
                && hex.len() >= 32
                && hex.bytes().all(|b| b.is_ascii_hexdigit())
        });
        if !ok {
            return Some(format!("invalid reference format: invalid digest '{d}'"));
        }
    }
    let last_slash = name_tag.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name_tag[last_slash..].rfind(':') {
        Some(i) => (
            &name_tag[..last_slash + i],
            Some(&name_tag[last_slash + i + 1..]),
        ),
        None => (name_tag, None),
    };
    if let Some(t) = tag {
        let b = t.as_bytes();
        let word = |x: u8| x.is_ascii_alphanumeric() || x == b'_';
        if b.is_empty()
            || b.len() > 128
            || !word(b[0])
            || !b.iter().all(|&x| word(x) || x == b'.' || x == b'-')
        {
            return Some(format!("invalid reference format: invalid tag '{t}'"));
        }
    }
    if name.is_empty() {
        return Some("invalid reference format: empty repository name".into());
    }
    if name.len() > 255 {
        return Some(
            "invalid reference format: repository name must not be more than 255 characters".into(),
        );
    }
    let mut comps: Vec<&str> = name.split('/').collect();
    if comps.len() > 1 {
        let first = comps[0];
        if first.contains(['.', ':']) || first == "localhost" || first.starts_with('[') {
            if !domain_ok(first) {
                return Some(format!(
                    "invalid reference format: invalid registry '{first}'"
                ));
            }
            comps.remove(0);
        }
    }
    if comps
        .iter()
        .any(|c| c.bytes().any(|b| b.is_ascii_uppercase()))
    {
        return Some("invalid reference format: repository name must be lowercase".into());
    }
    if let Some(bad) = comps
        .iter()
        .find(|c| !path_component_ok(c) && !is_alnum_lower(c))
    {
        return Some(format!(
            "invalid reference format: invalid repository name component '{bad}'"
        ));
    }
    None
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for s in &ctx.model.stages {
        if !matches!(s.base, Base::Image) {
            continue;
        }
        let (Some(img), Some((word, range))) = (&s.image, &s.image_word) else {
            continue;
        };
        if !img.exact || word.contains('$') {
            continue;
        }
        if let Some(e) = reference_error(&img.text) {
            out.push(RULE.diag(*range, e));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        for ok in [
            "alpine",
            "alpine:3.20",
            "library/alpine",
            "ghcr.io/o/r:v1.2-x",
            "localhost:5000/a/b",
            "a__b/c-d.e",
            "x@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "[::1]:5000/a",
        ] {
            assert_eq!(reference_error(ok), None, "{ok}");
        }
        for bad in [
            "Alpine",
            "alpine:",
            "a:b:c",
            "-a",
            "a/",
            "a//b",
            "a@sha256:xyz",
            "a:-x",
            "a..b",
        ] {
            assert!(reference_error(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM Alpine:3.20 AS a\n     ^^^^^^^^^^^ error[InvalidImageReference]: invalid reference format: repository name must be lowercase\nFROM a\nFROM scratch\nFROM ${X}:1\nFROM alpine:\n     ^^^^^^^ error[InvalidImageReference]: invalid reference format: invalid tag ''\n",
        );
    }
}
