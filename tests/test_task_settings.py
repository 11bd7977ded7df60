"""The task queue is chosen by TASKS_BACKEND; a wrong or incomplete choice stops the start with
a sentence saying what to set."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "TASKS_BACKEND"}}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.TASKS['default']['BACKEND'])"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_database_queue_is_the_default():
    result = load_settings()
    assert result.stdout.strip() == "django_tasks_db.DatabaseBackend", result.stderr


def test_the_redis_queue_needs_a_redis_server():
    refused = load_settings(TASKS_BACKEND="rq")
    assert refused.returncode != 0
    assert "TASKS_BACKEND=rq needs a Redis server: set REDIS_URL" in refused.stderr
    chosen = load_settings(TASKS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/3")
    assert chosen.stdout.strip() == "django_tasks_rq.RQBackend", chosen.stderr


def test_an_unknown_queue_is_refused_with_the_choices():
    refused = load_settings(TASKS_BACKEND="celery")
    assert "TASKS_BACKEND must be one of database, rq, immediate, not 'celery'." in refused.stderr
