//! Deterministic generators of test and benchmark inputs for Docksmith.
//!
//! Everything here is a pure function of its arguments: the same `seed` gives the same
//! output on every machine and every run, so a benchmark figure or a failing property test
//! can always be reproduced. No dependencies, no IO.
//!
//! - [`dockerfile`] writes a realistic, valid multi-stage Dockerfile of a requested length.
//! - [`edit_script`] picks a realistic spot in such a file and "types" characters there.
//! - [`Rng`] is the small PRNG (SplitMix64) behind both, public for tests that need one.

/// A small, fast, deterministic PRNG (SplitMix64). Not for cryptography.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator seeded with `seed`; every seed (including 0) is fine.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; returns 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        // Lemire's multiply-shift: unbiased enough for test data, no division.
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `lo..=hi` (`lo` if `hi < lo`).
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    ///
    /// # Panics
    /// If `items` is empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A realistic, valid multi-stage Dockerfile of `lines` lines (exactly, for `lines >= 16`;
/// a tiny request still gets the header and one complete stage).
///
/// The file has a `# syntax=` directive, global `ARG`s before the first `FROM`, then stages
/// `stage0`, `stage1`, ... (unique names; some built `FROM` an earlier stage), each with a
/// mix of `ARG`, `ENV` (`k=v` and the legacy `k v` form), multi-line `RUN` with `\`
/// continuations, `RUN --mount=type=cache`, heredocs (`RUN <<EOF`, `COPY <<EOF`),
/// `COPY --from=` an earlier stage, `COPY --chown=`, `WORKDIR`, `USER`, `EXPOSE`, `LABEL`,
/// `HEALTHCHECK`, comments and blank lines, variable references (`$VAR`, `${VAR:-default}`),
/// and a closing `CMD` or `ENTRYPOINT` in exec or shell form. The text ends with a newline.
pub fn dockerfile(lines: usize, seed: u64) -> String {
    let mut generator = Generator {
        rng: Rng::new(seed),
        out: Vec::with_capacity(lines + 16),
        stages: Vec::new(),
    };
    generator.run(lines, seed);
    let mut text = generator.out.join("\n");
    text.push('\n');
    text
}

/// `n` single-character insertions that type text at a realistic spot of `text`: at the end
/// of a one-line `RUN` instruction in the middle half of the file (chosen with `seed`), as an
/// editor sends them while someone types ` && echo ...`.
///
/// Each item is `(line, column, inserted)`, zero-based, the column in UTF-16 code units (as
/// LSP counts them) *after* all earlier items were applied; `inserted` is one character. If
/// the file has no one-line `RUN`, typing happens at the end of the middle line.
pub fn edit_script(text: &str, n: usize, seed: u64) -> Vec<(usize, usize, String)> {
    const TYPED: &str = " && echo docksmith typing benchmark";
    let lines: Vec<&str> = text.lines().collect();
    let mid = lines.len() / 2;
    let quarter = lines.len() / 4;
    let candidates: Vec<usize> = (quarter..lines.len().saturating_sub(quarter).max(quarter))
        .filter(|&i| is_one_line_run(&lines, i))
        .collect();
    let line = if candidates.is_empty() {
        mid.min(lines.len().saturating_sub(1))
    } else {
        candidates[Rng::new(seed).below(candidates.len())]
    };
    let start = lines.get(line).map_or(0, |l| l.encode_utf16().count());
    TYPED
        .chars()
        .cycle()
        .take(n)
        .enumerate()
        .map(|(i, c)| (line, start + i, c.to_string()))
        .collect()
}

fn is_one_line_run(lines: &[&str], i: usize) -> bool {
    let line = lines[i];
    let continued = i > 0 && lines[i - 1].ends_with('\\');
    line.starts_with("RUN ") && !line.ends_with('\\') && !line.contains("<<") && !continued
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Debian,
    Alpine,
}

struct Stage {
    family: Family,
}

struct Generator {
    rng: Rng,
    out: Vec<String>,
    stages: Vec<Stage>,
}

/// Lines every stage needs at least: comment, FROM, two ARGs, one closing line, CMD, blank.
const MIN_STAGE: usize = 7;
/// Lines kept free at the end of a stage body for its closing lines.
const CLOSING: usize = 3;

const DEBIAN_IMAGES: &[&str] = &[
    "debian:bookworm-slim",
    "ubuntu:24.04",
    "python:3.12-slim",
    "node:20-bookworm-slim",
    "rust:1.80-slim-bookworm",
    "golang:1.22-bookworm",
];
const ALPINE_IMAGES: &[&str] = &["alpine:3.20", "golang:1.22-alpine", "node:20-alpine"];
const PACKAGES: &[&str] = &[
    "build-essential",
    "ca-certificates",
    "curl",
    "git",
    "gnupg",
    "jq",
    "libssl-dev",
    "make",
    "openssh-client",
    "pkg-config",
    "python3",
    "python3-pip",
    "tini",
    "unzip",
    "wget",
    "xz-utils",
    "zlib1g-dev",
];
const APK_PACKAGES: &[&str] = &[
    "bash",
    "ca-certificates",
    "curl",
    "git",
    "jq",
    "make",
    "musl-dev",
    "openssl",
    "tini",
];

impl Generator {
    fn push(&mut self, line: impl Into<String>) {
        self.out.push(line.into());
    }

    fn run(&mut self, target: usize, seed: u64) {
        self.push("# syntax=docker/dockerfile:1.7");
        self.push(format!(
            "# Synthetic multi-stage build generated by docksmith-testgen (seed {seed})."
        ));
        self.push("");
        self.push("ARG BASE_IMAGE=debian");
        self.push("ARG BASE_TAG=bookworm-slim");
        self.push("ARG APP_VERSION=1.4.2");
        self.push("ARG GO_VERSION=1.22");
        self.push("");
        loop {
            let remaining = target.saturating_sub(self.out.len());
            let budget = if remaining <= 60 {
                remaining
            } else if remaining < 2 * 60 {
                remaining / 2
            } else {
                self.rng.range(15, 60)
            };
            self.stage(budget.max(MIN_STAGE));
            if self.out.len() + MIN_STAGE > target {
                break;
            }
        }
        // The last stage ends with a blank line; drop it unless it is needed for the count.
        if self.out.len() > target && self.out.last().is_some_and(String::is_empty) {
            self.out.pop();
        }
    }

    fn stage(&mut self, budget: usize) {
        let index = self.stages.len();
        let end = self.out.len() + budget;
        let r = self.rng.below(100);
        let (from, family) = if index > 0 && r < 25 {
            let base = self.rng.below(index);
            (format!("stage{base}"), self.stages[base].family)
        } else if r < 40 {
            ("${BASE_IMAGE}:${BASE_TAG}".to_owned(), Family::Debian)
        } else if r < 50 {
            (
                "--platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm".to_owned(),
                Family::Debian,
            )
        } else if r < 65 {
            (self.rng.pick(ALPINE_IMAGES).to_string(), Family::Alpine)
        } else {
            (self.rng.pick(DEBIAN_IMAGES).to_string(), Family::Debian)
        };
        let what = self
            .rng
            .pick(&["builds", "tests", "packages", "configures", "fetches"]);
        self.push(format!("# Stage {index} {what} component {index}."));
        self.push(format!("FROM {from} AS stage{index}"));
        self.push("ARG APP_VERSION");
        let minor = self.rng.below(20);
        self.push(format!("ARG VERSION_{index}=1.{minor}.{index}"));
        let mut healthcheck = false;
        while self.out.len() + CLOSING < end {
            let room = end - CLOSING - self.out.len();
            let chunk = self.chunk(index, family, &mut healthcheck);
            if chunk.len() <= room {
                self.out.extend(chunk);
            } else {
                let line = self.one_liner(index);
                self.push(line);
            }
        }
        self.closing(index);
        self.stages.push(Stage { family });
    }

    /// A one-line instruction or comment, used to fill the last few lines of a stage.
    fn one_liner(&mut self, n: usize) -> String {
        match self.rng.below(8) {
            0 => format!("# Component {n}: keep the layer small."),
            1 => format!("WORKDIR /opt/app{n}"),
            2 => format!("ENV APP_HOME_{n}=/opt/app{n}"),
            3 => format!("RUN mkdir -p /opt/app{n}/data && chmod 0755 /opt/app{n}/data"),
            4 => format!("EXPOSE {}/tcp", 8000 + n % 1000),
            5 => format!("COPY --chown=app:app src/component{n}/ /opt/app{n}/src/"),
            6 => format!("ARG FEATURE_{n}=on"),
            _ => String::new(),
        }
    }

    fn chunk(&mut self, n: usize, family: Family, healthcheck: &mut bool) -> Vec<String> {
        let pct = self.rng.below(100);
        match pct {
            0..=5 => vec![format!("# Install what component {n} needs at build time.")],
            6..=10 => vec![String::new()],
            11..=15 => {
                let (name, value) = self.rng.pick(&[
                    ("BUILD_JOBS", "4"),
                    ("FEATURE", "on"),
                    ("TARGET_DIR", "/out"),
                    ("CHANNEL", "stable"),
                ]);
                vec![format!("ARG {name}_{n}={value}")]
            }
            16..=22 => vec![format!(
                "ENV APP_HOME_{n}=/opt/app{n} PATH=\"/opt/app{n}/bin:${{PATH}}\" APP_VERSION=${{APP_VERSION}}"
            )],
            23..=24 => vec![
                self.rng
                    .pick(&[
                        "ENV LANG C.UTF-8",
                        "ENV DEBIAN_FRONTEND noninteractive",
                        "ENV PYTHONUNBUFFERED 1",
                    ])
                    .to_string(),
            ],
            25..=31 => vec![format!(
                "RUN mkdir -p /opt/app{n}/data /var/log/app{n} && chmod 0755 /opt/app{n}/data"
            )],
            32..=37 => vec![format!(
                "RUN echo \"component {n} version ${{VERSION_{n}:-0.0.0}} for $APP_VERSION\" > /opt/app{n}/VERSION && test -n \"$HOME\""
            )],
            38..=47 => self.install(family),
            48..=53 => {
                let mut lines = vec![
                    "RUN --mount=type=cache,target=/root/.cache \\".to_owned(),
                    format!("    --mount=type=bind,source=src/component{n},target=/src \\"),
                ];
                lines.push(
                    self.rng
                        .pick(&[
                            "    pip install --prefix=/install -r /src/requirements.txt",
                            "    cd /src && make -j\"${BUILD_JOBS:-2}\" build",
                            "    cd /src && go build -trimpath -o /out/app ./cmd/app",
                        ])
                        .to_string(),
                );
                lines
            }
            54..=58 => vec![
                "RUN <<EOF".to_owned(),
                "set -eux".to_owned(),
                format!("echo \"configuring component {n} version ${{VERSION_{n}}}\""),
                format!("mkdir -p /opt/app{n}/etc /opt/app{n}/run"),
                format!("ln -sf /opt/app{n}/bin/app /usr/local/bin/app{n}"),
                "EOF".to_owned(),
            ],
            59..=62 => vec![
                format!("COPY <<EOF /etc/app{n}/config.ini"),
                "[server]".to_owned(),
                format!("port = {}", 8000 + n % 1000),
                "log_level = info".to_owned(),
                "EOF".to_owned(),
            ],
            63..=69 if n > 0 => {
                let from = self.rng.below(n);
                vec![format!(
                    "COPY --from=stage{from} /opt/app{from} /opt/app{from}"
                )]
            }
            63..=72 => vec![format!(
                "COPY --chown=app:app src/component{n}/ /opt/app{n}/src/"
            )],
            73..=75 => vec![format!("COPY requirements-{n}.txt /tmp/requirements.txt")],
            76..=79 => vec![format!("WORKDIR /opt/app{n}")],
            80..=81 => vec![format!("EXPOSE {}/tcp", 8000 + n % 1000)],
            82..=84 | 88..=90 => vec![
                format!("LABEL org.opencontainers.image.title=\"component{n}\" \\"),
                "      org.opencontainers.image.version=\"${APP_VERSION}\"".to_owned(),
            ],
            85..=87 if !*healthcheck => {
                *healthcheck = true;
                vec![
                    "HEALTHCHECK --interval=30s --timeout=5s --retries=3 \\".to_owned(),
                    format!(
                        "    CMD curl -fsS http://localhost:{}/healthz || exit 1",
                        8000 + n % 1000
                    ),
                ]
            }
            _ => vec![
                "RUN set -eux; \\".to_owned(),
                format!("    cd /opt/app{n}; \\"),
                "    ./configure --prefix=/usr/local \\".to_owned(),
                "    && make -j\"$(nproc)\" \\".to_owned(),
                "    && make install".to_owned(),
            ],
        }
    }

    fn install(&mut self, family: Family) -> Vec<String> {
        let (pool, count) = match family {
            Family::Debian => (PACKAGES, self.rng.range(2, 8)),
            Family::Alpine => (APK_PACKAGES, self.rng.range(2, 5)),
        };
        // A sorted, duplicate-free selection, as linters like it.
        let mut chosen: Vec<&str> = Vec::with_capacity(count);
        while chosen.len() < count {
            let p = *self.rng.pick(pool);
            if !chosen.contains(&p) {
                chosen.push(p);
            }
        }
        chosen.sort_unstable();
        let mut lines = Vec::with_capacity(count + 3);
        match family {
            Family::Debian => {
                lines.push("RUN apt-get update \\".to_owned());
                lines.push("    && apt-get install -y --no-install-recommends \\".to_owned());
                lines.extend(chosen.iter().map(|p| format!("        {p} \\")));
                lines.push("    && rm -rf /var/lib/apt/lists/*".to_owned());
            }
            Family::Alpine => {
                lines.push("RUN apk add --no-cache \\".to_owned());
                let last = chosen.len() - 1;
                lines.extend(chosen.iter().enumerate().map(|(i, p)| {
                    if i == last {
                        format!("        {p}")
                    } else {
                        format!("        {p} \\")
                    }
                }));
            }
        }
        lines
    }

    fn closing(&mut self, n: usize) {
        let before = match self.rng.below(4) {
            0 => "USER app".to_owned(),
            1 => "USER 1000:1000".to_owned(),
            2 => format!("EXPOSE {}/tcp", 8000 + n % 1000),
            _ => format!("WORKDIR /opt/app{n}"),
        };
        self.push(before);
        let last = match self.rng.below(4) {
            0 => format!("CMD [\"/opt/app{n}/bin/server\", \"--port\", \"8080\"]"),
            1 => format!("CMD /opt/app{n}/bin/server --port 8080"),
            2 => "ENTRYPOINT [\"/usr/bin/tini\", \"--\", \"/usr/local/bin/entrypoint.sh\"]"
                .to_owned(),
            _ => format!("ENTRYPOINT exec /opt/app{n}/bin/server --config /etc/app{n}/config.ini"),
        };
        self.push(last);
        self.push("");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn stage_names(text: &str) -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("FROM "))
            .map(|l| l.rsplit(' ').next().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn same_seed_same_text_other_seed_other_text() {
        assert_eq!(dockerfile(500, 7), dockerfile(500, 7));
        assert_ne!(dockerfile(500, 7), dockerfile(500, 8));
    }

    #[test]
    fn output_is_pinned_for_a_seed() {
        // Benchmarks compare figures across commits: the generated text must not drift
        // silently. Update the hash deliberately when the generator is changed.
        let text = dockerfile(1000, 42);
        let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        assert_eq!(
            hash, 5_722_368_704_664_782_933,
            "FNV-1a of dockerfile(1000, 42)"
        );
    }

    #[test]
    fn line_count_is_as_requested() {
        for lines in [16, 20, 50, 100, 333, 1000, 10_000, 50_000] {
            for seed in 0..5 {
                let got = dockerfile(lines, seed).lines().count();
                assert!(
                    got.abs_diff(lines) <= 3,
                    "asked {lines}, got {got} (seed {seed})"
                );
            }
        }
        // Too small to hold a stage: still a complete, valid file.
        let tiny = dockerfile(1, 0);
        assert!(
            tiny.contains("\nFROM ") && (tiny.contains("\nCMD ") || tiny.contains("\nENTRYPOINT "))
        );
    }

    #[test]
    fn stage_names_are_unique_and_references_point_backwards() {
        for seed in 0..20 {
            let text = dockerfile(2000, seed);
            let names = stage_names(&text);
            let unique: HashSet<_> = names.iter().collect();
            assert_eq!(unique.len(), names.len(), "seed {seed}");
            let mut current: Option<usize> = None;
            for line in text.lines() {
                if line.starts_with("FROM ") {
                    let me = names
                        .iter()
                        .position(|n| line.ends_with(&format!(" AS {n}")));
                    if let Some(base) = line.split(' ').nth(1).and_then(|w| w.strip_prefix("stage"))
                    {
                        let base: usize = base.parse().unwrap();
                        assert!(Some(base) < me, "{line}");
                    }
                    current = me;
                }
                if let Some(rest) = line.strip_prefix("COPY --from=stage") {
                    let from: usize = rest.split(' ').next().unwrap().parse().unwrap();
                    assert!(Some(from) < current, "{line}");
                }
            }
        }
    }

    #[test]
    fn structure_is_valid() {
        for seed in 0..10 {
            let text = dockerfile(3000, seed);
            let lines: Vec<&str> = text.lines().collect();
            assert!(lines[0].starts_with("# syntax="));
            let first_from = lines.iter().position(|l| l.starts_with("FROM ")).unwrap();
            assert!(lines[..first_from].iter().any(|l| l.starts_with("ARG ")));
            assert!(text.ends_with('\n'));
            let mut in_heredoc = false;
            for (i, line) in lines.iter().enumerate() {
                if in_heredoc {
                    in_heredoc = *line != "EOF";
                    continue;
                }
                in_heredoc = line.contains("<<EOF");
                if line.ends_with('\\') {
                    let next = lines.get(i + 1).copied().unwrap_or("");
                    assert!(
                        next.starts_with(' '),
                        "line {i}: continuation into {next:?}"
                    );
                }
                if let Some(first) = line.split_whitespace().next() {
                    let known = [
                        "#",
                        "FROM",
                        "ARG",
                        "ENV",
                        "RUN",
                        "COPY",
                        "WORKDIR",
                        "USER",
                        "EXPOSE",
                        "LABEL",
                        "HEALTHCHECK",
                        "CMD",
                        "ENTRYPOINT",
                    ];
                    let continued = i > 0 && lines[i - 1].ends_with('\\');
                    assert!(
                        continued || known.contains(&first) || first.starts_with('#'),
                        "line {i}: {line:?}"
                    );
                }
            }
            assert!(!in_heredoc, "unterminated heredoc");
        }
    }

    #[test]
    fn large_files_have_every_feature() {
        let text = dockerfile(1000, 1);
        for needle in [
            "# syntax=",
            " AS stage",
            "\nFROM stage",
            "ARG ",
            "ENV APP_HOME",
            "ENV LANG C.UTF-8",
            "\\\n",
            "apt-get install",
            "RUN --mount=type=cache,target=/root/.cache",
            "RUN <<EOF",
            "COPY <<EOF /etc/",
            "COPY --from=stage",
            "COPY --chown=",
            "WORKDIR ",
            "USER ",
            "EXPOSE 80",
            "/tcp",
            "LABEL ",
            "HEALTHCHECK --interval=30s",
            "CMD [\"",
            "\nCMD /",
            "ENTRYPOINT [\"",
            "\nENTRYPOINT exec",
            "$APP_VERSION",
            "${VERSION_",
            ":-0.0.0}",
            "\n\n",
        ] {
            assert!(text.contains(needle), "missing {needle:?}");
        }
    }

    #[test]
    fn edit_script_types_at_the_end_of_a_run_line() {
        let text = dockerfile(1000, 3);
        let edits = edit_script(&text, 30, 9);
        assert_eq!(edits.len(), 30);
        assert_eq!(edits, edit_script(&text, 30, 9));
        let line = edits[0].0;
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[line].starts_with("RUN "));
        assert!((250..750).contains(&line));
        for (i, (l, col, s)) in edits.iter().enumerate() {
            assert_eq!(*l, line);
            assert_eq!(*col, lines[line].len() + i);
            assert_eq!(s.chars().count(), 1);
        }
        let on_empty: Vec<_> = edit_script("", 3, 0)
            .into_iter()
            .map(|e| (e.0, e.1))
            .collect();
        assert_eq!(on_empty, [(0, 0), (0, 1), (0, 2)]);
    }

    #[test]
    fn rng_is_in_range() {
        let mut rng = Rng::new(0);
        for n in 1..50 {
            assert!(rng.below(n) < n);
            let r = rng.range(n, n + 3);
            assert!((n..=n + 3).contains(&r));
        }
        assert_eq!(rng.below(0), 0);
    }
}
