FROM debian
RUN apt-get update \
apt-get install -y \
        curl \
	wget \
  # a comment inside the continuation

    
  git
RUN echo foo\
bar
RUN echo "a long \
       quoted string" && \
  echo 'single \
   quoted' && \
  echo done
RUN echo it\"s \
   still quoted" \   
x
COPY --from=build \
  --chown=app:app \
      /src /dst
RUN \
make
CMD ["a", \
  "b"]
