//! What BuildKit accepts as flags, per instruction, and the values they take. Shared
//! by `UnknownFlag` and `InvalidFlagValue`.

use docksmith_syntax::InstructionKind;

/// How a flag's value is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// Any non-empty text.
    Text,
    /// `true`/`false` (Go's ParseBool); the bare flag means true.
    Bool,
    /// A Go duration (`30s`, `1m30s`).
    Duration,
    /// A non-negative integer.
    Retries,
    /// An octal file mode.
    Chmod,
    /// `--mount` fields.
    Mount,
    /// One of a list of words.
    OneOf(&'static [&'static str]),
}

/// The flags an instruction accepts, with their value kinds and whether they may repeat.
pub fn flags_of(kind: InstructionKind) -> &'static [(&'static str, Value, bool)] {
    use Value::*;
    match kind {
        InstructionKind::From => &[("platform", Text, false)],
        InstructionKind::Copy => &[
            ("from", Text, false),
            ("chown", Text, false),
            ("chmod", Chmod, false),
            ("link", Bool, false),
            ("parents", Bool, false),
            ("exclude", Text, true),
        ],
        InstructionKind::Add => &[
            ("chown", Text, false),
            ("chmod", Chmod, false),
            ("link", Bool, false),
            ("keep-git-dir", Bool, false),
            ("checksum", Text, false),
            ("exclude", Text, true),
            ("unpack", Bool, false),
        ],
        InstructionKind::Run => &[
            ("mount", Mount, true),
            ("network", OneOf(&["default", "none", "host"]), false),
            ("security", OneOf(&["insecure", "sandbox"]), false),
            ("device", Text, true),
        ],
        InstructionKind::Healthcheck => &[
            ("interval", Duration, false),
            ("timeout", Duration, false),
            ("start-period", Duration, false),
            ("start-interval", Duration, false),
            ("retries", Retries, false),
        ],
        _ => &[],
    }
}

/// Go's `time.ParseDuration`, in nanoseconds (saturating); the error as Go words it.
pub fn parse_duration(s: &str) -> Result<f64, String> {
    let orig = s;
    let mut s = s;
    let neg = s.starts_with('-');
    if s.starts_with(['-', '+']) {
        s = &s[1..];
    }
    if s == "0" {
        return Ok(0.0);
    }
    if s.is_empty() {
        return Err(format!("time: invalid duration {orig:?}"));
    }
    let mut total = 0.0f64;
    while !s.is_empty() {
        let num_end = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(s.len());
        let num = &s[..num_end];
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return Err(format!("time: invalid duration {orig:?}"));
        }
        s = &s[num_end..];
        let unit_end = s
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(s.len());
        let unit = &s[..unit_end];
        s = &s[unit_end..];
        let mult = match unit {
            "" => return Err(format!("time: missing unit in duration {orig:?}")),
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            u => return Err(format!("time: unknown unit {u:?} in duration {orig:?}")),
        };
        let v: f64 = num
            .parse()
            .map_err(|_| format!("time: invalid duration {orig:?}"))?;
        total += v * mult;
    }
    Ok(if neg { -total } else { total })
}

/// The `--mount` keys each type accepts.
pub fn mount_keys(kind: &str) -> Option<&'static [&'static str]> {
    const COMMON: [&str; 5] = ["type", "target", "dst", "destination", "ro"];
    let _ = COMMON;
    Some(match kind {
        "bind" => &[
            "type",
            "target",
            "dst",
            "destination",
            "source",
            "src",
            "from",
            "ro",
            "readonly",
            "rw",
            "readwrite",
        ],
        "cache" => &[
            "type",
            "target",
            "dst",
            "destination",
            "id",
            "ro",
            "readonly",
            "rw",
            "readwrite",
            "sharing",
            "from",
            "source",
            "src",
            "mode",
            "uid",
            "gid",
        ],
        "tmpfs" => &["type", "target", "dst", "destination", "size"],
        "secret" => &[
            "type",
            "target",
            "dst",
            "destination",
            "id",
            "required",
            "mode",
            "uid",
            "gid",
            "env",
        ],
        "ssh" => &[
            "type",
            "target",
            "dst",
            "destination",
            "id",
            "required",
            "mode",
            "uid",
            "gid",
        ],
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1m30s"), Ok(90e9));
        assert_eq!(parse_duration("100µs"), Ok(1e5));
        assert_eq!(parse_duration("0"), Ok(0.0));
        assert_eq!(
            parse_duration("10").unwrap_err(),
            "time: missing unit in duration \"10\""
        );
        assert_eq!(
            parse_duration("1x").unwrap_err(),
            "time: unknown unit \"x\" in duration \"1x\""
        );
        assert_eq!(
            parse_duration("a").unwrap_err(),
            "time: invalid duration \"a\""
        );
    }
}
