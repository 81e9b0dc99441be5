FROM alpine
CMD ["a", 1]
ENV PATH
LABEL a=b c
FROBNICATE now
RUN <<EOF
never ends
