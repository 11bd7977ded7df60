"""The IATI check of a member authority, kept and refreshed by the task queue.

`check_export` builds and validates every published project's activity: milliseconds for a
commune, seconds for a city with thousands of projects. The workspace's home shows its result
on every visit, so it never runs there: the home reads the last result (`last_check`), one
cache read when nothing changed, one row otherwise; when the authority's data changed since
(its page generations, core.cache, change with every write) or the day did, the home shows the
last result with its time and asks the queue to check again (`refresh_check`, once per change).
A result is kept per language (the problems are sentences) and site address (the links).

The IATI check page (reporting.views.iati_check) runs the checks itself, as the officer asked,
and keeps what it found.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import asdict, dataclass
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import get_language
from django_tasks import TaskResultStatus, task

from jumelage.core.cache import page_key
from jumelage.core.tasks import enqueue_on_commit
from jumelage.partners.models import MemberAuthority
from jumelage.reporting.iati.export import ExcludedProject, ExportReport, check_export
from jumelage.reporting.models import IatiCheck

# A fresh result stays in the cache this long (its key changes with every write anyway).
CACHE_SECONDS = 10 * 60
# A check asked for is not asked again for the same data before this (the worker is busy, or
# was stopped: then the next visit after it asks again).
PENDING_SECONDS = 10 * 60


@dataclass(frozen=True)
class LastCheck:
    """What the home shows: the last result (None: never checked), when it was made, and
    whether the authority's data changed since (a new check is then under way)."""

    report: ExportReport | None
    checked_at: datetime.datetime | None
    current: bool


def data_key(member_pk: int, today: datetime.date) -> str:
    """Names the data the checks read: the authority's and the directory's page generations
    (every write changes one) and the day (a payment dated today becomes publishable)."""
    return page_key(member_pk, "iati-check", today.isoformat())


def _cache_key(key: str, language: str, base_url: str) -> str:
    where = hashlib.sha256(base_url.encode()).hexdigest()[:16]
    return f"{key}:{language}:{where}"


def to_json(report: ExportReport) -> dict[str, Any]:
    data = asdict(report)
    data["warnings"] = [[str(project), str(message)] for project, message in report.warnings]
    for item in data["excluded"]:
        item["problems"] = [str(problem) for problem in item["problems"]]
    return data


def from_json(data: dict[str, Any]) -> ExportReport:
    return ExportReport(
        authority=data.get("authority", ""),
        org_id=data.get("org_id", ""),
        exported=int(data.get("exported", 0)),
        excluded=[ExcludedProject(**item) for item in data.get("excluded", [])],
        warnings=[(project, message) for project, message in data.get("warnings", [])],
        refused=data.get("refused", ""),
    )


def keep(member_pk: int, report: ExportReport, *, key: str, language: str, base_url: str) -> None:
    """Keep `report`, the checks of the data named `key`, as the authority's last result."""
    now = timezone.now()
    values = {"data_key": key, "report": to_json(report), "checked_at": now}
    try:
        with transaction.atomic():
            IatiCheck.objects.update_or_create(
                authority_id=member_pk, language=language, base_url=base_url, defaults=values
            )
    except IntegrityError:  # two checks kept at once: the other one's row stands, update it
        IatiCheck.objects.filter(
            authority_id=member_pk, language=language, base_url=base_url
        ).update(**values)
    cache.set(_cache_key(key, language, base_url), (report, now), CACHE_SECONDS)


def check_now(member: MemberAuthority, *, base_url: str, today: datetime.date) -> ExportReport:
    """Run the checks in this request (the check page) and keep their result."""
    key = data_key(member.pk, today)
    report = check_export(member, base_url=base_url, today=today)
    keep(member.pk, report, key=key, language=get_language() or "", base_url=base_url)
    return report


@task()
def refresh_check(member_pk: int, language: str, base_url: str, today: str) -> None:
    """The queue's task: check the authority's data as it now is, and keep the result."""
    member = MemberAuthority.objects.select_related("authority").filter(pk=member_pk).first()
    if member is None:
        return  # removed since it was asked
    day = datetime.date.fromisoformat(today)
    # The key is read before the checks: a write made while they run leaves it stale, so the
    # next visit asks again.
    key = data_key(member_pk, day)
    if IatiCheck.objects.filter(
        authority_id=member_pk, language=language, base_url=base_url, data_key=key
    ).exists():
        return  # an earlier task of the queue, run after the same writes, has checked them
    with translation.override(language):
        report = check_export(member, base_url=base_url, today=day)
    keep(member_pk, report, key=key, language=language, base_url=base_url)


def last_check(member: MemberAuthority, *, base_url: str, today: datetime.date) -> LastCheck:
    """The authority's last IATI check, in a constant number of queries whatever its size: from
    the cache when its data did not change since; else the kept row, shown while the queue
    checks again (asked once per change of the data)."""
    language = get_language() or ""
    key = data_key(member.pk, today)
    kept = _cache_key(key, language, base_url)
    found = cache.get(kept)
    if found is not None:
        report, checked_at = found
        return LastCheck(report, checked_at, current=True)
    row = (
        IatiCheck.objects.filter(authority=member, language=language, base_url=base_url)
        .only("data_key", "report", "checked_at")
        .first()
    )
    if row is not None and row.data_key == key:
        report = from_json(row.report)
        cache.set(kept, (report, row.checked_at), CACHE_SECONDS)
        return LastCheck(report, row.checked_at, current=True)
    finished: list[bool] = []
    if cache.add(f"{kept}:asked", True, PENDING_SECONDS):
        enqueue_on_commit(
            refresh_check,
            member.pk,
            language,
            base_url,
            today.isoformat(),
            then=lambda result: finished.append(result.status == TaskResultStatus.SUCCESSFUL),
        )
    if finished and finished[0]:
        # A queue that runs tasks at once (tests, a shell) has kept the result already.
        found = cache.get(kept)
        if found is not None:
            return LastCheck(found[0], found[1], current=True)
    if row is None:
        return LastCheck(None, None, current=False)
    return LastCheck(from_json(row.report), row.checked_at, current=False)
