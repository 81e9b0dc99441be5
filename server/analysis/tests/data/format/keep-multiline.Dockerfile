# format: keep-multiline
  run  apt-get update && \
        apt-get install x \
  y   
from   x
