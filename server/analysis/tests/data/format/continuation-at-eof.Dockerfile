FROM a
RUN b \
