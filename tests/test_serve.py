"""`make serve` as the README and docs/operators.md say: scripts/serve.sh refuses to start
without the production settings and says which are missing; with them it migrates, collects the
static files and runs gunicorn (config/gunicorn.py, PORT from the environment) with the task
worker beside it; whitenoise serves the static files under hashed names, compressed and cached
for a year; the public pages are compressed; /healthz answers.
"""

from __future__ import annotations

import gzip
import json
import re
import signal
import subprocess
import urllib.request

import pytest

from tests.processes import ROOT, SECRET_KEY, Instance, free_port, running, wait_for


def serve(instance: Instance, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["scripts/serve.sh"],
        cwd=ROOT,
        env={**instance.env, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_to_start_without_the_production_settings_and_says_which(tmp_path):
    instance = Instance(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    refused = serve(instance)
    assert refused.returncode == 2
    assert (
        "make serve runs the production server: set DEBUG=false, SECRET_KEY (a random value of "
        "at least 50 characters), ALLOWED_HOSTS (the site's host names, comma-separated) in its "
        "environment"
    ) in refused.stderr
    assert "use make run" in refused.stderr
    refused = serve(instance, DEBUG="false", SECRET_KEY=SECRET_KEY)
    assert "set ALLOWED_HOSTS (the site's host names, comma-separated) in its" in refused.stderr


def fetch(port: int, path: str) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return dict(answer.headers.items()), answer.read()


@pytest.mark.multiprocess
def test_it_serves_with_gunicorn_whitenoise_and_the_worker(tmp_path):
    port = free_port()
    instance = Instance(
        tmp_path,
        f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DEBUG="false",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        PORT=str(port),
        WEB_CONCURRENCY="1",
    )
    with running(instance):
        server = instance.start("scripts/serve.sh", log="serve")
        try:
            wait_for("make serve to answer", lambda: _answers(port, server), timeout=180)
        except AssertionError:
            raise AssertionError(instance.log("serve")) from None
        headers, body = fetch(port, "/healthz")
        assert json.loads(body) == {
            "status": "ok",
            "checks": {"database": "ok", "cache": "ok", "queue": "ok"},
        }

        headers, body = fetch(port, "/en/")
        assert headers["Content-Encoding"] == "gzip"  # a public page, no secret in it
        page = gzip.decompress(body).decode()
        style = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
        assert style, "the style sheet has a hashed name"

        headers, body = fetch(port, style.group(1))
        assert headers["Content-Encoding"] == "gzip"
        assert "max-age=315360000" in headers["Cache-Control"]
        assert gzip.decompress(body).strip()

        # The worker runs beside gunicorn, and stops with it.
        assert "manage.py worker" in _children_commands(server.pid)
        instance.kill(server, signal.SIGTERM)
        assert server.returncode is not None


def _answers(port: int, server: subprocess.Popen[bytes]) -> bool:
    if server.poll() is not None:
        raise AssertionError(f"make serve stopped (code {server.returncode}).")
    try:
        return fetch(port, "/healthz")[0] is not None
    except OSError:
        return False


def _children_commands(pid: int) -> str:
    from tests.processes import descendants

    commands = []
    for child in descendants(pid):
        try:
            with open(f"/proc/{child}/cmdline", "rb") as cmdline:
                commands.append(cmdline.read().replace(b"\0", b" ").decode())
        except OSError:
            continue
    return "\n".join(commands)
