# format: indent=tab case=lower
FROM alpine
RUN a \
    b \
  c
Copy . .
