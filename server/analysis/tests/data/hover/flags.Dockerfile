FROM --platform=$BUILDPLATFORM golang:1.22 AS build
      |
RUN --mount=type=cache,target=/root/.cache/go-build,sharing=locked \
      |
                  |
                          |
                                                    |
    --mount=type=secret,id=npmrc,dst=/root/.npmrc,uid=1000 \
                                 |
    --mount=type=tmpfs,sharing=shared \
                       |
    --network=none --security=insecure go build ./...
               |
                            |
FROM scratch
COPY --from=build --chown=app:app --chmod=755 --link --parents --exclude=*.md /out /
                  |
                                  |
                                               |
                                                      |
                                                                |
ADD --checksum=sha256:abc --keep-git-dir=true https://example.com/x.git /src
     |
                            |
COPY --from=nginx:latest /etc/nginx/nginx.conf /etc/nginx/
            |
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --start-interval=1s --retries=3 CMD true
             |
                            |
                                         |
                                                            |
                                                                              |
COPY --bogus=1 a b
      |
