FROM alpine
     |
FROM nginx:latest
       |
FROM ghcr.io/org/app:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
        |
FROM myorg/tool:2
     |
FROM scratch
     |
ARG V
FROM node:$V
     |
