# syntax=docker/dockerfile:1
  |
# escape=\
# check=skip=JSONArgsRecommended,StageNameCasing
             |
                                   |
ARG BASE=alpine
|
FROM ${BASE}:3.20 AS base
|
RUN apk add --no-cache curl
|
copy a /a
 |
ONBUILD RUN make
        |
MAINTAINER someone
|
HEALTHCHECK --interval=5s CMD curl -f http://localhost/ || exit 1
                          |
HEALTHCHECK NONE
            |
EXPOSE 80/tcp
|
STOPSIGNAL SIGQUIT
|
FOO bar
|
