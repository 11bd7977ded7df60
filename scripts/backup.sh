#!/usr/bin/env bash
# Back up the instance into a new folder: the database (a consistent copy, taken while the
# instance runs), the uploaded documents (MEDIA_ROOT) and the spreadsheet jobs' files
# (SPREADSHEET_WORK_DIR). Run it from the application's folder, with the service's environment:
#     scripts/backup.sh /var/backups/jumelage/$(date +%F)
# docs/operators.md ("Backups") explains it; tests/test_backup_restore.py runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?"Name the folder to write the backup to, e.g. scripts/backup.sh /var/backups/jumelage/\$(date +%F)"}
python=${PYTHON:-.venv/bin/python}
if [ -e "$target" ] && [ -n "$(ls -A "$target")" ]; then
  echo "$target already holds files: name a new folder for this backup." >&2
  exit 1
fi
mkdir -p "$target"
eval "$("$python" scripts/instance-paths.py)"

case "$engine" in
  sqlite3)
    # SQLite's online backup: a consistent copy even while the instance writes (a plain copy
    # of the file during a write can be torn). The same as: sqlite3 DB ".backup FILE".
    "$python" -c 'import sqlite3, sys
source, copy = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
source.backup(copy)
copy.close()' "$db_name" "$target/database.sqlite3"
    ;;
  postgresql)
    # pg_dump reads one snapshot of the database: consistent while the instance runs.
    export PGDATABASE="$db_name"
    [ -n "$db_host" ] && export PGHOST="$db_host"
    [ -n "$db_port" ] && export PGPORT="$db_port"
    [ -n "$db_user" ] && export PGUSER="$db_user"
    [ -n "$db_password" ] && export PGPASSWORD="$db_password"
    pg_dump --format=custom --file="$target/database.dump"
    ;;
esac

# The folders, by their content (so that a restore may put them elsewhere).
if [ -d "$media_root" ]; then tar -C "$media_root" -czf "$target/media.tar.gz" .; fi
if [ -d "$work_dir" ]; then tar -C "$work_dir" -czf "$target/spreadsheets.tar.gz" .; fi

{
  echo "date: $(date -u +%FT%TZ)"
  echo "database: $engine"
  echo "code: $(git rev-parse HEAD 2>/dev/null || echo unknown)"
} >"$target/backup-info.txt"
echo "Backup written to $target."
