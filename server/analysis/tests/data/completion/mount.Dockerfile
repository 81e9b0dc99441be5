FROM golang AS deps
FROM alpine
RUN --mount=
            |
RUN --mount=type=
                 |
RUN --mount=type=cache,
                       |
RUN --mount=type=cache,sharing=
                               |
RUN --mount=type=bind,from=
                           |
RUN --mount=type=secret,id=x,
                             |
