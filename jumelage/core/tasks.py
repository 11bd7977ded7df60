"""Background tasks: how the apps hand work to the queue, and what keeps it going.

The queue is Django's tasks API (the django-tasks backport of django.tasks), so its backend is a
setting (settings.TASKS_BACKEND): the database by default, Redis (RQ) for several hosts. The apps
define their tasks with `django_tasks.task` and hand them over with `enqueue_on_commit`.

The queue keeps a task that waits when the worker stops (a row, or a Redis list), but neither
backend notices a task whose worker died while running it (the database backend leaves it
"running" for ever; RQ moves it to its failed jobs). So work that must survive a restart keeps
its own record (a job row) with a heartbeat in the shared cache, and registers here a recovery
function (`register_recovery`) that the worker calls as it starts and every RECOVER_EVERY seconds:
it re-enqueues what was abandoned, when running it again is safe.

`core` knows no other app: the apps register their recoveries from their AppConfig.ready.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import close_old_connections, transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# A running job's heartbeat is refreshed every HEARTBEAT_EVERY seconds; a job whose heartbeat is
# older than settings.TASKS_STALE_AFTER (or whose process, on this host, is gone) was abandoned.
HEARTBEAT_EVERY = 5.0
DEFAULT_STALE_AFTER = 60.0
RECOVER_EVERY = 30.0

_recoveries: list[Callable[[], int]] = []


def enqueue_on_commit(
    work: Any, *args: Any, then: Callable[[Any], None] | None = None, **kwargs: Any
) -> None:
    """Hand a task to the queue once the current transaction commits (at once outside one), so
    that the worker finds the rows the task reads; `then(result)` is called with the task's
    result once it is enqueued. With TASKS_ENQUEUE_ON_COMMIT off (the tests), at once."""

    def enqueue() -> None:
        result = work.enqueue(*args, **kwargs)
        if then is not None:
            then(result)

    if not getattr(settings, "TASKS_ENQUEUE_ON_COMMIT", True):
        enqueue()
        return
    # robust: a queue that does not answer (Redis down) is logged, and the request that asked
    # still succeeds; a job is then enqueued again by the recovery (its task is missing).
    transaction.on_commit(enqueue, robust=True)


# --- Recovery of abandoned work ---------------------------------------------------------------


def register_recovery(function: Callable[[], int]) -> None:
    """`function()` re-enqueues the abandoned work of an app and returns how much it found."""
    if function not in _recoveries:
        _recoveries.append(function)


def recover_abandoned() -> int:
    """Run every registered recovery; one failing does not stop the others."""
    found = 0
    for function in list(_recoveries):
        try:
            found += function()
        except Exception:
            logger.exception("Recovering abandoned work with %s failed.", function.__qualname__)
    return found


def stale_after() -> float:
    return float(getattr(settings, "TASKS_STALE_AFTER", DEFAULT_STALE_AFTER))


def this_process() -> dict[str, Any]:
    return {"host": socket.gethostname(), "pid": os.getpid()}


def _process_is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, under another user
        return False
    return False


def is_abandoned(heartbeat: dict[str, Any] | None, since: float) -> bool:
    """Whether work whose last heartbeat is `heartbeat` (None: none seen) and which started at
    `since` (a time.time()) was abandoned: its process on this host is gone, or nothing was
    heard from it for TASKS_STALE_AFTER seconds (another host, or a hung process)."""
    now = time.time()
    if heartbeat is None:
        return now - since > stale_after()
    if heartbeat.get("host") == socket.gethostname() and _process_is_gone(int(heartbeat["pid"])):
        return True
    return now - float(heartbeat.get("at", since)) > stale_after()


class Heartbeat:
    """While the work runs, a thread writes `{host, pid, at}` under `key` in the shared cache
    every HEARTBEAT_EVERY seconds (the cache, not the database: on SQLite the work may hold the
    write lock for minutes). Use as a context manager."""

    def __init__(self, key: str, every: float = HEARTBEAT_EVERY) -> None:
        self.key = key
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat {key}", daemon=True)

    def beat(self) -> None:
        try:
            cache.set(self.key, {**this_process(), "at": time.time()}, int(stale_after() * 10))
        except Exception:  # a cache that went away must not stop the work
            logger.warning("The heartbeat of %s could not be written.", self.key, exc_info=True)

    def _beat(self) -> None:
        while not self._stop.wait(self.every):
            self.beat()

    def __enter__(self) -> Heartbeat:
        self.beat()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every + 1)
        cache.delete(self.key)


def start_recovery_thread(every: float = RECOVER_EVERY) -> threading.Thread:
    """Run `recover_abandoned` every `every` seconds in a daemon thread of the worker (which
    keeps running tasks meanwhile)."""

    def loop() -> None:
        while True:
            time.sleep(every)
            close_old_connections()
            try:
                recover_abandoned()
            finally:
                close_old_connections()

    thread = threading.Thread(target=loop, name="recover abandoned tasks", daemon=True)
    thread.start()
    return thread


# --- E-mail -----------------------------------------------------------------------------------

MAIL_ATTEMPTS = 3


@task()
def send_email(subject: str, body: str, to: list[str], attempt: int = 1) -> None:
    """Send one plain-text message. A message the mail server refused to take (it was down, or
    answered an error) was not sent, so it is tried again later, up to MAIL_ATTEMPTS times; a
    worker that dies while sending does not send it again (it could arrive twice)."""
    try:
        send_mail(subject, body, None, to, fail_silently=False)
    except OSError:  # smtplib.SMTPException is an OSError, as are refused connections
        if attempt >= MAIL_ATTEMPTS or not send_email.get_backend().supports_defer:
            logger.exception("An e-mail could not be sent after %s attempts; given up.", attempt)
            return
        logger.warning("An e-mail could not be sent (attempt %s); it will be tried again.", attempt)
        retry_at = timezone.now() + datetime.timedelta(minutes=5 * attempt)
        send_email.using(run_after=retry_at).enqueue(subject, body, to, attempt + 1)
