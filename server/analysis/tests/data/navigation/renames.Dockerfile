ARG VERSION=1.0
    | rename APP_VERSION
FROM alpine:${VERSION} AS one
ARG VERSION
RUN echo $VERSION
          | rename 9lives
          | rename HOME_DIR
          | rename VERSION
          | rename TARGETOS
ENV HOME_DIR=/root

FROM one AS two
ENV X=1 Y=$X
           | definition
    | rename Z
    | rename Y
ARG STAGE=one
COPY --from=$STAGE / /
              | definition
             | definition

FROM two
COPY --from=one / /
            | rename uno
            | rename debian
COPY --from=two / /
            | rename busybox
RUN --mount=from=busybox,target=/b true

FROM debian
