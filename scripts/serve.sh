#!/usr/bin/env bash
# `make serve`: the production server as docs/operators.md describes it, on one host: gunicorn
# (config/gunicorn.py, PORT and HOST from the environment) with the task worker beside it, after
# the migrations and collectstatic. Every setting comes from the environment; this refuses to
# start without the production ones, and says which are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
case "${DEBUG:-}" in
  0|false|False|FALSE|no|off) ;;
  *) missing+=("DEBUG=false") ;;
esac
[ -n "${SECRET_KEY:-}" ] || missing+=("SECRET_KEY (a random value of at least 50 characters)")
[ -n "${ALLOWED_HOSTS:-}" ] || missing+=("ALLOWED_HOSTS (the site's host names, comma-separated)")
if [ ${#missing[@]} -gt 0 ]; then
  {
    printf 'make serve runs the production server: set '
    first=1
    for item in "${missing[@]}"; do
      [ $first = 1 ] || printf ', '
      printf '%s' "$item"; first=0
    done
    printf ' in its environment, for example:\n'
    printf '  DEBUG=false SECRET_KEY=$(python3 -c "import secrets; print(secrets.token_urlsafe(60))") ALLOWED_HOSTS=jumelage.example.org make serve\n'
    printf 'To try Jumelage on this computer, use make run. See docs/operators.md.\n'
  } >&2
  exit 2
fi

.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py collectstatic --no-input -v0
redirect="${SECURE_SSL_REDIRECT:-true}"
if [ "${BEHIND_PROXY:-false}" != true ] && [ "$redirect" != false ]; then
  echo "Note: plain HTTP requests are redirected to HTTPS (SECURE_SSL_REDIRECT): put an HTTPS" \
    "proxy in front and set BEHIND_PROXY=true (docs/operators.md)." >&2
fi
echo "Jumelage (gunicorn) listens on ${HOST:-127.0.0.1}:${PORT:-8000}; the task worker runs beside it." >&2
exec scripts/with-worker.sh .venv/bin/gunicorn -c config/gunicorn.py config.wsgi:application
