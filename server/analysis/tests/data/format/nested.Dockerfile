# Nesting is kept: each distinct indentation of an instruction is one more level.
FROM debian
RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends \
		ca-certificates \
		curl \
	; \
	rm -rf /var/lib/apt/lists/*
RUN apt-get update \
  && apt-get install -y \
       git \
  && true
RUN a \
 b \
  c \
   d \
    e \
     f \
      g \
       h \
        i \
         j \
          k
