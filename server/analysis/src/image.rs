//! Image references: `[registry/][namespace/]repository[:tag][@digest]`, each part with
//! its range.

use docksmith_syntax::TextRange;

/// A parsed image reference. Ranges are absolute when the reference was read from
/// text written literally; when variables were substituted they all cover the whole
/// written word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// The reference as resolved (variables substituted).
    pub text: String,
    pub range: TextRange,
    pub registry: Option<Part>,
    /// Everything between the registry and the tag: `library/alpine`, `org/app`.
    pub path: Part,
    pub tag: Option<Part>,
    pub digest: Option<Part>,
    /// Whether ranges of the parts are exact (the written text had no variables).
    pub exact: bool,
}

/// One part of a reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    pub text: String,
    pub range: TextRange,
}

impl ImageRef {
    /// Move the ranges for an edit before them (see `Model::shift`).
    pub(crate) fn shift(&mut self, at: u32, delta: i64) {
        let sh = |r: &mut TextRange| crate::semantics::shift_range(r, at, delta);
        sh(&mut self.range);
        sh(&mut self.path.range);
        for p in [&mut self.registry, &mut self.tag, &mut self.digest]
            .into_iter()
            .flatten()
        {
            sh(&mut p.range);
        }
    }

    /// Parse `text`, written at `range`. `exact`: the written text is `text`.
    pub fn parse(text: &str, range: TextRange, exact: bool) -> ImageRef {
        let at = |a: usize, b: usize| {
            if exact {
                TextRange::new(range.start + a as u32, range.start + b as u32)
            } else {
                range
            }
        };
        let part = |a: usize, b: usize| Part {
            text: text[a..b].to_string(),
            range: at(a, b),
        };
        let (name_end, digest) = match text.find('@') {
            Some(i) => (i, Some(part(i + 1, text.len()))),
            None => (text.len(), None),
        };
        let name = &text[..name_end];
        // Registry: the first component, when it has a '.' or ':' or is localhost.
        let (reg_end, registry) = match name.find('/') {
            Some(i) if name[..i].contains(['.', ':']) || &name[..i] == "localhost" => {
                (i + 1, Some(part(0, i)))
            }
            _ => (0, None),
        };
        // Tag: a ':' after the last '/'.
        let last_slash = name.rfind('/').map_or(0, |i| i + 1).max(reg_end);
        let (path_end, tag) = match name[last_slash..].find(':') {
            Some(i) => (last_slash + i, Some(part(last_slash + i + 1, name_end))),
            None => (name_end, None),
        };
        ImageRef {
            text: text.to_string(),
            range,
            registry,
            path: part(reg_end, path_end),
            tag,
            digest,
            exact,
        }
    }

    /// `docker.io` when no registry is written.
    pub fn registry_name(&self) -> &str {
        self.registry
            .as_ref()
            .map_or("docker.io", |r| r.text.as_str())
    }

    /// The repository path with `library/` added for official Docker Hub images.
    pub fn full_path(&self) -> String {
        if self.registry.is_none() && !self.path.text.contains('/') {
            format!("library/{}", self.path.text)
        } else {
            self.path.text.clone()
        }
    }

    /// `scratch`, the empty image.
    pub fn is_scratch(&self) -> bool {
        self.text.eq_ignore_ascii_case("scratch")
    }

    /// Pinned by digest.
    pub fn is_pinned(&self) -> bool {
        self.digest.is_some()
    }

    /// The written tag, `None` when there is none (Docker then uses `latest`).
    pub fn tag_text(&self) -> Option<&str> {
        self.tag.as_ref().map(|t| t.text.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(s: &str) -> String {
        let r = ImageRef::parse(s, TextRange::new(10, 10 + s.len() as u32), true);
        format!(
            "registry={:?} path={:?} tag={:?} digest={:?}",
            r.registry.map(|p| (p.text, p.range)),
            (r.path.text, r.path.range),
            r.tag.map(|p| (p.text, p.range)),
            r.digest.map(|p| p.text)
        )
    }

    #[test]
    fn references() {
        assert_eq!(
            show("alpine"),
            "registry=None path=(\"alpine\", 10..16) tag=None digest=None"
        );
        assert_eq!(
            show("alpine:3.20"),
            "registry=None path=(\"alpine\", 10..16) tag=Some((\"3.20\", 17..21)) digest=None"
        );
        assert_eq!(
            show("localhost:5000/org/app:1@sha256:abc"),
            "registry=Some((\"localhost:5000\", 10..24)) path=(\"org/app\", 25..32) tag=Some((\"1\", 33..34)) digest=Some(\"sha256:abc\")"
        );
        assert_eq!(
            show("ghcr.io/o/r"),
            "registry=Some((\"ghcr.io\", 10..17)) path=(\"o/r\", 18..21) tag=None digest=None"
        );
        assert_eq!(
            show("org/app"),
            "registry=None path=(\"org/app\", 10..17) tag=None digest=None"
        );
    }
}
