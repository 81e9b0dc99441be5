#!/usr/bin/env bash
# Picked up by tests/run.sh; the test itself lives in tests/neovim/.
exec bash "$(dirname "$0")/../neovim/run.sh" "$@"
