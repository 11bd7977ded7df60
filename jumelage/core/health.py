"""`/healthz`: whether this server process can do its work, for a load balancer or a monitor.

200 with {"status": "ok", "checks": {...}} when the database, the cache and the task queue all
answer; 503 with the failing ones marked "error" otherwise, so that the balancer stops sending
visitors to this process. Nothing personal and no error text (it could name hosts or
credentials): the errors go to the log. Never cached; exempt from the HTTPS redirect
(settings.SECURE_REDIRECT_EXEMPT), since balancers often ask over plain HTTP.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"jumelage:healthz:{secrets.token_hex(8)}"
    cache.set(key, "ok", 10)
    found = cache.get(key)
    cache.delete(key)
    if found != "ok":
        raise RuntimeError("The cache did not give back what was just stored.")


def check_queue() -> None:
    """The task queue answers: Redis with the RQ backend; the database's table of tasks with
    the database backend; nothing to reach with the immediate backend."""
    name = type(task_backends[DEFAULT_TASK_BACKEND_ALIAS]).__name__
    if name == "RQBackend":
        import django_rq

        django_rq.get_connection("default").ping()
    elif name == "DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.only("id").first()


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "queue": check_queue,
}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception:
            logger.exception("Health check: the %s does not answer.", name)
            results[name] = "error"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results},
        status=200 if healthy else 503,
    )
