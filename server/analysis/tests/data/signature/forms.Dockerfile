FROM --platform=linux/amd64 golang:1.22 AS build
        |
                             |
                                         |
COPY --from=build /out/app /usr/local/bin/
       |
                  |
                           |
COPY ["a b", "/dst/"]
       |
RUN --mount=type=cache,target=/x go build
                                 |
RUN ["make", "all"]
     |
HEALTHCHECK --interval=5s CMD curl -f http://x/
             |
                          |
                              |
HEALTHCHECK NONE
            |
CMD ["nginx", "-g", "daemon off;"]
     |
CMD nginx
    |
ENTRYPOINT 
           |
ONBUILD COPY . /src
             |
USER app:app
     |
EXPOSE 80 443/udp
          |
RUN apt-get install \
    curl
    |
COP
  |
