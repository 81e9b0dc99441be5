# syntax=docker/dockerfile:1
ARG GO_VERSION=1.22
# a comment
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
RUN --mount=type=cache,target=/root/.cache \
    # inside
    go build -o /out/app ./...
COPY <<EOF /etc/motd
hello $USER
EOF
FROM gcr.io/distroless/static AS final
COPY --from=build --chmod=755 /out/app /app
ENV PATH="/app:$PATH" MODE=prod
LABEL org.opencontainers.image.title="ünïcode"
EXPOSE 8080/tcp 53
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=5s CMD ["/app", "health"]
ONBUILD RUN echo $TARGETARCH
MAINTAINER someone
ENTRYPOINT ["/app"]
