"""Cache generations: public pages are cached under a key that holds a counter per member
authority (and one for the shared directory); every write through the services bumps the
counter, so a changed record never shows stale on the public site."""

from __future__ import annotations

from typing import cast

from django.core.cache import cache

GLOBAL = "directory"


def _key(authority_id: int | None) -> str:
    return f"jumelage:generation:{authority_id if authority_id is not None else GLOBAL}"


def generation(authority_id: int | None = None) -> int:
    return int(cast(int, cache.get_or_set(_key(authority_id), 1, timeout=None)))


def bump(authority_id: int | None = None) -> None:
    key = _key(authority_id)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, timeout=None)


def page_key(authority_id: int, *parts: object) -> str:
    """A cache key that changes whenever the authority's data or the directory changes."""
    suffix = ":".join(str(part) for part in parts)
    return f"jumelage:page:{authority_id}:{generation(authority_id)}:{generation()}:{suffix}"
