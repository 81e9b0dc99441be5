FROM alpine AS dup
               | references+decl
FROM alpine AS DUP
               | references+decl
               | definition
FROM dup
     | definition
COPY --from=Dup / /
            | highlight
FROM alpine AS unnamed-next
FROM scratch
COPY --from=4 / /
            | definition
COPY --from=2 / /
COPY --from=9 / /
            | definition
