FROM alpine AS base
CMD ["sh"]
FROM later AS early
RUN --mount=type=cache,target=/c --mount=from=base,source=/x,target=/y make
FROM base AS later
ENTRYPOINT ["/entry"]
FROM scratch
COPY --from=LATER / /
COPY --from=$DYNAMIC / /
FROM base AS dup
FROM base AS dup
FROM --platform=$BUILDPLATFORM base
