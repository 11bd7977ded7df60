"""Cache generations: public pages are cached under a key that holds the generation of the
member authority's pages and the shared directory's; every write through the services replaces
the generation once it commits, so a changed record never shows stale on the public site.

A generation is a token kept in the database (core.PageGeneration), not a counter kept in the
cache: the time of the write in nanoseconds, then random digits, so that a later generation
sorts after an earlier one and no two writes draw the same. Being in the database, it makes a
restore of a database backup need no step of its own: the restored database brings back the
tokens it had when the backup was taken, and the only pages cached under those tokens are the
pages of that very state of the data; after the restore, writes draw new tokens, which no page
of the abandoned state holds (a counter would start again from the backup's value and meet the
pages cached after the backup). Emptying the cache is never needed.

Limits, all bounded by the pages' timeout (10 minutes): writes that bypass the services (a
migration, a shell session) replace no token; a token is replaced just after the write commits,
so a page built in between, or a backup taken in between, can pair the old token with the new
data; if replacing the token fails (the database went away just after the commit) the error is
logged and the write stands.
"""

from __future__ import annotations

import logging
import secrets
import time

from django.db import DatabaseError, transaction

from jumelage.core.models import PageGeneration

GLOBAL = "directory"
# The generation of a scope no write has touched yet.
FIRST = "0"

logger = logging.getLogger(__name__)


def _scope(authority_id: int | None) -> str:
    return str(authority_id) if authority_id is not None else GLOBAL


def _tokens(*scopes: str) -> dict[str, str]:
    found = dict(PageGeneration.objects.filter(scope__in=scopes).values_list("scope", "token"))
    return {scope: found.get(scope, FIRST) for scope in scopes}


def generation(authority_id: int | None = None) -> str:
    """The current generation of the authority's pages (of the directory's, without one)."""
    return _tokens(_scope(authority_id))[_scope(authority_id)]


def new_token() -> str:
    """20 digits of time, then 8 random hex digits: later tokens sort after earlier ones (while
    the clock goes forward), and two writes never share one."""
    return f"{time.time_ns():020d}{secrets.token_hex(4)}"


def bump(authority_id: int | None = None) -> None:
    """Give the authority's pages (the directory's, without one) a new generation. Called once
    the write has committed (tenancy.services); a failure is logged, never raised: the write is
    done, and its pages only stay stale until they time out."""
    try:
        with transaction.atomic():
            PageGeneration.objects.update_or_create(
                scope=_scope(authority_id), defaults={"token": new_token()}
            )
    except DatabaseError:
        logger.exception("The cached pages of %s could not be expired.", _scope(authority_id))


def page_key(authority_id: int, *parts: object) -> str:
    """A cache key that changes whenever the authority's data or the directory changes (one
    query reads both generations)."""
    tokens = _tokens(_scope(authority_id), GLOBAL)
    suffix = ":".join(str(part) for part in parts)
    return f"jumelage:page:{authority_id}:{tokens[_scope(authority_id)]}:{tokens[GLOBAL]}:{suffix}"
