"""Cache generations: public pages are cached under a key that holds the generation of the
member authority's pages and the shared directory's; every write through the services replaces
the generation once it commits, so a changed record never shows stale on the public site.

A generation is a token: the time of the write in nanoseconds, then random digits, so that a
later generation sorts after an earlier one and no two writes draw the same. It is kept in two
places: in the cache itself (`jumelage:generation:<scope>`), where a cached page finds it with no
database query, and in the database (core.PageGeneration), the record a cache that lost it
(evicted, timed out, emptied) falls back to. A write stores the new token in the database, then
in the cache (`cache.set`); a reader that found none in the cache reads the database and offers
what it read with `cache.add`, which never replaces a token a write stored meanwhile. Every
process shares the cache (docs/operators.md: one Redis for every server), so every process sees
a write's token at once.

A third scope, `NATIONAL`, changes with every write of any authority (and the directory's): the
API's national lists are cached under it. Its token is kept in the cache only: a cache that lost
it draws a new one, under which nothing was cached, so nothing stale is ever read (the price
is one rebuild); the database is not written once more per write for it.

A restore of a database backup brings back the tokens of its time, and scripts/restore.sh then
drops the tokens held in the cache (`manage.py expire_page_generations`): the pages cached under
the abandoned state's tokens are never read again, and the restored data's own pages come back
under their own tokens. Emptying the cache is never needed.

Limits, all bounded by GENERATION_TIMEOUT (10 minutes, the pages' own timeout): writes that
bypass the services (a migration, a shell session) replace no token; a token is replaced just
after the write commits, so a page built in between can pair the old token with the new data;
if storing the token fails (the database or the cache went away just after the commit) the
error is logged and the write stands.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import DatabaseError, transaction

from jumelage.core.models import PageGeneration

GLOBAL = "directory"
NATIONAL = "national"  # every authority's writes and the directory's: see above
# How long the cache keeps a token before reading the database again.
GENERATION_TIMEOUT = 10 * 60
# The generation of a scope no write has touched yet.
FIRST = "0"

logger = logging.getLogger(__name__)


def _scope(authority_id: int | None) -> str:
    return str(authority_id) if authority_id is not None else GLOBAL


def _cache_key(scope: str) -> str:
    return f"jumelage:generation:{scope}"


def _tokens(*scopes: str, found: dict[str, object] | None = None) -> dict[str, str]:
    """The scopes' tokens: from the cache (one read, no query), the database for the missing.
    `found`: what a read of the caller's already returned for the scopes' keys."""
    keys = {scope: _cache_key(scope) for scope in scopes}
    if found is None:
        found = cache.get_many(list(keys.values()))
    tokens = {scope: found.get(key) for scope, key in keys.items()}
    missing = [scope for scope, token in tokens.items() if token is None]
    if missing:
        stored = dict(
            PageGeneration.objects.filter(scope__in=missing).values_list("scope", "token")
        )
        for scope in missing:
            token = stored.get(scope, FIRST)
            # `add`, never `set`: a write that stored a newer token since our read wins.
            if not cache.add(keys[scope], token, GENERATION_TIMEOUT):
                token = cache.get(keys[scope]) or token
            tokens[scope] = token
    return {scope: str(token) for scope, token in tokens.items()}


def with_generations(authority_id: int, key: str) -> tuple[tuple[str, str], object]:
    """The authority's and the directory's generations, and the value cached under `key`, in
    one cache read (a Redis round trip): for a value stored under a key that does not hold the
    generations, with the generations it was built under kept inside it."""
    tokens, found = generations_with(authority_id, key)
    return tokens, found.get(key)


def generations_with(authority_id: int, *keys: str) -> tuple[tuple[str, str], dict[str, object]]:
    """The authority's and the directory's generations, and what the cache holds under `keys`
    ({key: value} of those it holds), in one cache read."""
    scope = _scope(authority_id)
    found = cache.get_many([_cache_key(scope), _cache_key(GLOBAL), *keys])
    tokens = _tokens(scope, GLOBAL, found=found)
    return (tokens[scope], tokens[GLOBAL]), found


def with_national_generation(key: str) -> tuple[str, object]:
    """The national generation (changed by every write) and the value cached under `key`, in
    one cache read."""
    national = _cache_key(NATIONAL)
    found = cache.get_many([national, key])
    token = found.get(national)
    if token is None:
        # Lost or never drawn: a new token, under which nothing was cached yet.
        token = new_token()
        if not cache.add(national, token, GENERATION_TIMEOUT):
            token = cache.get(national) or token
    return str(token), found.get(key)


def forget_cached(scopes: list[str]) -> None:
    """Drop the tokens the cache holds for `scopes`: the next read takes the database's (after
    a restore: the restored ones)."""
    cache.delete_many([_cache_key(scope) for scope in scopes])


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
    scope = _scope(authority_id)
    token = new_token()
    try:
        with transaction.atomic():
            PageGeneration.objects.update_or_create(scope=scope, defaults={"token": token})
    except DatabaseError:
        logger.exception("The cached pages of %s could not be expired.", scope)
    try:
        cache.set_many(
            {_cache_key(scope): token, _cache_key(NATIONAL): new_token()}, GENERATION_TIMEOUT
        )
    except Exception:  # a cache backend raises its own errors (Redis, files)
        logger.exception("The cached pages of %s could not be expired in the cache.", scope)


def page_key(authority_id: int, *parts: object) -> str:
    """A cache key that changes whenever the authority's data or the directory changes (one
    cache read finds both generations; no database query once they are cached)."""
    tokens = _tokens(_scope(authority_id), GLOBAL)
    suffix = ":".join(str(part) for part in parts)
    return f"jumelage:page:{authority_id}:{tokens[_scope(authority_id)]}:{tokens[GLOBAL]}:{suffix}"


# --- The id behind a slug -------------------------------------------------------------------

# slug -> id of the member authorities this process has served: a memo, never the truth. A
# stale id is harmless (see member_id); at most this many slugs are kept.
_member_ids: dict[str, int] = {}
MEMBER_IDS_KEPT = 10_000


def member_id(slug: str, find: Callable[[], int]) -> int:
    """The id of the member authority at `slug`, kept in this process and in the cache so
    that a cached page or answer costs no query; `find()` (a database read that raises when
    there is no such member) fills it. A stale id is harmless: what is cached is served only
    under the generations it was built with and with the slug in its key, and what is missing
    from the cache is built only after the database confirmed the member (`confirm_member_id`).
    """
    found = _member_ids.get(slug)
    if found is not None:
        return found
    key = f"jumelage:member-id:{slug}"
    cached_id = cache.get(key)
    if cached_id is None:
        cached_id = find()
        cache.set(key, cached_id, GENERATION_TIMEOUT)
    _remember_member_id(slug, int(cached_id))
    return int(cached_id)


def _remember_member_id(slug: str, found: int) -> None:
    if len(_member_ids) >= MEMBER_IDS_KEPT:
        _member_ids.clear()
    _member_ids[slug] = found


def confirm_member_id(slug: str, found: int, real: int) -> None:
    """Forget the cached id of `slug` when the database says otherwise."""
    if found != real:
        cache.set(f"jumelage:member-id:{slug}", real, GENERATION_TIMEOUT)
        _remember_member_id(slug, real)


def forget_member_id(slug: str) -> None:
    """No member at `slug` any more (the database said so)."""
    _member_ids.pop(slug, None)
