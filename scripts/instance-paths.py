"""Print, as shell assignments, where the instance keeps its data: the database (from
DATABASE_URL), MEDIA_ROOT and SPREADSHEET_WORK_DIR, as config/settings.py reads them from the
environment. scripts/backup.sh and scripts/restore.sh evaluate its output."""

import os
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings

database = settings.DATABASES["default"]
engine = database["ENGINE"].rsplit(".", 1)[-1]
if engine not in {"sqlite3", "postgresql"}:
    sys.exit(f"Backups of a {engine} database are not supported: use SQLite or PostgreSQL.")
values = {
    "engine": engine,
    "db_name": str(database["NAME"]),
    "db_user": database.get("USER") or "",
    "db_password": database.get("PASSWORD") or "",
    "db_host": database.get("HOST") or "",
    "db_port": str(database.get("PORT") or ""),
    "media_root": str(settings.MEDIA_ROOT),
    "work_dir": str(settings.SPREADSHEET_WORK_DIR),
}
for name, value in values.items():
    print(f"{name}={shlex.quote(value)}")
