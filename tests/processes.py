"""Real processes for the tests of the production setup: an instance (its own database, cache,
files and queue), its task workers and gunicorn servers on loopback ports, and a small HTTP
client that signs in. Used by test_worker_restart.py and test_several_processes.py.

Every process is started in a session of its own and stopped by its process group at the end,
within bounded times; nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "multiprocess-test-" + "k7Zq" * 15
STARTUP_SECONDS = 90


def redis_url(database: int | None = None) -> str | None:
    """REDIS_URL (CI sets it when Redis answers), on another database number if asked; None when
    unset or when Redis does not answer."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        return None
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 2):
            pass
    except OSError:
        return None
    if database is not None:
        url = urlunsplit(parts._replace(path=f"/{database}"))
    return url


def redis_database(url: str) -> int:
    return int(urlsplit(url).path.lstrip("/") or 0)


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def postgres_url(suffix: str) -> str | None:
    """A database of its own beside the tests' PostgreSQL one (DATABASE_URL), or None when the
    tests do not run on PostgreSQL or it does not answer."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), 2):
            pass
    except OSError:
        return None
    return urlunsplit(parts._replace(path=f"/{parts.path.lstrip('/')}_{suffix}"))


@contextlib.contextmanager
def own_database(url: str) -> Iterator[str]:
    """Create the PostgreSQL database of `url` (dropped first if a failed run left it), and drop
    it at the end."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))

    def drop() -> None:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]

    drop()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8'")  # type: ignore[arg-type]
    try:
        yield url
    finally:
        drop()


@contextlib.contextmanager
def instance_database(tmp_path: Path, suffix: str) -> Iterator[str]:
    """PostgreSQL when the tests run on it (a database of its own), else a SQLite file."""
    url = postgres_url(suffix)
    if url is None:
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"
        return
    with own_database(url) as created:
        yield created


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(what: str, check: Callable[[], Any], timeout: float, every: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"Gave up waiting for {what} after {timeout} seconds.")


class Instance:
    """An instance in a folder of its own: database (SQLite file or a PostgreSQL database of
    its own), file cache or Redis, files, static files."""

    def __init__(self, tmp_path: Path, database_url: str, **env: str) -> None:
        self.tmp_path = tmp_path
        self.database_url = database_url
        self.processes: list[subprocess.Popen[bytes]] = []
        inherited = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "PYTEST_"))
            and k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
        }
        self.env = {
            **inherited,
            "DATABASE_URL": database_url,
            "CACHE_DIR": str(tmp_path / "cache"),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "SPREADSHEET_WORK_DIR": str(tmp_path / "jobs"),
            "STATIC_ROOT": str(tmp_path / "static"),
            "LANGUAGE_CODE": "fr",
            "LOG_LEVEL": "WARNING",
            **env,
        }

    # --- commands -------------------------------------------------------------------------

    def manage(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def python(self, code: str) -> str:
        return self.manage("shell", "-v0", "-c", code)

    def set_up(self) -> None:
        self.manage("migrate", "-v0", "--no-input")

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Read the instance's database directly (not through Django: the test's own Django
        uses the test database)."""
        if self.database_url.startswith("sqlite:"):
            path = self.database_url.removeprefix("sqlite:///")
            with contextlib.closing(sqlite3.connect(path, timeout=30)) as connection:
                rows = connection.execute(sql.replace("%s", "?"), params).fetchall()
                connection.commit()
                return rows
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            cursor = connection.execute(sql, params)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []

    # --- processes ------------------------------------------------------------------------

    def start(self, *command: str, log: str) -> subprocess.Popen[bytes]:
        """A long-running process, in a session of its own (so that its children, RQ's work
        horses, are stopped with it), writing to a log file of the instance."""
        stream = (self.tmp_path / f"{log}.log").open("ab")
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=stream,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def start_worker(self, name: str = "worker") -> subprocess.Popen[bytes]:
        return self.start(sys.executable, "manage.py", "worker", "-v1", log=name)

    def start_server(self, port: int, name: str) -> subprocess.Popen[bytes]:
        stream = (self.tmp_path / f"{name}.log").open("ab")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "config/gunicorn.py",
                "config.wsgi:application",
            ],
            cwd=ROOT,
            env={**self.env, "PORT": str(port), "HOST": "127.0.0.1", "WEB_CONCURRENCY": "1"},
            stdout=stream,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        wait_for(f"the server on port {port}", lambda: healthy(port, process), STARTUP_SECONDS)
        return process

    def log(self, name: str) -> str:
        path = self.tmp_path / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    @staticmethod
    def kill(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        """Signal the process and its children (its process group, and the children that left
        it: RQ's work horse starts a session of its own), and wait for it."""
        children = descendants(process.pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        if sig == signal.SIGKILL:
            for child in children:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                self.kill(process, signal.SIGTERM)
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


def descendants(pid: int) -> list[int]:
    """The processes below `pid` (Linux's /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(fields[1])
    found: list[int] = []
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, of in parents.items() if of == parent]
        found += children
        frontier += children
    return found


def healthy(port: int, process: subprocess.Popen[bytes]) -> bool:
    if process.poll() is not None:
        raise AssertionError(f"The server on port {port} stopped (code {process.returncode}).")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            return bool(answer.status == 200)
    except (OSError, urllib.error.URLError):
        return False


class Browser:
    """A browser behind a load balancer: every server gets the site's host name (`host`, the
    Host header the balancer passes on) and the same cookies (the session); CSRF tokens are
    taken from the cookie."""

    def __init__(self, host: str = "jumelage.test") -> None:
        self.host = host
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, port: int, path: str) -> tuple[int, str]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", headers={"Host": self.host}
        )
        try:
            with self.opener.open(request, timeout=30) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(
        self, port: int, path: str, fields: dict[str, str], files: dict[str, Any] | None = None
    ) -> tuple[str, str]:
        """Post a form (multipart when there are files); return the final address and page."""
        token = next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")
        fields = {**fields, "csrfmiddlewaretoken": token}
        url = f"http://127.0.0.1:{port}{path}"
        if files:
            body, content_type = multipart(fields, files)
        else:
            body, content_type = (
                urllib.parse.urlencode(fields).encode(),
                "application/x-www-form-urlencoded",
            )
        headers = {
            "Content-Type": content_type,
            "Referer": f"http://{self.host}{path}",
            "Host": self.host,
        }
        request = urllib.request.Request(url, data=body, headers=headers)
        with self.opener.open(request, timeout=60) as answer:
            return answer.geturl(), answer.read().decode()

    def sign_in(self, port: int, username: str, password: str) -> None:
        self.get(port, "/en/admin/login/")
        address, page = self.post(
            port,
            "/en/admin/login/",
            {"username": username, "password": password, "next": "/en/admin/"},
        )
        assert "/admin/login/" not in address, page[:2000]


def multipart(fields: dict[str, str], files: dict[str, Any]) -> tuple[bytes, str]:
    boundary = "----jumelage-test-boundary"
    parts: list[bytes] = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, content) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@contextlib.contextmanager
def running(instance: Instance) -> Iterator[Instance]:
    try:
        yield instance
    finally:
        instance.stop_all()
