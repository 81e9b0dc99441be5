//! Documentation of lint rules, for hover and completion inside `# check=skip=`,
//! `# hadolint ignore=` and `# docksmith ignore=`.
//!
//! The diagnostics engine owns the rules registry. Until it is available here this module
//! carries a short list of its own (BuildKit's check names and common hadolint codes);
//! hooking the registry in means replacing the bodies of [`lookup`] and [`all`].

/// What hover and completion show about a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleDoc {
    pub name: String,
    pub summary: String,
    /// Longer documentation (Markdown), when the registry has it.
    pub docs: Option<String>,
    pub url: Option<String>,
    /// `buildkit`, `hadolint` or `docksmith`.
    pub origin: &'static str,
}

const BUILDKIT: &[(&str, &str, &str)] = &[
    (
        "StageNameCasing",
        "Stage names should be lowercase.",
        "stage-name-casing",
    ),
    (
        "FromAsCasing",
        "The `AS` keyword should have the same case as `FROM`.",
        "from-as-casing",
    ),
    (
        "NoEmptyContinuation",
        "Empty lines inside a continued instruction will become an error.",
        "no-empty-continuation",
    ),
    (
        "ConsistentInstructionCasing",
        "Instructions should all be upper case or all lower case.",
        "consistent-instruction-casing",
    ),
    (
        "DuplicateStageName",
        "Two stages have the same name.",
        "duplicate-stage-name",
    ),
    (
        "ReservedStageName",
        "A stage is named with a reserved word (`scratch`, `context`).",
        "reserved-stage-name",
    ),
    (
        "JSONArgsRecommended",
        "Use the exec (JSON) form for ENTRYPOINT and CMD so that the process receives signals.",
        "json-args-recommended",
    ),
    (
        "MaintainerDeprecated",
        "MAINTAINER is deprecated: use `LABEL org.opencontainers.image.authors=...`.",
        "maintainer-deprecated",
    ),
    (
        "UndefinedArgInFrom",
        "A FROM line uses an ARG that is not declared before the first FROM.",
        "undefined-arg-in-from",
    ),
    (
        "WorkdirRelativePath",
        "A relative WORKDIR depends on the base image's working directory.",
        "workdir-relative-path",
    ),
    (
        "UndefinedVar",
        "A variable is used before it is defined.",
        "undefined-var",
    ),
    (
        "MultipleInstructionsDisallowed",
        "Only the last CMD, ENTRYPOINT or HEALTHCHECK of a stage takes effect.",
        "multiple-instructions-disallowed",
    ),
    (
        "LegacyKeyValueFormat",
        "Write `ENV key=value` instead of the legacy `ENV key value`.",
        "legacy-key-value-format",
    ),
    (
        "InvalidBaseImagePlatform",
        "The base image has no variant for the platform being built.",
        "",
    ),
    (
        "RedundantTargetPlatform",
        "`--platform=$TARGETPLATFORM` is the default and can be left out.",
        "redundant-target-platform",
    ),
    (
        "SecretsUsedInArgOrEnv",
        "A secret-looking name is set with ARG or ENV, which end up in the image: use `RUN --mount=type=secret`.",
        "secrets-used-in-arg-or-env",
    ),
    (
        "InvalidDefaultArgInFrom",
        "The default value of a global ARG gives an empty or invalid base image name.",
        "invalid-default-arg-in-from",
    ),
    (
        "FromPlatformFlagConstDisallowed",
        "`FROM --platform` should not be a constant; use `$BUILDPLATFORM` or `$TARGETPLATFORM`.",
        "from-platform-flag-const-disallowed",
    ),
    (
        "CopyIgnoredFile",
        "A COPY or ADD source is excluded by `.dockerignore`.",
        "copy-ignored-file",
    ),
    (
        "InvalidDefinitionDescription",
        "A comment right above a stage or ARG should read `# <name> <description>`.",
        "invalid-definition-description",
    ),
    (
        "ExposeProtoCasing",
        "EXPOSE protocols should be lower case.",
        "expose-proto-casing",
    ),
    (
        "ExposeInvalidFormat",
        "EXPOSE takes ports only, no IP address or host-port mapping.",
        "expose-invalid-format",
    ),
];

const HADOLINT: &[(&str, &str)] = &[
    ("DL3000", "Use an absolute WORKDIR."),
    ("DL3002", "The last USER should not be root."),
    ("DL3003", "Use WORKDIR to switch directories, not `cd`."),
    ("DL3004", "Do not use `sudo`."),
    ("DL3006", "Always tag the version of an image."),
    ("DL3007", "Do not use the `latest` tag."),
    ("DL3008", "Pin versions in `apt-get install`."),
    ("DL3009", "Delete the apt lists after installing."),
    ("DL3013", "Pin versions in `pip install`."),
    (
        "DL3015",
        "Use `--no-install-recommends` with `apt-get install`.",
    ),
    ("DL3016", "Pin versions in `npm install`."),
    ("DL3018", "Pin versions in `apk add`."),
    ("DL3020", "Use COPY instead of ADD for files and folders."),
    ("DL3025", "Use the JSON form for CMD and ENTRYPOINT."),
    ("DL3042", "Use `pip install --no-cache-dir`."),
    ("DL3059", "Consolidate consecutive RUN instructions."),
    ("DL4006", "Set `-o pipefail` before RUN with a pipe."),
];

/// The rule named `name` (case-insensitive), from the registry.
pub fn lookup(name: &str) -> Option<RuleDoc> {
    all()
        .into_iter()
        .find(|r| r.name.eq_ignore_ascii_case(name))
}

/// Every rule the registry knows, for completion.
pub fn all() -> Vec<RuleDoc> {
    let mut out: Vec<RuleDoc> = BUILDKIT
        .iter()
        .map(|(name, summary, slug)| RuleDoc {
            name: (*name).to_string(),
            summary: (*summary).to_string(),
            docs: None,
            url: (!slug.is_empty())
                .then(|| format!("https://docs.docker.com/go/dockerfile/rule/{slug}/")),
            origin: "buildkit",
        })
        .collect();
    out.extend(HADOLINT.iter().map(|(code, summary)| RuleDoc {
        name: (*code).to_string(),
        summary: (*summary).to_string(),
        docs: None,
        url: Some(format!("https://github.com/hadolint/hadolint/wiki/{code}")),
        origin: "hadolint",
    }));
    out
}

/// The rule's documentation as Markdown.
pub fn markdown(r: &RuleDoc) -> String {
    let mut s = format!("**{}** ({} rule)\n\n{}", r.name, r.origin, r.summary);
    if let Some(d) = &r.docs {
        s.push_str("\n\n");
        s.push_str(d);
    }
    if let Some(u) = &r.url {
        s.push_str(&format!("\n\n[Documentation]({u})"));
    }
    s
}
