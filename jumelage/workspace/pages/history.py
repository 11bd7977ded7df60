"""The authority's history (workspace/<slug>/history/): its audit entries, newest first, a page
at a time by keyset (the entry after which the next page starts, never an offset nor a count
of the audit log, which grows without end), with a filter by kind of record."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.http import urlencode

from jumelage.audit.models import AuditEntry
from jumelage.tenancy.history.selectors import authority_history
from jumelage.workspace.selectors import Change, Seat, change_of

PER_PAGE = 50

# The kinds of record the filter offers, in the order of an officer's work (those of the
# authority and the shared register's towns and funders its pages show).
KINDS = (
    "partners.partnership",
    "agreements.agreement",
    "agreements.councildecision",
    "projects.project",
    "projects.financingplan",
    "projects.application",
    "projects.transaction",
    "projects.indicatorperiod",
    "visits.visit",
    "actors.actor",
    "actors.person",
    "networks.network",
    "content.newsitem",
    "content.document",
    "partners.memberauthority",
    "partners.authority",
    "projects.funder",
)

# The cursor in the address: the time and id of the last entry of the page before.
CURSOR_SEPARATOR = "_"


@dataclass
class HistoryPage:
    changes: list[Change]
    kinds: list[tuple[str, str]]  # (label, name) for the filter
    kind: str
    older_url: str  # "" on the last page
    newest_url: str  # "" on the first page


def kinds() -> list[tuple[str, str]]:
    """The filter's choices: each kind of record this instance has, by its name."""
    found = []
    for label in KINDS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        found.append((label, str(model._meta.verbose_name).capitalize()))
    return found


def cursor_of(entry: AuditEntry) -> str:
    return f"{entry.at.isoformat()}{CURSOR_SEPARATOR}{entry.pk}"


def read_cursor(value: str | None) -> tuple[datetime.datetime, int] | None:
    """The (time, id) a cursor names, or None for one that cannot be read (the first page)."""
    at, _sep, pk = (value or "").rpartition(CURSOR_SEPARATOR)
    try:
        when = datetime.datetime.fromisoformat(at)
        number = int(pk)
    except ValueError:
        return None
    if when.tzinfo is None or number < 0:
        return None
    return when, number


def history_page(place: Seat, query: Any) -> HistoryPage:
    """A page of the authority's history the user may read (`authority_history`): its own
    records' entries and those of the shared register's entries it uses. Three queries."""
    member = place.member
    choices = kinds()
    kind = query.get("kind", "")
    if kind not in dict(choices):
        kind = ""
    cursor = read_cursor(query.get("before"))
    # One more than a page tells whether an older page exists.
    found = authority_history(
        user=place.user, member=member, limit=PER_PAGE + 1, before=cursor, kind=kind
    )
    shown = found[:PER_PAGE]
    filters = {"kind": kind} if kind else {}
    older = ""
    if len(found) > PER_PAGE:
        older = "?" + urlencode({**filters, "before": cursor_of(shown[-1])})
    newest = ""
    if cursor is not None:
        newest = "?" + urlencode(filters) if filters else "?"
    return HistoryPage(
        changes=[change_of(member, entry) for entry in shown],
        kinds=choices,
        kind=kind,
        older_url=older,
        newest_url=newest,
    )
