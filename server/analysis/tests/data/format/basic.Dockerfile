# A comment stays as written, indentation before it goes.
from   alpine:3.20   as   build
  run apk add --no-cache curl   
    # indented comment
   
copy   --from=build    --chown=1:1   /a   /b
Expose  80   443/tcp
workdir   /src  
env A=1    B=2
env LEGACY   some value  with  spaces
label  a=b   c="d  e"
arg   X=1   Y
cmd   ["sh",   "-c",  "echo  hi"]
entrypoint    /bin/sh   -c   "a    b"
healthcheck   --interval=5s    CMD   curl  -f  http://x/
onbuild   run   echo   hi
FROBNICATE   keep me
maintainer  me
stopsignal   SIGTERM
user   app
volume   /a   /b
shell   ["/bin/bash",  "-c"]
