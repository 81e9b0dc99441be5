ARG GO_VERSION=1.22
ARG BASE=alpine
ARG UNUSED
FROM golang:${GO_VERSION}-alpine AS build
# A global ARG is not visible in a stage until it is declared again.
RUN echo $GO_VERSION
ARG GO_VERSION
RUN echo $GO_VERSION $HOME $http_proxy
ENV APP=/src DIR=$APP
WORKDIR $APP
FROM ${BASE}:3.20 AS Runtime
COPY --from=build /out /usr/bin/app
COPY --from=0 /etc/passwd /etc/passwd
COPY --from=nginx:latest /etc/nginx /etc/nginx
FROM runtime AS final
ENV PORT=${PORT:-8080}
USER app
WORKDIR sub
ENTRYPOINT ["/usr/bin/app"]
CMD --port=$PORT
