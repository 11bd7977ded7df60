#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh: the database, the uploaded documents and the
# spreadsheet jobs' files, where the service's environment says they are. Stop the service
# first (systemctl stop jumelage), start it again after. The folders found in place are kept
# aside, renamed "<folder>.before-restore-<date>". The page cache is not emptied: the page
# generations it holds are dropped, and the restored database's come back (core/cache.py).
#     scripts/restore.sh /var/backups/jumelage/2026-06-30
# docs/operators.md ("Backups") explains it; tests/test_backup_restore.py runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
source=${1:?"Name the folder of the backup to restore, e.g. scripts/restore.sh /var/backups/jumelage/2026-06-30"}
python=${PYTHON:-.venv/bin/python}
eval "$("$python" scripts/instance-paths.py)"

case "$engine" in
  sqlite3)
    if [ ! -f "$source/database.sqlite3" ]; then
      echo "$source holds no SQLite database (database.sqlite3): is it a backup of this instance?" >&2
      exit 1
    fi
    mkdir -p "$(dirname "$db_name")"
    # SQLite's backup, the other way round: the whole database replaced under its lock. The
    # same as: sqlite3 DB ".restore FILE".
    "$python" -c 'import sqlite3, sys
copy, database = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
copy.backup(database)
database.close()' "$source/database.sqlite3" "$db_name"
    ;;
  postgresql)
    if [ ! -f "$source/database.dump" ]; then
      echo "$source holds no PostgreSQL dump (database.dump): is it a backup of this instance?" >&2
      exit 1
    fi
    export PGDATABASE="$db_name"
    [ -n "$db_host" ] && export PGHOST="$db_host"
    [ -n "$db_port" ] && export PGPORT="$db_port"
    [ -n "$db_user" ] && export PGUSER="$db_user"
    [ -n "$db_password" ] && export PGPASSWORD="$db_password"
    # Tables dropped and restored in one transaction: on an error nothing has changed.
    pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error \
      --dbname="$db_name" "$source/database.dump"
    ;;
esac

stamp=$(date +%Y%m%d-%H%M%S)
restore_folder() {  # restore_folder ARCHIVE FOLDER
  [ -f "$1" ] || return 0
  if [ -e "$2" ]; then mv "$2" "$2.before-restore-$stamp"; fi
  mkdir -p "$2"
  tar -C "$2" -xzf "$1"
}
restore_folder "$source/media.tar.gz" "$media_root"
restore_folder "$source/spreadsheets.tar.gz" "$work_dir"
"$python" manage.py expire_page_generations --verbosity 0
echo "Backup $source restored. Run manage.py migrate if the code is newer than the backup."
