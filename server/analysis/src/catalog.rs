//! What a Dockerfile may hold, as data: the flags of each instruction with their values,
//! the `--mount` types and keys, parser directives, signals, platforms and a short list
//! of common official base images. Shared by hover, completion and signature help.
//!
//! Facts follow the Dockerfile reference (docs.docker.com/reference/dockerfile); the
//! wording is ours.

use docksmith_syntax::InstructionKind;

/// The Dockerfile reference, for links.
pub const REFERENCE_URL: &str = "https://docs.docker.com/reference/dockerfile/";

/// One `--flag` of an instruction.
#[derive(Clone, Copy, Debug)]
pub struct FlagInfo {
    pub name: &'static str,
    /// How the flag is written, e.g. `--chown=<user>:<group>`.
    pub usage: &'static str,
    pub doc: &'static str,
    /// Values to offer after `=` (`(value, doc)`); empty when free-form.
    pub values: &'static [(&'static str, &'static str)],
    /// A flag that may stand alone (`--link`); `=` is optional.
    pub boolean: bool,
    /// Which Dockerfile syntax brought it, when not every BuildKit version has it.
    pub since: Option<&'static str>,
}

const BOOL: &[(&str, &str)] = &[("true", "enable"), ("false", "disable")];

const PLATFORMS: &[(&str, &str)] = &[
    (
        "$BUILDPLATFORM",
        "the platform of the machine running the build (cross-compile in this stage)",
    ),
    (
        "$TARGETPLATFORM",
        "the platform being built for (the default; writing it is redundant)",
    ),
    ("linux/amd64", "64-bit x86 Linux"),
    ("linux/arm64", "64-bit ARM Linux (Apple silicon, Graviton)"),
    ("linux/arm/v7", "32-bit ARMv7 Linux (Raspberry Pi 2/3)"),
    ("linux/arm/v6", "32-bit ARMv6 Linux"),
    ("linux/386", "32-bit x86 Linux"),
    ("linux/ppc64le", "POWER little-endian Linux"),
    ("linux/s390x", "IBM Z Linux"),
    ("linux/riscv64", "64-bit RISC-V Linux"),
    ("windows/amd64", "64-bit x86 Windows"),
];

const FROM_FLAGS: &[FlagInfo] = &[FlagInfo {
    name: "platform",
    usage: "--platform=<platform>",
    doc: "Pull the base image for this platform instead of the target platform. Use \
          `--platform=$BUILDPLATFORM` for a stage that cross-compiles on the build machine; \
          a constant value pins the stage to one platform.",
    values: PLATFORMS,
    boolean: false,
    since: None,
}];

const COPY_COMMON: [FlagInfo; 4] = [
    FlagInfo {
        name: "chown",
        usage: "--chown=<user>[:<group>]",
        doc: "Owner of the copied files (names or numeric ids; the group defaults to the \
              user's). Without it files belong to root (0:0). Names are looked up in the \
              stage's `/etc/passwd` and `/etc/group`.",
        values: &[("root:root", "uid 0, gid 0"), ("1000:1000", "numeric ids")],
        boolean: false,
        since: None,
    },
    FlagInfo {
        name: "chmod",
        usage: "--chmod=<perms>",
        doc: "Permissions of the copied files: octal (`755`) or, with `# syntax=docker/dockerfile:1.10` \
              and later, symbolic (`u+x`). Saves a separate `RUN chmod` layer.",
        values: &[
            ("755", "rwxr-xr-x: executables and directories"),
            ("644", "rw-r--r--: regular files"),
            ("600", "rw-------: private files"),
            ("a+x", "make executable (symbolic, dockerfile:1.10+)"),
        ],
        boolean: false,
        since: None,
    },
    FlagInfo {
        name: "link",
        usage: "--link[=<bool>]",
        doc: "Copy into an independent layer that does not depend on the layers below it, so \
              changing the base image does not invalidate it and it can be reused with \
              `--cache-from` or rebased. Files are not seen through symlinks in the destination.",
        values: BOOL,
        boolean: true,
        since: Some("`docker/dockerfile:1.4` and later"),
    },
    FlagInfo {
        name: "exclude",
        usage: "--exclude=<path>",
        doc: "Leave out files that match this pattern (`.dockerignore` syntax); repeat the flag for \
              several patterns.",
        values: &[
            ("**/*.md", "every Markdown file"),
            ("*.test", "test binaries"),
        ],
        boolean: false,
        since: Some(
            "introduced in `docker/dockerfile:1.7-labs`; older frontends need `# syntax=docker/dockerfile:1-labs`",
        ),
    },
];

const COPY_FLAGS: &[FlagInfo] = &[
    FlagInfo {
        name: "from",
        usage: "--from=<stage|image|context>",
        doc: "Copy from an earlier build stage (by name or index), an image, or a named build \
              context instead of the build context. The heart of multi-stage builds: build in \
              one stage, copy only the result into a small final stage.",
        values: &[],
        boolean: false,
        since: None,
    },
    COPY_COMMON[0],
    COPY_COMMON[1],
    COPY_COMMON[2],
    FlagInfo {
        name: "parents",
        usage: "--parents[=<bool>]",
        doc: "Keep the parent directories of each source in the destination \
              (`COPY --parents ./x/a.txt /dst/` creates `/dst/x/a.txt`). A `./` in the source \
              marks where the kept path starts.",
        values: BOOL,
        boolean: true,
        since: Some(
            "introduced in `docker/dockerfile:1.7-labs`; older frontends need `# syntax=docker/dockerfile:1-labs`",
        ),
    },
    COPY_COMMON[3],
];

const ADD_FLAGS: &[FlagInfo] = &[
    COPY_COMMON[0],
    COPY_COMMON[1],
    COPY_COMMON[2],
    COPY_COMMON[3],
    FlagInfo {
        name: "checksum",
        usage: "--checksum=<hash>",
        doc: "Verify a remote source (HTTP or Git) against this checksum: `sha256:<hex>` for a \
              URL, the commit hash for a Git repository. The build fails on a mismatch.",
        values: &[("sha256:", "SHA-256 of the downloaded file")],
        boolean: false,
        since: Some("`docker/dockerfile:1.6` and later"),
    },
    FlagInfo {
        name: "keep-git-dir",
        usage: "--keep-git-dir[=<bool>]",
        doc: "When adding a Git repository, keep its `.git` directory (it is left out by default).",
        values: BOOL,
        boolean: true,
        since: None,
    },
    FlagInfo {
        name: "unpack",
        usage: "--unpack[=<bool>]",
        doc: "Whether to extract a local tar archive (the default) or, for a URL, to extract it \
              too (`--unpack=true`).",
        values: BOOL,
        boolean: true,
        since: Some("a recent `docker/dockerfile:1` frontend"),
    },
];

const RUN_FLAGS: &[FlagInfo] = &[
    FlagInfo {
        name: "mount",
        usage: "--mount=type=<bind|cache|tmpfs|secret|ssh>[,<key>=<value>...]",
        doc: "Mount something while this RUN runs; nothing of it stays in the image. Cache \
              package managers with `type=cache`, read secrets with `type=secret` instead of \
              ARG/ENV, bind files from another stage with `from=`.",
        values: &[],
        boolean: false,
        since: None,
    },
    FlagInfo {
        name: "network",
        usage: "--network=<default|none|host>",
        doc: "The network this command runs with: `none` proves the step needs no network, \
              `host` needs the `network.host` entitlement.",
        values: &[
            ("default", "the default network"),
            ("none", "no network access at all"),
            (
                "host",
                "the host's network (needs `--allow network.host` on the build)",
            ),
        ],
        boolean: false,
        since: None,
    },
    FlagInfo {
        name: "security",
        usage: "--security=<sandbox|insecure>",
        doc: "`insecure` runs the command without the sandbox (like `docker run --privileged`); \
              it needs the `security.insecure` entitlement.",
        values: &[
            ("sandbox", "the default sandbox"),
            (
                "insecure",
                "privileged: needs `--allow security.insecure` on the build",
            ),
        ],
        boolean: false,
        since: None,
    },
];

const HEALTHCHECK_FLAGS: &[FlagInfo] = &[
    FlagInfo {
        name: "interval",
        usage: "--interval=<duration>",
        doc: "Time between checks, counted from the end of the previous one (default `30s`).",
        values: &[("30s", "the default"), ("10s", ""), ("1m", "")],
        boolean: false,
        since: None,
    },
    FlagInfo {
        name: "timeout",
        usage: "--timeout=<duration>",
        doc: "A check that takes longer than this counts as failed (default `30s`).",
        values: &[("30s", "the default"), ("5s", ""), ("10s", "")],
        boolean: false,
        since: None,
    },
    FlagInfo {
        name: "start-period",
        usage: "--start-period=<duration>",
        doc: "Time the container gets to start up: failures in it do not count towards \
              `--retries` (default `0s`).",
        values: &[("0s", "the default"), ("30s", ""), ("1m", "")],
        boolean: false,
        since: None,
    },
    FlagInfo {
        name: "start-interval",
        usage: "--start-interval=<duration>",
        doc: "Time between checks during the start period (default `5s`; Docker Engine 25+).",
        values: &[("5s", "the default"), ("1s", "")],
        boolean: false,
        since: None,
    },
    FlagInfo {
        name: "retries",
        usage: "--retries=<n>",
        doc: "Consecutive failures before the container is reported `unhealthy` (default `3`).",
        values: &[("3", "the default"), ("5", "")],
        boolean: false,
        since: None,
    },
];

/// The flags an instruction accepts.
pub fn flags(kind: InstructionKind) -> &'static [FlagInfo] {
    match kind {
        InstructionKind::From => FROM_FLAGS,
        InstructionKind::Copy => COPY_FLAGS,
        InstructionKind::Add => ADD_FLAGS,
        InstructionKind::Run => RUN_FLAGS,
        InstructionKind::Healthcheck => HEALTHCHECK_FLAGS,
        _ => &[],
    }
}

/// The flag `name` of an instruction.
pub fn flag(kind: InstructionKind, name: &str) -> Option<&'static FlagInfo> {
    flags(kind).iter().find(|f| f.name == name)
}

/// One key of a `--mount` option.
#[derive(Clone, Copy, Debug)]
pub struct MountKey {
    pub name: &'static str,
    /// Other spellings BuildKit accepts.
    pub aliases: &'static [&'static str],
    pub doc: &'static str,
    /// The mount types the key applies to.
    pub types: &'static [&'static str],
    pub values: &'static [(&'static str, &'static str)],
}

/// A `--mount` type.
#[derive(Clone, Copy, Debug)]
pub struct MountType {
    pub name: &'static str,
    pub doc: &'static str,
    pub example: &'static str,
}

pub const MOUNT_TYPES: &[MountType] = &[
    MountType {
        name: "bind",
        doc: "Bind files from the build context or another stage or image, read-only by default \
              (the default type). Saves copying sources into a layer just to build them.",
        example: "RUN --mount=type=bind,source=go.sum,target=go.sum go mod download",
    },
    MountType {
        name: "cache",
        doc: "A directory that persists between builds, for compiler and package-manager caches. \
              Its content is never part of the image.",
        example: "RUN --mount=type=cache,target=/root/.cache/go-build go build ./...",
    },
    MountType {
        name: "tmpfs",
        doc: "An empty in-memory file system for this command.",
        example: "RUN --mount=type=tmpfs,target=/tmp make test",
    },
    MountType {
        name: "secret",
        doc: "A secret passed with `docker build --secret id=...`, as a file (default \
              `/run/secrets/<id>`) or an environment variable (`env=`). Unlike ARG or ENV it \
              never ends up in the image or its history.",
        example: "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci",
    },
    MountType {
        name: "ssh",
        doc: "The SSH agent of the client (`docker build --ssh default`), to clone private \
              repositories without copying keys into the image.",
        example: "RUN --mount=type=ssh git clone git@github.com:org/private.git",
    },
];

const ALL_TYPES: &[&str] = &["bind", "cache", "tmpfs", "secret", "ssh"];

pub const MOUNT_KEYS: &[MountKey] = &[
    MountKey {
        name: "type",
        aliases: &[],
        doc: "The mount type: `bind` (default), `cache`, `tmpfs`, `secret` or `ssh`.",
        types: ALL_TYPES,
        values: &[
            (
                "bind",
                "files from the context, a stage or an image (default)",
            ),
            ("cache", "a persistent cache directory"),
            ("tmpfs", "an in-memory file system"),
            ("secret", "a build secret"),
            ("ssh", "the client's SSH agent"),
        ],
    },
    MountKey {
        name: "target",
        aliases: &["dst", "destination"],
        doc: "Where the mount appears in the RUN container (required for bind, cache and tmpfs).",
        types: ALL_TYPES,
        values: &[],
    },
    MountKey {
        name: "source",
        aliases: &["src"],
        doc: "The path inside `from` (or the build context) to mount; its root by default.",
        types: &["bind", "cache"],
        values: &[],
    },
    MountKey {
        name: "from",
        aliases: &[],
        doc: "The stage, image or named context to mount from (the build context by default; \
              for a cache, the stage that seeds it).",
        types: &["bind", "cache"],
        values: &[],
    },
    MountKey {
        name: "rw",
        aliases: &["readwrite"],
        doc: "Allow writes to a bind mount; they are thrown away after the command.",
        types: &["bind"],
        values: BOOL,
    },
    MountKey {
        name: "id",
        aliases: &[],
        doc: "For a cache: separates caches (default: the target path). For a secret or ssh: \
              the id given to `docker build --secret id=` / `--ssh`.",
        types: &["cache", "secret", "ssh"],
        values: &[],
    },
    MountKey {
        name: "ro",
        aliases: &["readonly"],
        doc: "Mount the cache read-only.",
        types: &["cache"],
        values: BOOL,
    },
    MountKey {
        name: "sharing",
        aliases: &[],
        doc: "How concurrent builds share a cache: `shared` (default), `private` (a new cache \
              when in use) or `locked` (wait; needed for apt).",
        types: &["cache"],
        values: &[
            ("shared", "concurrent writers share it (default)"),
            ("private", "a fresh cache when another build holds it"),
            (
                "locked",
                "wait until the other build releases it (apt, dpkg)",
            ),
        ],
    },
    MountKey {
        name: "mode",
        aliases: &[],
        doc: "File mode of the mount, octal (cache `0755`, secret `0400`, ssh `0600` by default).",
        types: &["cache", "secret", "ssh"],
        values: &[("0755", ""), ("0400", ""), ("0600", "")],
    },
    MountKey {
        name: "uid",
        aliases: &[],
        doc: "Owner user id of the mount (default `0`).",
        types: &["cache", "secret", "ssh"],
        values: &[],
    },
    MountKey {
        name: "gid",
        aliases: &[],
        doc: "Owner group id of the mount (default `0`).",
        types: &["cache", "secret", "ssh"],
        values: &[],
    },
    MountKey {
        name: "size",
        aliases: &[],
        doc: "Size limit of the tmpfs, in bytes.",
        types: &["tmpfs"],
        values: &[],
    },
    MountKey {
        name: "required",
        aliases: &[],
        doc: "Fail the build when the secret or SSH agent is not given (default `false`).",
        types: &["secret", "ssh"],
        values: BOOL,
    },
    MountKey {
        name: "env",
        aliases: &[],
        doc: "Expose the secret as this environment variable instead of (or as well as) a file \
              (dockerfile:1.10+).",
        types: &["secret"],
        values: &[],
    },
];

/// The mount key named `name` (or an alias of it), case-insensitively.
pub fn mount_key(name: &str) -> Option<&'static MountKey> {
    MOUNT_KEYS.iter().find(|k| {
        k.name.eq_ignore_ascii_case(name) || k.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    })
}

pub fn mount_type(name: &str) -> Option<&'static MountType> {
    MOUNT_TYPES
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(name))
}

/// A parser directive.
#[derive(Clone, Copy, Debug)]
pub struct DirectiveInfo {
    pub name: &'static str,
    pub values: &'static [(&'static str, &'static str)],
    pub doc: &'static str,
}

pub const DIRECTIVES: &[DirectiveInfo] = &[
    DirectiveInfo {
        name: "syntax",
        values: &[
            (
                "docker/dockerfile:1",
                "the latest stable 1.x Dockerfile syntax (recommended)",
            ),
            (
                "docker/dockerfile:1-labs",
                "1.x with experimental (labs) features",
            ),
            ("docker/dockerfile:1.7", "pinned to a minor version"),
        ],
        doc: include_str!("hover/docs/syntax.md"),
    },
    DirectiveInfo {
        name: "escape",
        values: &[
            ("\\", "backslash (the default)"),
            ("`", "backtick (for Windows paths)"),
        ],
        doc: include_str!("hover/docs/escape.md"),
    },
    DirectiveInfo {
        name: "check",
        values: &[
            (
                "skip=",
                "skip these checks (comma-separated names, or `all`)",
            ),
            (
                "error=true",
                "fail the build when a check reports a problem",
            ),
            ("skip=all", "skip every check"),
        ],
        doc: include_str!("hover/docs/check.md"),
    },
];

pub fn directive(name: &str) -> Option<&'static DirectiveInfo> {
    DIRECTIVES
        .iter()
        .find(|d| d.name.eq_ignore_ascii_case(name))
}

/// Signals for STOPSIGNAL (`(name, doc)`).
pub const SIGNALS: &[(&str, &str)] = &[
    ("SIGTERM", "the default: ask the process to terminate"),
    ("SIGINT", "interrupt, as Ctrl-C"),
    ("SIGQUIT", "quit (nginx: graceful shutdown)"),
    ("SIGHUP", "hang up"),
    ("SIGKILL", "kill, cannot be handled"),
    ("SIGUSR1", "user-defined signal 1"),
    ("SIGUSR2", "user-defined signal 2"),
    ("SIGWINCH", "window change (httpd: graceful stop)"),
    ("SIGRTMIN+3", "systemd's shutdown signal"),
];

/// EXPOSE protocols.
pub const PROTOCOLS: &[(&str, &str)] = &[("tcp", "TCP (the default)"), ("udp", "UDP")];

/// HEALTHCHECK forms.
pub const HEALTHCHECK_KINDS: &[(&str, &str)] = &[
    (
        "CMD",
        "run this command to check the container's health (exit 0: healthy, 1: unhealthy)",
    ),
    (
        "NONE",
        "disable any health check inherited from the base image",
    ),
];

/// Common official base images (`(name, what it is)`), shipped in the binary.
pub const BASE_IMAGES: &[(&str, &str)] = &[
    ("alpine", "small musl-based Linux (about 8 MB)"),
    ("debian", "Debian"),
    ("ubuntu", "Ubuntu"),
    ("busybox", "tiny userland"),
    ("scratch", "the empty image: nothing but what you copy in"),
    (
        "gcr.io/distroless/static-debian12",
        "distroless: no shell, no package manager (static binaries)",
    ),
    (
        "gcr.io/distroless/base-debian12",
        "distroless with glibc and OpenSSL",
    ),
    ("golang", "Go toolchain"),
    ("rust", "Rust toolchain"),
    ("node", "Node.js"),
    ("python", "Python"),
    ("openjdk", "OpenJDK (deprecated: use eclipse-temurin)"),
    ("eclipse-temurin", "Eclipse Temurin JDK/JRE"),
    ("maven", "Apache Maven"),
    ("gradle", "Gradle"),
    ("ruby", "Ruby"),
    ("php", "PHP"),
    ("perl", "Perl"),
    ("mcr.microsoft.com/dotnet/sdk", ".NET SDK"),
    ("mcr.microsoft.com/dotnet/aspnet", "ASP.NET Core runtime"),
    ("nginx", "nginx web server"),
    ("httpd", "Apache HTTP Server"),
    ("caddy", "Caddy web server"),
    ("traefik", "Traefik proxy"),
    ("postgres", "PostgreSQL"),
    ("mysql", "MySQL"),
    ("mariadb", "MariaDB"),
    ("redis", "Redis"),
    ("mongo", "MongoDB"),
    ("rabbitmq", "RabbitMQ"),
    ("elixir", "Elixir"),
    ("erlang", "Erlang/OTP"),
    ("haskell", "Haskell (GHC)"),
    ("gcc", "GCC"),
    ("docker", "Docker in Docker"),
    ("fedora", "Fedora"),
    ("rockylinux", "Rocky Linux"),
    ("amazonlinux", "Amazon Linux"),
    ("archlinux", "Arch Linux"),
    ("bash", "Bash on Alpine"),
];

/// Whether the instruction's keyword is deprecated.
pub fn deprecated(kind: InstructionKind) -> bool {
    kind == InstructionKind::Maintainer
}
