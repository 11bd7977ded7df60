#!/usr/bin/env bash
# Run a server command with the task worker (`manage.py worker`) beside it: `make run` and
# `make serve`. Ctrl-C stops both (the worker finishes the task it runs first; a second Ctrl-C
# stops it at once, and the task is run again at the next start). When the server stops by
# itself, the worker is asked to stop too.
set -euo pipefail
cd "$(dirname "$0")/.."

.venv/bin/python manage.py worker &
worker=$!
interrupted=""

stop_worker() {
  if kill -0 "$worker" 2>/dev/null; then
    # Ctrl-C reached the worker with the server (one process group); otherwise ask it here.
    [ -n "$interrupted" ] || kill -TERM "$worker" 2>/dev/null || true
    wait "$worker" 2>/dev/null || true
  fi
}
trap stop_worker EXIT
trap 'interrupted=1; exit 0' INT  # Ctrl-C is the way to stop: no error

"$@"
