# syntax=
         |
# check=skip=JSONArgs,
                      |
# escape=
         |
# 
  |
FROM alpine
# hadolint ignore=DL30
                      |
RUN true
# just a comment
                |
