"""/healthz tells a load balancer whether this process can work: database, cache, queue."""

from __future__ import annotations

from jumelage.core import health


def test_it_answers_ok_when_everything_answers(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "queue": "ok"},
    }
    assert "no-cache" in answer["Cache-Control"]


def test_it_answers_503_naming_what_fails_without_its_error(client, db, monkeypatch, caplog):
    def down() -> None:
        raise ConnectionError("redis://secret@cache.internal:6379 refused")

    monkeypatch.setitem(health.CHECKS, "cache", down)
    answer = client.get("/healthz")
    assert answer.status_code == 503
    assert answer.json()["checks"] == {"database": "ok", "cache": "error", "queue": "ok"}
    assert b"secret" not in answer.content  # the error is logged, not shown
    assert "cache.internal" in caplog.text


def test_it_is_not_redirected_to_https_in_production(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    assert client.get("/healthz").status_code == 200
    assert client.get("/en/admin/login/").status_code == 301
