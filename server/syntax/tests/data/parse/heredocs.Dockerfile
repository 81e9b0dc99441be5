FROM alpine
RUN <<EOF bash
echo $HOME
EOF
COPY <<-"A" <<B /dst/
	literal $X
	A
expanded ${Y:-default}
B
ONBUILD RUN <<EOT
hi
EOT
