ARG VERSION=1.0
ARG UNUSED
ARG TAG=${VERSION:-0}-slim
FROM debian:${TAG} AS base
               | definition
               | references+decl
ARG VERSION
    | definition
ENV APP_HOME=/opt/app
RUN echo "$VERSION" > "$APP_HOME/version"
            | definition
                        | definition
                        | highlight
WORKDIR $APP_HOME

FROM base AS second
RUN echo $APP_HOME $VERSION
           | definition
                     | definition
ARG VERSION=2.0
RUN echo ${VERSION}
           | definition
           | references

FROM --platform=$BUILDPLATFORM base AS cross
                   | definition
                   | prepare-rename
ARG TARGETARCH
RUN echo $TARGETARCH
          | rename ARCH
ENV PATH=$APP_HOME/bin:$PATH
    | highlight
          | rename APP_DIR
