"""Settings come from the environment; production refuses an unsafe default."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAFE_KEY = "k" * 30 + "Zq8" * 10


def load_settings(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_it_runs_on_sqlite_when_nothing_is_set():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_production_refuses_the_development_secret_key():
    result = load_settings(DEBUG="false", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_an_empty_host_list():
    result = load_settings(DEBUG="false", SECRET_KEY=SAFE_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_safe_settings_and_reads_database_url():
    result = load_settings(
        DEBUG="false",
        SECRET_KEY=SAFE_KEY,
        ALLOWED_HOSTS="example.org",
        DATABASE_URL="postgres://u@127.0.0.1:5432/x",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"
