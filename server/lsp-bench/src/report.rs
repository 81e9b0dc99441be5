//! Markdown tables and JSON from the measured runs.

use std::fmt::Write as _;
use std::time::Duration;

use serde_json::{Value, json};

use crate::args::Options;
use crate::machine::Machine;
use crate::scenario::{Measure, Run, Status};

/// Nearest-rank percentile (`p` in 0..=100) of sorted samples.
pub fn percentile(sorted: &[Duration], p: usize) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    Some(sorted[rank - 1])
}

fn sorted(samples: &[Duration]) -> Vec<Duration> {
    let mut s = samples.to_vec();
    s.sort();
    s
}

/// `0.42 ms`, `12.3 ms`, `123 ms`, `1.23 s`, `35.1 s`.
pub fn duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    match ms {
        ms if ms < 10.0 => format!("{ms:.2} ms"),
        ms if ms < 100.0 => format!("{ms:.1} ms"),
        ms if ms < 1000.0 => format!("{ms:.0} ms"),
        ms if ms < 10_000.0 => format!("{:.2} s", ms / 1e3),
        ms => format!("{:.1} s", ms / 1e3),
    }
}

/// One table cell: `median / p95` (or the single figure), with what qualifies it.
pub fn cell(m: &Measure) -> String {
    let s = sorted(&m.samples);
    let figure = match (percentile(&s, 50), percentile(&s, 95)) {
        (Some(only), _) if s.len() == 1 => duration(only),
        (Some(median), Some(p95)) => format!("{} / {}", duration(median), duration(p95)),
        _ => String::new(),
    };
    let mut text = match &m.status {
        Status::Done => figure,
        Status::NotAdvertised => return "n/a".into(),
        Status::Skipped => return "—".into(),
        Status::Crashed if s.is_empty() => return "crashed".into(),
        Status::Crashed => format!("crashed after {} ({figure})", s.len()),
        Status::Timeout(limit) if s.is_empty() => {
            return format!("timeout (>{})", duration(*limit));
        }
        Status::Timeout(limit) => {
            format!(
                "timeout (>{}) after {} ({figure})",
                duration(*limit),
                s.len()
            )
        }
        Status::Error(message) => return format!("error: {}", message.replace('|', "\\|")),
    };
    if m.status == Status::Done && s.len() < m.planned && m.planned > 1 {
        let _ = write!(text, " (n={})", s.len());
    }
    if let Some(detail) = &m.detail {
        let _ = write!(text, " ({detail})");
    } else if m.all_empty && !s.is_empty() {
        text.push_str(" (empty)");
    }
    if m.errors > 0 {
        let _ = write!(text, " ({} errors)", m.errors);
    }
    text
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The whole report: a header with the machine and settings, then one table per size.
pub fn markdown(machine: &Machine, options: &Options, runs: &[Run]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## LSP benchmark ({})\n", machine.date);
    let _ = writeln!(
        out,
        "Machine: {} CPUs ({}), {:.0} GiB, load average {} at the start. Generated Dockerfile seed {}; {} characters typed; \
         {} requests of each kind (time budget {} per kind); limits {} per wait, {} per \
         semanticTokens/full. Figures: median / p95 (nearest rank), or the single figure.\n",
        machine.cpus,
        machine.cpu_model,
        machine.memory_gib,
        machine
            .load
            .map_or_else(|| "?".into(), |l| format!("{l:.2}")),
        options.seed,
        options.edits,
        options.reps,
        duration(options.budget),
        duration(options.timeout),
        duration(options.semantic_timeout),
    );
    for &size in &options.lines {
        let row: Vec<&Run> = options
            .servers
            .iter()
            .filter_map(|s| {
                runs.iter()
                    .find(|r| r.server == s.name && r.requested == size)
            })
            .collect();
        let Some(first) = row.first() else { continue };
        let _ = writeln!(
            out,
            "### {} lines ({:.0} KiB)\n",
            thousands(first.lines),
            first.bytes as f64 / 1024.0
        );
        let _ = write!(out, "| |");
        for r in &row {
            let _ = write!(out, " {} |", r.server);
        }
        let _ = write!(out, "\n|---|");
        for _ in &row {
            let _ = write!(out, "---|");
        }
        out.push('\n');
        let mut line = |label: &str, f: &dyn Fn(&Run) -> String| {
            let _ = write!(out, "| {label} |");
            for r in &row {
                let _ = write!(out, " {} |", f(r));
            }
            out.push('\n');
        };
        line("serverInfo", &|r| {
            r.server_info.clone().unwrap_or_else(|| "—".into())
        });
        line("spawn → initialize", &|r| cell(&r.initialize));
        line("didOpen → diagnostics", &|r| cell(&r.open));
        line("didChange → diagnostics", &|r| cell(&r.change));
        line("didChange (new lines) → diagnostics", &|r| {
            cell(&r.change_lines)
        });
        for (i, (label, _)) in first.requests.iter().enumerate() {
            line(label, &|r| {
                r.requests.get(i).map_or_else(String::new, |(_, m)| cell(m))
            });
        }
        line("peak RSS", &|r| {
            r.peak_rss_kib
                .map_or_else(|| "—".into(), |k| format!("{:.0} MiB", k as f64 / 1024.0))
        });
        line("load average (start → end)", &|r| {
            let f = |l: Option<f64>| l.map_or_else(|| "?".into(), |l| format!("{l:.2}"));
            format!("{} → {}", f(r.load.0), f(r.load.1))
        });
        out.push('\n');
        if let Some(r) = row.iter().find(|r| r.positions.is_some()) {
            let p = r.positions.unwrap_or_default();
            let typed = r
                .typed_line
                .map_or_else(|| "—".into(), |l| (l + 1).to_string());
            let _ = writeln!(
                out,
                "Typing at the end of the `RUN` on line {typed}, then new lines after it (Enter, \
                 `RUN true`, a character at a time); requests cycle over a `RUN` \
                 keyword (line {}), a stage name in `COPY --from=` (line {}) and a \
                 `${{VERSION_…}}` reference (line {}).\n",
                p.keyword.0 + 1,
                p.stage_ref.0 + 1,
                p.variable.0 + 1,
            );
        }
        for r in &row {
            if let Some(note) = &r.note {
                let _ = writeln!(out, "- {}: {note}", r.server);
            }
        }
        for r in row.iter().filter(|r| !r.server_times.is_empty()) {
            let _ = writeln!(
                out,
                "Server time of {}, from its own log (median / p95, count):\n",
                r.server
            );
            for (label, samples) in &r.server_times {
                let mut ms: Vec<Duration> = samples
                    .iter()
                    .map(|&m| Duration::from_secs_f64(m / 1e3))
                    .collect();
                ms.sort();
                let f = |d: Option<Duration>| d.map_or_else(|| "?".into(), duration);
                let _ = writeln!(
                    out,
                    "- {label}: {} / {} ({})",
                    f(percentile(&ms, 50)),
                    f(percentile(&ms, 95)),
                    samples.len()
                );
            }
            out.push('\n');
        }
    }
    out
}

fn measure_json(m: &Measure) -> Value {
    let s = sorted(&m.samples);
    let ms = |d: Option<Duration>| d.map(|d| d.as_secs_f64() * 1e3);
    let status = match &m.status {
        Status::Done => "ok".to_owned(),
        Status::NotAdvertised => "n/a".to_owned(),
        Status::Timeout(_) => "timeout".to_owned(),
        Status::Crashed => "crashed".to_owned(),
        Status::Error(e) => format!("error: {e}"),
        Status::Skipped => "skipped".to_owned(),
    };
    json!({
        "status": status,
        "samples_ms": m.samples.iter().map(|d| d.as_secs_f64() * 1e3).collect::<Vec<_>>(),
        "median_ms": ms(percentile(&s, 50)),
        "p95_ms": ms(percentile(&s, 95)),
        "planned": m.planned,
        "all_empty": m.all_empty,
        "errors": m.errors,
        "detail": m.detail,
    })
}

pub fn json(machine: &Machine, options: &Options, runs: &[Run]) -> Value {
    let runs: Vec<Value> = runs
        .iter()
        .map(|r| {
            let requests: serde_json::Map<String, Value> = r
                .requests
                .iter()
                .map(|(label, m)| ((*label).to_owned(), measure_json(m)))
                .collect();
            json!({
                "server": r.server,
                "server_info": r.server_info,
                "requested_lines": r.requested,
                "lines": r.lines,
                "bytes": r.bytes,
                "initialize": measure_json(&r.initialize),
                "did_open": measure_json(&r.open),
                "did_change": measure_json(&r.change),
                "did_change_new_lines": measure_json(&r.change_lines),
                "requests": requests,
                "peak_rss_kib": r.peak_rss_kib,
                "load_average": [r.load.0, r.load.1],
                "typed_line": r.typed_line,
                "note": r.note,
                "server_times_ms": r.server_times.iter().map(|(l, v)| json!({"what": l, "samples": v})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "date": machine.date,
        "machine": {
            "cpus": machine.cpus, "cpu_model": machine.cpu_model,
            "memory_gib": machine.memory_gib, "load_at_start": machine.load,
        },
        "settings": {
            "seed": options.seed, "edits": options.edits, "reps": options.reps,
            "timeout_s": options.timeout.as_secs_f64(),
            "semantic_timeout_s": options.semantic_timeout.as_secs_f64(),
            "budget_s": options.budget.as_secs_f64(),
            "servers": options.servers.iter().map(|s| json!({"name": s.name, "command": s.argv})).collect::<Vec<_>>(),
        },
        "runs": runs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: &[u64]) -> Vec<Duration> {
        v.iter().map(|&m| Duration::from_millis(m)).collect()
    }

    #[test]
    fn nearest_rank() {
        let s = ms(&(1..=20).collect::<Vec<_>>());
        assert_eq!(percentile(&s, 50), Some(Duration::from_millis(10)));
        assert_eq!(percentile(&s, 95), Some(Duration::from_millis(19)));
        assert_eq!(percentile(&ms(&[7]), 95), Some(Duration::from_millis(7)));
        assert_eq!(percentile(&[], 50), None);
    }

    #[test]
    fn durations_and_counts_read_well() {
        assert_eq!(duration(Duration::from_micros(420)), "0.42 ms");
        assert_eq!(duration(Duration::from_micros(12_345)), "12.3 ms");
        assert_eq!(duration(Duration::from_millis(350)), "350 ms");
        assert_eq!(duration(Duration::from_millis(1060)), "1.06 s");
        assert_eq!(duration(Duration::from_secs(150)), "150.0 s");
        assert_eq!(thousands(50_000), "50,000");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn cells() {
        let mut m = Measure {
            status: Status::Done,
            samples: ms(&[3, 1, 2]),
            planned: 20,
            all_empty: true,
            errors: 0,
            detail: None,
        };
        assert_eq!(cell(&m), "2.00 ms / 3.00 ms (n=3) (empty)");
        m.status = Status::Timeout(Duration::from_secs(60));
        assert_eq!(
            cell(&m),
            "timeout (>60.0 s) after 3 (2.00 ms / 3.00 ms) (empty)"
        );
        m.samples.clear();
        assert_eq!(cell(&m), "timeout (>60.0 s)");
        m.status = Status::NotAdvertised;
        assert_eq!(cell(&m), "n/a");
    }
}
