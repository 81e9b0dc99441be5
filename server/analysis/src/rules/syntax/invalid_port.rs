//! `InvalidPort`: an EXPOSE port or protocol that is not valid.

use super::super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "InvalidPort",
        aliases: &["DL3011"],
        severity: Severity::Error,
        category: Category::Syntax,
        summary: "EXPOSE port or protocol is not valid",
        why: "A port is a number from 0 to 65535 (or a range `8000-8010`), optionally followed by `/tcp`, `/udp` or `/sctp`. Anything else fails the build.",
        bad: "FROM alpine\nEXPOSE 80/tcpx\n",
        good: "FROM alpine\nEXPOSE 80/tcp\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

fn port_ok(p: &str) -> bool {
    let one = |s: &str| {
        !s.is_empty()
            && s.len() <= 5
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|n| n <= 65535)
    };
    match p.split_once('-') {
        Some((a, b)) => one(a) && one(b) && a.parse::<u32>().ok() <= b.parse::<u32>().ok(),
        None => one(p),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in ctx.of_kind(InstructionKind::Expose) {
        for w in i.inst.words() {
            let t = docksmith_syntax::views::unquote(&w.text, ctx.df.escape());
            if t.contains('$') {
                continue;
            }
            let r = i.abs(w.range);
            // `ip:host:container` forms are ExposeInvalidFormat's; check the container part.
            let last = t.rsplit(':').next().unwrap_or("");
            let (port, proto) = match last.split_once('/') {
                Some((p, pr)) => (p, Some(pr)),
                None => (last, None),
            };
            if !port_ok(port) {
                out.push(RULE.diag(r, format!("Invalid containerPort: {port}")));
            } else if let Some(pr) = proto
                && !matches!(
                    pr.to_ascii_lowercase().as_str(),
                    "" | "tcp" | "udp" | "sctp"
                )
            {
                out.push(RULE.diag(r, format!("Invalid proto: {pr}")));
            }
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
            "FROM a\nEXPOSE 80 8000-8010/udp a 70000 8080/tcpx $P 1:2/TCP\n                        ^ error[InvalidPort]: Invalid containerPort: a\n                          ^^^^^ error[InvalidPort]: Invalid containerPort: 70000\n                                ^^^^^^^^^ error[InvalidPort]: Invalid proto: tcpx\n",
        );
    }
}
