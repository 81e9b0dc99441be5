FROM alpine:3.20
# hadolint ignore=DL3018,DL3059
                  |
                         |
RUN apk add curl
# docksmith ignore=UndefinedVar
                    |
RUN echo $X \
# hadolint ignore=NotARule
                   |
  && true
