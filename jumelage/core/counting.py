"""Counting long lists without counting the whole country on every page.

`cached_count(queryset)` is the number of rows of `queryset`. A large count (LARGE rows or more)
is kept in the cache for COUNT_TIMEOUT seconds (keyed by its SQL and parameters): paging through
a national list, or many visitors reading it, count it once a minute, and its count may lag a
minute behind; a small list (an authority's own) is counted exactly on every page. On
PostgreSQL, a queryset with no filter over a large table takes the planner's estimate instead
(pg_class.reltuples, kept by ANALYZE): the count a superuser's list or a national API shows is
then approximate, which a pager does not mind.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

COUNT_TIMEOUT = 60
LARGE = 10_000  # below this many rows (by the estimate), the exact count is cheap: count it


def _estimate(queryset: QuerySet[Any]) -> int | None:
    query = queryset.query
    if connection.vendor != "postgresql" or query.where or query.distinct or query.combinator:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] >= LARGE else None


def cached_count(queryset: QuerySet[Any]) -> int:
    """The rows of `queryset`: estimated for a large unfiltered table, a large count kept a
    minute, a small one counted (see the module's docstring)."""
    estimate = _estimate(queryset)
    if estimate is not None:
        return estimate
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter nothing can match (an id beyond the column's range)
        return 0
    key = "jumelage:count:" + hashlib.sha256(f"{sql}|{params}".encode()).hexdigest()[:32]
    found = cache.get(key)
    if found is None:
        found = queryset.count()
        if found >= LARGE:
            cache.set(key, found, COUNT_TIMEOUT)
    return int(found)
