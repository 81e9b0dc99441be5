//! `ExposeInvalidFormat` (BuildKit): IP addresses or host ports in EXPOSE.

use super::super::prelude::*;
use super::url;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "ExposeInvalidFormat",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BuildKit,
        summary: "IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release",
        why: "EXPOSE documents the container's ports; host addresses and host ports are chosen at run time (`docker run -p`) and are ignored here. The fix keeps only the container port, which is what Docker uses today.",
        bad: "FROM alpine\nEXPOSE 8080:80\n",
        good: "FROM alpine\nEXPOSE 80\n",
        fix: Some(Safety::Safe),
        url: url!("expose-invalid-format"),
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in ctx.of_kind(InstructionKind::Expose) {
        for w in i.inst.words() {
            let Some(colon) = w.text.rfind(':') else {
                continue;
            };
            if w.text.contains('$') {
                continue;
            }
            let r = i.abs(w.range);
            let mut d = RULE.diag(
                r,
                format!(
                    "EXPOSE instruction should not define an IP address or host-port mapping, found '{}'",
                    w.text
                ),
            );
            if ctx.slice(r) == w.text && colon + 1 < w.text.len() {
                d = d.with_fix(Fix::safe(
                    "Keep the container port only",
                    vec![Edit::delete(TextRange::new(
                        r.start,
                        r.start + colon as u32 + 1,
                    ))],
                ));
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures() {
        assert_rule(
            &RULE,
            "FROM a\nEXPOSE 127.0.0.1:80:80 8000 5000:5000/udp\n       ^^^^^^^^^^^^^^^ warning[ExposeInvalidFormat]: EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:80:80'\n                            ^^^^^^^^^^^^^ warning[ExposeInvalidFormat]: EXPOSE instruction should not define an IP address or host-port mapping, found '5000:5000/udp'\n",
        );
        assert_fix(
            &RULE,
            "FROM a\nEXPOSE [::1]:8080:80 1:2\n",
            "FROM a\nEXPOSE 80 2\n",
        );
    }
}
