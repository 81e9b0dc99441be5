# format: case=majority
from alpine
run a
COPY . .
Workdir /x
onbuild RUN x
