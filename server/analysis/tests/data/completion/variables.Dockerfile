ARG GO_VERSION=1.22
ARG REGISTRY
FROM ${REGISTRY}golang:${
                         |
ARG GO_VERSION
ARG 
    |
ENV CGO_ENABLED=0
RUN echo $
          |
RUN echo $CGO
             |
WORKDIR /src/${GO
                 |
FROM golang AS build
ENV GOFLAGS=-mod=vendor
FROM build AS next
ENV PATH=/x:$
             |
RUN cat <<EOF
$
 |
EOF
