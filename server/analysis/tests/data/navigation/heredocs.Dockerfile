# First comment
# second comment
FROM alpine
RUN <<EOF
       | references+decl
set -e
echo hi
EOF
 | definition
COPY <<-"CONF" /etc/app.conf
         | rename SETTINGS
	key=value
	CONF
 | highlight
RUN apk add \
      curl \
        | selection
      git
HEALTHCHECK --interval=5s CMD wget -q -O- http://localhost/ || exit 1
                                                 | selection
