"""On SQLite a save made while another connection writes (a long import) waits for the write
lock, up to SQLITE_BUSY_TIMEOUT seconds, instead of failing at once with "database is locked".

The database settings are those config/settings.py gives for a SQLite file, read in a fresh
process (the tests themselves may run on PostgreSQL or on SQLite in memory); the database is a
real file, written by two connections in two threads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

ROOT = Path(__file__).resolve().parent.parent
HOLD = 1.0  # seconds the "import" keeps its write transaction open


def sqlite_settings(path: Path, **env: str) -> dict[str, Any]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SQLITE_BUSY_TIMEOUT"}
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, config.settings as s; print(json.dumps(s.DATABASES['default']))",
        ],
        cwd=ROOT,
        env={**clean, "DATABASE_URL": f"sqlite:///{path}", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    found: dict[str, Any] = json.loads(result.stdout)
    return connections.configure_settings({"default": found})["default"]


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """Two connections to one SQLite file holding a table of notes, as the settings make them;
    `open(alias)` registers a connection for the calling thread."""
    path = tmp_path / "db.sqlite3"
    opened: list[DatabaseWrapper] = []

    def open_as(alias: str, **env: str) -> DatabaseWrapper:
        wrapper = DatabaseWrapper(sqlite_settings(path, **env), alias)
        connections[alias] = wrapper
        opened.append(wrapper)
        return wrapper

    with django_db_blocker.unblock():
        setup = open_as("setup")
        with setup.cursor() as cursor:
            cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
        yield open_as
        for wrapper in opened:
            if wrapper._thread_ident == threading.get_ident():  # the importer closes its own
                wrapper.close()
                del connections[wrapper.alias]


def hold_the_write_lock(database, started: threading.Event) -> threading.Thread:
    """An import: a write transaction kept open for HOLD seconds, in another thread."""

    def run() -> None:
        importer = database("importer")
        with transaction.atomic(using="importer"):
            importer.cursor().execute("INSERT INTO note (text) VALUES ('imported')")
            started.set()
            time.sleep(HOLD)
        importer.close()

    thread = threading.Thread(target=run)
    thread.start()
    assert started.wait(10)
    return thread


def save(connection: DatabaseWrapper, alias: str) -> None:
    """A save as the services make it: read (the version) first, then write, in one
    transaction."""
    with transaction.atomic(using=alias):
        connection.cursor().execute("SELECT count(*) FROM note")
        connection.cursor().execute("INSERT INTO note (text) VALUES ('saved')")


def test_a_save_during_an_import_waits_for_the_import_and_succeeds(database):
    officer = database("officer")
    importer = hold_the_write_lock(database, threading.Event())
    began = time.monotonic()

    save(officer, "officer")

    waited = time.monotonic() - began
    importer.join()
    with officer.cursor() as cursor:
        cursor.execute("SELECT text FROM note ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["imported", "saved"]
    assert waited > HOLD / 4  # it waited for the import to commit


def test_the_wait_is_bounded_by_sqlite_busy_timeout(database):
    officer = database("officer", SQLITE_BUSY_TIMEOUT="0.2")
    importer = hold_the_write_lock(database, threading.Event())
    began = time.monotonic()

    with pytest.raises(OperationalError, match="database is locked"):
        save(officer, "officer")

    waited = time.monotonic() - began
    importer.join()
    assert 0.1 < waited < HOLD


def test_a_malformed_busy_timeout_stops_the_start_with_a_message(tmp_path):
    with pytest.raises(subprocess.CalledProcessError) as error:
        sqlite_settings(tmp_path / "db.sqlite3", SQLITE_BUSY_TIMEOUT="twenty")
    assert "SQLITE_BUSY_TIMEOUT must be a number of seconds" in error.value.stderr
