# syntax=docker/dockerfile:1

|
AR
  |
ARG BASE=alpine
FROM $BASE AS base
RU
  |
ONBUILD C
         |

|
