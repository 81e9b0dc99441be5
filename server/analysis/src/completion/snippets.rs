//! The snippet each instruction keyword completes to (LSP snippet syntax).

use docksmith_syntax::InstructionKind;

/// The snippet for `kind`; it starts with the keyword in upper case.
pub fn keyword(kind: InstructionKind) -> &'static str {
    use InstructionKind as K;
    match kind {
        K::Add => "ADD ${1:src} ${2:dest}",
        K::Arg => "ARG ${1:name}",
        K::Cmd => "CMD [\"${1:executable}\"]",
        K::Copy => "COPY ${1:src} ${2:dest}",
        K::Entrypoint => "ENTRYPOINT [\"${1:executable}\"]",
        K::Env => "ENV ${1:key}=${2:value}",
        K::Expose => "EXPOSE ${1:port}",
        K::From => "FROM ${1:image}",
        K::Healthcheck => "HEALTHCHECK --interval=${1:30s} CMD ${2:command}",
        K::Label => "LABEL ${1:key}=${2:value}",
        K::Maintainer => "MAINTAINER ${1:name}",
        K::Onbuild => "ONBUILD ${1:INSTRUCTION}",
        K::Run => "RUN ${1:command}",
        K::Shell => "SHELL [\"${1:/bin/sh}\", \"${2:-c}\"]",
        K::Stopsignal => "STOPSIGNAL ${1:SIGTERM}",
        K::User => "USER ${1:user}",
        K::Volume => "VOLUME [\"${1:/data}\"]",
        K::Workdir => "WORKDIR ${1:/path}",
        K::Unknown => "",
    }
}
