FROM nginx:1.27 AS web
ENTRYPOINT ["/docker-entrypoint.sh"]
|
CMD ["nginx", "-g", "daemon off;"]
|

FROM web AS child
CMD nginx -g "daemon off;"
|

FROM web AS reset
ENTRYPOINT ["/usr/bin/tini", "--"]
 |

FROM python:3.12-slim AS app
CMD ["python", "app.py"]
|
ENTRYPOINT python -m app
|
CMD ["gunicorn", "app:app"]
 |

FROM alpine
SHELL ["/bin/ash", "-eo", "pipefail", "-c"]
CMD echo hello && sleep 5
|
