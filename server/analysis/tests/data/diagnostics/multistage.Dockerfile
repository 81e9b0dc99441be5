ARG BASE=alpine:3.20
FROM ${BASE} AS deps
WORKDIR app
RUN --mount=type=cache,target=/root/.cache --network=bridge true
COPY --from=deps /a /b
FROM deps AS build
COPY --from=biuld /out /out
COPY --form=deps /x /y
HEALTHCHECK --interval=5 CMD true
FROM --platform=$TARGETPLATFORM scratch AS Final
COPY --from=build /out /
EXPOSE 80/TCP 8080:80 abc
STOPSIGNAL SIGTERN
ONBUILD FROM x
