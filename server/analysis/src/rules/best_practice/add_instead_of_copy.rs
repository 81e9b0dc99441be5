//! `AddInsteadOfCopy` (hadolint DL3020): ADD of local files that COPY does plainly.

use super::super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "AddInsteadOfCopy",
        aliases: &["DL3020"],
        severity: Severity::Error,
        category: Category::BestPractice,
        summary: "ADD of local files or folders: use COPY",
        why: "ADD also downloads URLs and unpacks local tar archives, so a reader (and you, later) cannot tell from `ADD x /y` what happens; COPY only copies. Keep ADD for remote sources, git repositories and archives you want extracted. The fix replaces ADD by COPY when every source is a local, non-archive path and no ADD-only flag is used.",
        bad: "FROM alpine:3.20\nADD app.conf /etc/app/\n",
        good: "FROM alpine:3.20\nCOPY app.conf /etc/app/\n",
        fix: Some(Safety::Safe),
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

/// Archives ADD unpacks (by name; ADD really looks at the content).
const ARCHIVES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".gz", ".bz2", ".tbz", ".tbz2", ".tb2", ".xz", ".txz", ".tar.zst",
    ".zst", ".lz", ".tlz", ".lzma",
];

fn remote_or_archive(src: &str) -> bool {
    let s = src.trim_matches('"').to_ascii_lowercase();
    s.contains("://")
        || s.starts_with("git@")
        || s.contains('$')
        || ARCHIVES.iter().any(|a| s.ends_with(a))
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in ctx.of_kind(InstructionKind::Add) {
        let Some(c) = i.inst.as_copy() else { continue };
        if c.sources.is_empty() || !c.heredocs.is_empty() {
            continue;
        }
        if c.sources.iter().any(|s| remote_or_archive(&s.text)) {
            continue;
        }
        let mut d = RULE.diag(
            i.range(),
            "Use COPY instead of ADD for local files and folders",
        );
        let add_only = ["checksum", "keep-git-dir", "unpack"];
        if !i
            .inst
            .flags
            .iter()
            .any(|f| add_only.contains(&f.name.as_str()))
        {
            let kw = &i.inst.keyword;
            let repl = if kw.text.chars().all(|c| c.is_ascii_lowercase()) {
                "copy"
            } else {
                "COPY"
            };
            d = d.with_fix(Fix::safe(
                "Replace ADD by COPY",
                vec![Edit::replace(i.abs(kw.range), repl)],
            ));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM a\nADD \"file.zip\" /app/\n^^^^^^^^^^^^^^^^^^^^ error[AddInsteadOfCopy]: Use COPY instead of ADD for local files and folders\nADD x.tgz /app/\nADD https://x/y /app/\n",
        );
        assert_fix(&RULE, "FROM a\nadd x /y\n", "FROM a\ncopy x /y\n");
    }
}
