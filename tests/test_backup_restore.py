"""The backup and restore of docs/operators.md ("Backups"), run as an operator runs them: an
instance with the demo, its public page served (and cached), scripts/backup.sh, a change, the
page showing the change, scripts/restore.sh, and the page showing the restored data again,
whatever the cache kept; then a change after the restore shows at once.

Each step is a separate process on a real database and a real file cache, as on a server. On
SQLite always; on PostgreSQL when the tests run on it (DATABASE_URL), in a database of its own
named after the test database's ("<name>_backup_check"), created and dropped here.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "etat-civil-cap-haitien-exemple"  # a public project of the demo
PAGE = f"/suresnes/projets/{PROJECT}/"
ORIGINAL = "Appui à l'état civil de Cap-Haïtien (exemple)"
CHANGED = "Titre changé après la sauvegarde"
LATER = "Titre changé après la restauration"

CHANGE = """
import sys
from jumelage.accounts.models import User
from jumelage.tenancy.services import save_owned
from jumelage.projects.models import Project
project = Project.objects.get(slug=sys.argv[1])
project.title = {**project.title, "fr": sys.argv[2]}
save_owned(project, user=User.objects.get(username="admin"), expected_version=project.version)
"""

PAGE_TEXT = """
import sys
from django.test import Client
answer = Client().get(sys.argv[1])
assert answer.status_code == 200, answer.status_code
sys.stdout.write(answer.content.decode())
"""


class Instance:
    """An instance's environment: its database, cache, documents and spreadsheet folders."""

    def __init__(self, tmp_path: Path, database_url: str) -> None:
        self.tmp_path = tmp_path
        clean = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
        }
        self.env = {
            **clean,
            "DATABASE_URL": database_url,
            "CACHE_DIR": str(tmp_path / "cache"),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "SPREADSHEET_WORK_DIR": str(tmp_path / "spreadsheets"),
            "LANGUAGE_CODE": "fr",
            "PYTHON": sys.executable,
        }

    def run(self, *command: str) -> str:
        result = subprocess.run(
            command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def manage(self, *args: str) -> str:
        return self.run(sys.executable, "manage.py", *args)

    def python(self, code: str, *args: str) -> str:
        return self.manage("shell", "-v0", "-c", f"import sys; sys.argv = ['', *{args!r}]\n{code}")

    def page(self) -> str:
        return html.unescape(self.python(PAGE_TEXT, PAGE))

    def change_title(self, title: str) -> None:
        self.python(CHANGE, PROJECT, title)


def check_backup_and_restore(instance: Instance) -> None:
    instance.manage("migrate", "-v0", "--no-input")
    instance.manage("load_reference", "-v0")
    instance.manage("load_demo", "-v0")
    documents = instance.tmp_path / "media" / "documents"
    documents.mkdir(parents=True)
    (documents / "before.txt").write_text("kept")
    assert ORIGINAL in instance.page()  # now cached

    backup = instance.tmp_path / "backup"
    instance.run("scripts/backup.sh", str(backup))
    instance.change_title(CHANGED)
    (documents / "before.txt").unlink()
    (documents / "after.txt").write_text("added after the backup")
    assert CHANGED in instance.page()  # cached too

    instance.run("scripts/restore.sh", str(backup))

    page = instance.page()
    assert ORIGINAL in page
    assert CHANGED not in page
    assert sorted(path.name for path in documents.iterdir()) == ["before.txt"]
    instance.change_title(LATER)
    assert LATER in instance.page()


def test_a_restored_sqlite_backup_serves_the_restored_data(tmp_path):
    check_backup_and_restore(Instance(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}"))


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_backup_check"
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.mark.skipif(postgres_url() is None, reason="the tests do not run on PostgreSQL")
def test_a_restored_postgresql_backup_serves_the_restored_data(tmp_path):
    url = postgres_url()
    assert url is not None
    name = urlsplit(url).path.lstrip("/")
    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    psql = ["psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", server, "-c"]
    subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{name}"'], check=True)
    subprocess.run([*psql, f"CREATE DATABASE \"{name}\" ENCODING 'UTF8'"], check=True)
    try:
        check_backup_and_restore(Instance(tmp_path, url))
    finally:
        subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{name}"'], check=True)


def test_the_backup_refuses_a_folder_that_holds_files(tmp_path):
    instance = Instance(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "old.txt").write_text("an older backup")
    result = subprocess.run(
        ["scripts/backup.sh", str(tmp_path / "backup")],
        cwd=ROOT,
        env=instance.env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "already holds files: name a new folder" in result.stderr


def test_the_instance_paths_are_read_from_the_environment(tmp_path):
    instance = Instance(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    lines = instance.run(sys.executable, "scripts/instance-paths.py").splitlines()
    values = dict(line.split("=", 1) for line in lines)
    assert values["engine"] == "sqlite3"
    assert json.loads(json.dumps(values["media_root"])) == str(tmp_path / "media")
