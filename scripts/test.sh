#!/usr/bin/env bash
# Run the suite on every database this machine offers: SQLite always, PostgreSQL when it answers.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
workers="${PYTEST_WORKERS:-auto}"

run() {
  echo "== pytest on $1 =="
  DATABASE_URL="$2" "$PY" -m pytest -n "$workers" -p no:cacheprovider "${@:3}"
}

if [ -n "${DATABASE_URL:-}" ]; then
  run "DATABASE_URL" "$DATABASE_URL" "$@"
  exit
fi

pg_url="${PG_URL:-postgres://postgres@127.0.0.1:5432/motcua}"
if "$PY" -c 'import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(("127.0.0.1",5432)))' 2>/dev/null; then
  run "PostgreSQL" "$pg_url" "$@"
else
  echo "== PostgreSQL not answering on 127.0.0.1:5432: running on SQLite only =="
fi
run "SQLite" "sqlite:///:memory:" "$@"
