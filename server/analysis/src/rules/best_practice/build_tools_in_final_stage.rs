//! `BuildToolsInFinalStage`: compilers and `-dev` packages installed in the final
//! stage of a multi-stage build.

use super::super::prelude::*;
use super::{APT_VALUE_OPTS, in_final_image, multi_stage, reaches_final, through_sudo};
use crate::shell::{Command, ShellWord};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "BuildToolsInFinalStage",
        aliases: &[],
        severity: Severity::Warning,
        category: Category::BestPractice,
        summary: "Build toolchain installed in the final stage of a multi-stage build",
        why: "The point of a multi-stage build is that compilers, headers and build tools stay in a builder stage and only the result is copied into the image you ship. `gcc`, `make`, `build-essential` or `*-dev` packages in the final stage add hundreds of megabytes and give an attacker a toolchain. Install them in the builder stage and `COPY --from=<builder>` the artifacts; if a runtime library is needed, install its non-`-dev` package. RUNs that remove the packages again in the same RUN are not reported.",
        bad: "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libssl-dev && rm -rf /var/lib/apt/lists/*\nCOPY --from=build /app /app\n",
        good: "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends libssl3 && rm -rf /var/lib/apt/lists/*\nCOPY --from=build /app /app\n",
        fix: None,
        url: None,
        default_enabled: true,
        experimental: false,
    },
    check,
    extent: Extent::Instruction,
};

const TOOLS: &[&str] = &[
    "gcc",
    "g++",
    "gcc-c++",
    "cc",
    "c++",
    "clang",
    "llvm",
    "make",
    "cmake",
    "ninja",
    "ninja-build",
    "meson",
    "build-essential",
    "build-base",
    "autoconf",
    "automake",
    "libtool",
    "pkg-config",
    "pkgconf",
    "pkgconfig",
    "golang",
    "go",
    "rustc",
    "cargo",
    "gfortran",
    "nasm",
    "yasm",
    "bison",
    "flex",
    "musl-dev",
    "linux-headers",
    "kernel-headers",
    "dpkg-dev",
    "@development-tools",
];

/// Whether a package name (version stripped) is a build tool or headers.
pub(crate) fn is_build_tool(pkg: &str) -> bool {
    let name = pkg.split(['=', '~', '<', '>']).next().unwrap_or(pkg);
    let name = name.split(':').next().unwrap_or(name);
    TOOLS.contains(&name)
        || name.ends_with("-dev")
        || name.ends_with("-devel")
        || name.starts_with("gcc-")
        || name.starts_with("g++-")
        || name.starts_with("clang-")
}

/// The package operands of an install command of a known package manager.
fn installed<'c, 'a>(c: &'c Command<'a>) -> Vec<&'c ShellWord<'a>> {
    let sub = |names: &[&str], subs: &[&str], opts: &[&str]| -> Option<usize> {
        if !names.contains(&c.name()) {
            return None;
        }
        c.subcommand(opts)
            .filter(|(_, w)| subs.contains(&&*w.text))
            .map(|(k, _)| k)
    };
    let apk_opts = ["-t", "--virtual", "-X", "--repository"];
    if let Some(k) = sub(&["apt-get", "apt"], &["install"], APT_VALUE_OPTS).or_else(|| {
        sub(
            &["yum", "dnf", "microdnf", "zypper"],
            &["install", "in"],
            &[],
        )
    }) {
        return c.operands(k, APT_VALUE_OPTS);
    }
    if let Some(k) = sub(&["apk"], &["add"], &apk_opts) {
        return c.operands(k, &apk_opts);
    }
    Vec::new()
}

fn removes(c: &Command<'_>) -> bool {
    let sub = c.subcommand(APT_VALUE_OPTS).map(|(_, w)| &*w.text);
    match c.name() {
        "apt-get" | "apt" => matches!(sub, Some("purge" | "remove" | "autoremove")),
        "apk" => matches!(sub, Some("del")),
        "yum" | "dnf" | "microdnf" => matches!(sub, Some("remove" | "erase" | "autoremove")),
        _ => false,
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if !multi_stage(ctx) {
        return;
    }
    let fin = in_final_image(ctx);
    for (i, s) in ctx.runs() {
        if i.inst.kind != InstructionKind::Run || !reaches_final(ctx, i, &fin) {
            continue;
        }
        if s.commands.iter().any(|c| removes(&through_sudo(c))) {
            continue;
        }
        for c in &s.commands {
            let c = through_sudo(c);
            for p in installed(&c) {
                if is_build_tool(&p.text) {
                    out.push(RULE.diag(
                        p.range,
                        format!("`{}` is a build tool in the final image: install it in a builder stage and `COPY --from` the result", p.text),
                    ));
                }
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
            "FROM a AS build\nRUN apt-get install -y gcc\nFROM b\nRUN apk add --no-cache curl musl-dev\n                            ^^^^^^^^ warning[BuildToolsInFinalStage]: `musl-dev` is a build tool in the final image: install it in a builder stage and `COPY --from` the result\nRUN apk add --virtual .d make && make && apk del .d\nCOPY --from=build /x /x\n",
        );
        assert_rule(&RULE, "FROM a\nRUN apt-get install -y gcc\n");
    }
}
