FROM golang:1.22 AS build
FROM alpine AS other
FROM --platform=
                |
FROM scratch AS final
COPY --from=
            |
COPY --from=b /a /b
             |
RUN --network=
              |
RUN --security=
               |
COPY --link=
            |
STOPSIGNAL 
           |
EXPOSE 80/
          |
HEALTHCHECK --retries=3 
                        |
FROM 
     |
FROM alpine 
            |
