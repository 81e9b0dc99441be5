FROM a
ENV A=1 \
    B="two words" \
    C=${A:+x}
ARG V=1 W
WORKDIR /app/$V
EXPOSE 80/tcp 443
HEALTHCHECK --interval=5s --retries=3 CMD ["curl", "-f", "http://localhost/"]
RUN echo \

  done