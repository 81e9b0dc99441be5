# check=skip=JSONArgsRecommended,NoSuchRule;error=true
# hadolint global ignore=DL4000
FROM alpine as Build
MAINTAINER someone
# docksmith ignore=LegacyKeyValueFormat
ENV A 1
ENV B 2
# hadolint ignore=DL3024,SC2086,DL9999
FROM alpine AS build
# check=skip=all // only this instruction
ENV secret_token=x
ENV api_token=y
CMD run it
COPY a b /c
# docksmith ignore=all
COPY a b /d
