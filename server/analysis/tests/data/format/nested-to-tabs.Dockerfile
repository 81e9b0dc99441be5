# format: indent=tab
FROM debian
RUN apt-get update \
    && apt-get install -y \
        git \
        curl \
    && true
