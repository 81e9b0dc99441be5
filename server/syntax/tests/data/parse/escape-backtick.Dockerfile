# syntax=docker/dockerfile:1
# escape=`
FROM mcr.microsoft.com/windows/servercore AS base
RUN dir `
  # a comment inside

  c:\\ 
COPY --chown=app:app ["a b.txt", "c:\\dst\\"]
