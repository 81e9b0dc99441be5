FROM alpine
run <<EOF bash   
   indented body stays
	tabs too  
EOF
copy <<-"A" <<B /dst/
	literal $X
	A
  expanded ${Y:-default}
B
RUN <<EOT cat && \
<<EOT2 cat
abc
EOT
def
EOT2
RUN <<UNTERMINATED
  never   ends
