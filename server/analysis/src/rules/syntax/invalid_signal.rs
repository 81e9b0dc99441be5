//! `InvalidSignal`: STOPSIGNAL names no signal.

use super::super::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "InvalidSignal",
        aliases: &[],
        severity: Severity::Error,
        category: Category::Syntax,
        summary: "STOPSIGNAL is not a valid signal",
        why: "The stop signal is a signal name (`SIGTERM`, `TERM`, `SIGRTMIN+3`) or number; anything else fails when the container is created.",
        bad: "FROM alpine\nSTOPSIGNAL SIGKILLL\n",
        good: "FROM alpine\nSTOPSIGNAL SIGKILL\n",
        fix: Some(Safety::Unsafe),
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

const SIGNALS: &[&str] = &[
    "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL",
    "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP",
    "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN", "RTMAX",
];

fn valid(sig: &str) -> bool {
    if let Ok(n) = sig.parse::<u32>() {
        return (1..=64).contains(&n);
    }
    let up = sig.to_ascii_uppercase();
    let name = up.strip_prefix("SIG").unwrap_or(&up);
    if let Some((base, off)) = name.split_once(['+', '-']) {
        return matches!(base, "RTMIN" | "RTMAX") && off.parse::<u32>().is_ok_and(|n| n <= 15);
    }
    SIGNALS.contains(&name)
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for i in ctx.of_kind(InstructionKind::Stopsignal) {
        let Some(w) = i.inst.text_arg() else { continue };
        let sig = w.text.trim();
        if sig.contains('$') || sig.contains(char::is_whitespace) || valid(sig) {
            continue;
        }
        let r = i.abs(w.range);
        let mut d = RULE.diag(r, format!("Invalid signal: {sig}"));
        let names: Vec<String> = SIGNALS.iter().map(|s| format!("SIG{s}")).collect();
        if let Some(s) = did_you_mean(sig, names.iter().map(String::as_str)) {
            d.message.push_str(&format!(" (did you mean {s}?)"));
            d = d.with_fix(Fix::unsafe_(
                format!("Change to {s}"),
                vec![Edit::replace(r, s)],
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
            "FROM a\nSTOPSIGNAL SIGKILLL\n           ^^^^^^^^ error[InvalidSignal]: Invalid signal: SIGKILLL (did you mean SIGKILL?)\nSTOPSIGNAL term\nSTOPSIGNAL 9\nSTOPSIGNAL SIGRTMIN+3\nSTOPSIGNAL a\n           ^ error[InvalidSignal]: Invalid signal: a\n",
        );
    }
}
