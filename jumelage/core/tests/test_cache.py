"""Page cache generations live in the cache, with the database as their record: a cached page
costs no query; a restored database (with scripts/restore.sh's `expire_page_generations`) serves
the pages of its own data, never those cached after the backup, and a write after the restore
expires pages at once. (tests/test_backup_restore.py runs the same story with the real backup
and restore scripts.)"""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import DatabaseError

from jumelage.core import cache as page_cache
from jumelage.core.models import PageGeneration

pytestmark = pytest.mark.django_db


def restore(rows: list[tuple[str, str]]) -> None:
    """What a database restore does to the generations: back to the backup's rows."""
    PageGeneration.objects.all().delete()
    PageGeneration.objects.bulk_create(PageGeneration(scope=s, token=t) for s, t in rows)
    call_command("expire_page_generations", verbosity=0)  # as scripts/restore.sh does


def test_a_restored_database_serves_its_own_pages_not_those_cached_after_the_backup(city_a):
    page_cache.bump(city_a.pk)
    before = page_cache.page_key(city_a.pk, "authority")
    cache.set(before, "the page of the backed-up data")
    backup = list(PageGeneration.objects.values_list("scope", "token"))

    page_cache.bump(city_a.pk)  # a write after the backup
    after = page_cache.page_key(city_a.pk, "authority")
    cache.set(after, "the page of the data written after the backup")
    restore(backup)

    assert cache.get(page_cache.page_key(city_a.pk, "authority")) == (
        "the page of the backed-up data"
    )
    page_cache.bump(city_a.pk)  # a write after the restore
    assert page_cache.page_key(city_a.pk, "authority") not in {before, after}


def test_a_write_to_the_directory_expires_every_authoritys_pages(city_a, city_b):
    keys = {page_cache.page_key(city.pk, "authority") for city in (city_a, city_b)}
    page_cache.bump()
    assert not keys & {page_cache.page_key(city.pk, "authority") for city in (city_a, city_b)}


def test_an_authoritys_write_leaves_the_other_authoritys_pages(city_a, city_b):
    theirs = page_cache.page_key(city_b.pk, "authority")
    page_cache.bump(city_a.pk)
    assert page_cache.page_key(city_b.pk, "authority") == theirs


def test_a_generation_that_cannot_be_replaced_is_logged_and_never_fails_the_write(
    city_a, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(PageGeneration.objects, "update_or_create", broken)
    with caplog.at_level(logging.ERROR, logger="jumelage.core.cache"):
        page_cache.bump(city_a.pk)
    assert f"The cached pages of {city_a.pk} could not be expired." in caplog.text


def test_a_later_generation_sorts_after_an_earlier_one_and_none_repeats(city_a):
    tokens = []
    for _ in range(5):
        page_cache.bump(city_a.pk)
        tokens.append(page_cache.generation(city_a.pk))
    assert tokens == sorted(tokens)
    assert len(set(tokens)) == 5
    assert tokens[0] > page_cache.FIRST


def test_a_cached_generation_costs_no_query(city_a, django_assert_num_queries):
    page_cache.bump(city_a.pk)
    page_cache.bump()
    with django_assert_num_queries(0):
        first = page_cache.page_key(city_a.pk, "authority")
        assert page_cache.page_key(city_a.pk, "authority") == first
        page_cache.generation()


def test_a_generation_the_cache_lost_is_read_back_from_the_database(
    city_a, django_assert_num_queries
):
    page_cache.bump(city_a.pk)
    key = page_cache.page_key(city_a.pk, "authority")
    cache.clear()  # evicted, timed out, or another cache emptied
    with django_assert_num_queries(1):
        assert page_cache.page_key(city_a.pk, "authority") == key
    with django_assert_num_queries(0):
        assert page_cache.page_key(city_a.pk, "authority") == key


def test_a_reader_never_puts_back_a_token_older_than_a_write_stored_meanwhile(city_a):
    """Another process read the database before a write, and offers its token to the cache
    after the write stored the new one: the new one stays."""
    page_cache.bump(city_a.pk)
    old = page_cache.generation(city_a.pk)
    cache.clear()
    real_filter = PageGeneration.objects.filter

    def read_then_a_write_lands(*args, **kwargs):
        rows = list(real_filter(*args, **kwargs).values_list("scope", "token"))
        page_cache.bump(city_a.pk)  # the other process's write, between our read and add

        class Rows:
            def values_list(self, *a, **k):
                return rows

        return Rows()

    PageGeneration.objects.filter = read_then_a_write_lands  # type: ignore[method-assign]
    try:
        page_cache.generation(city_a.pk)
    finally:
        del PageGeneration.objects.filter
    assert page_cache.generation(city_a.pk) not in {old, page_cache.FIRST}
    assert page_cache.generation(city_a.pk) == PageGeneration.objects.get(scope=city_a.pk).token
