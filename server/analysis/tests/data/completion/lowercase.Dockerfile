from alpine as base
run echo hi
copy a b

|
from base
   |
