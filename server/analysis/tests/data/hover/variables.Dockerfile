ARG GO_VERSION=1.22
    |
ARG REGISTRY
FROM ${REGISTRY}golang:${GO_VERSION} AS build
        |
                          |
ARG GO_VERSION
    |
ARG TARGETARCH
ENV CGO_ENABLED=0 GOARCH=${TARGETARCH}
                          |
RUN echo $GO_VERSION $CGO_ENABLED $HOME $TARGETOS
          |
                      |
                                   |
                                        |
FROM build
RUN echo $CGO_ENABLED $GO_VERSION
          |
                       |
