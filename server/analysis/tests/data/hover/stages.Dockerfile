FROM golang:1.22 AS build
                    |
WORKDIR /src
RUN go build -o /out/app .

FROM build AS test
     |
RUN go test ./...

FROM alpine:3.20 AS unused

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
             |
COPY --from=0 /out/app /app2
            |
ENTRYPOINT ["/app"]
