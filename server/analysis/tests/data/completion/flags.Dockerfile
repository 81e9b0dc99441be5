FROM --
       |
FROM alpine AS build
FROM alpine
COPY --
       |
COPY --from=build --ch
                      |
COPY 
     |
ADD --
      |
RUN --mount=type=cache,target=/x \
    --
      |
HEALTHCHECK --
              |
HEALTHCHECK --interval=5s 
                          |
