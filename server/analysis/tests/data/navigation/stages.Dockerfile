# syntax=docker/dockerfile:1
ARG GO_VERSION=1.22
ARG ALPINE=3.20
FROM golang:${GO_VERSION}-alpine AS Builder
                                       | references+decl
                | definition
WORKDIR /src
RUN --mount=type=cache,target=/root/.cache go build -o /out/app .

FROM node:20 AS node
      | definition
                 | references
RUN npm ci

FROM node AS web
       | definition
COPY --from=builder /out/app /usr/local/bin/app
               | definition
COPY --from=0 /out/app /app2
            | definition
            | prepare-rename
RUN --mount=from=BUILDER,source=/out,target=/in ls /in
                 | highlight

FROM later AS early
      | definition
COPY --from=later / /
             | definition

FROM alpine:${ALPINE} AS later
                         | references+decl
RUN true

FROM scratch
COPY --from=web / /
COPY --from=builder / /
              | rename compiler
              | rename Compiler
              | rename 1st
              | rename web
              | rename alpine
              | rename scratch
