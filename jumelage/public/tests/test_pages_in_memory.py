"""A member's page kept in each process's memory (public/pages.py): served only under the
generations of the shared cache, within the page's timeout, while the cache holds the mark it
was made under; compressed once, not on every request."""

from __future__ import annotations

import gzip
import time
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jumelage.accounts.tests.factories import UserFactory
from jumelage.public import pages
from jumelage.tenancy.services import save_owned

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def page_keys() -> list[str]:
    """The keys of the members' pages the shared cache holds (LocMemCache's own names)."""
    names = cache._cache  # type: ignore[attr-defined]
    return [name.split(":", 2)[2] for name in names if ":page:" in name]  # ":1:" + the key


def save(record, django_capture_on_commit_callbacks) -> None:
    admin = UserFactory(is_superuser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        save_owned(record, user=admin, expected_version=record.version)


def test_a_page_served_again_comes_from_memory_with_no_query_and_no_read_of_the_page(client, world):
    first = client.get("/en/ville-a/").content
    for key in page_keys():
        cache.delete(key)  # the shared cache's copy is gone; this process's stays
    read: list[list[str]] = []
    get_many = cache.get_many

    def recording(keys, *args, **kwargs):
        read.append(list(keys))
        return get_many(keys, *args, **kwargs)

    with (
        CaptureQueriesContext(connection) as queries,
        mock.patch.object(cache, "get_many", recording),
    ):
        again = client.get("/en/ville-a/").content

    assert again == first
    assert len(queries) == 0
    assert len(read) == 1 and not any(":page:" in key for key in read[0])


def test_a_write_through_the_services_shows_at_once(
    client, world, django_capture_on_commit_callbacks
):
    assert "twinned since 1970" in client.get("/en/ville-a/").content.decode()
    world.twinning.started_year = 1975
    save(world.twinning, django_capture_on_commit_callbacks)

    assert "twinned since 1975" in client.get("/en/ville-a/").content.decode()


def test_another_authoritys_write_keeps_the_copy_and_its_own_drops_it(
    client, world, city_b, django_capture_on_commit_callbacks
):
    from jumelage.core.cache import bump

    client.get("/en/ville-a/")
    for key in page_keys():
        cache.delete(key)
    bump(city_b.pk)  # another authority's write: this page's generations did not change
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/ville-a/").status_code == 200
    assert len(queries) == 0

    bump(world.member.pk)  # as another process's write does: through the shared cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/ville-a/").status_code == 200
    assert len(queries) > 0  # built again: the copy's generations are outdated


def test_the_copy_is_not_served_after_the_pages_timeout(client, world):
    client.get("/en/ville-a/")
    later = time.time() + pages.PAGE_TIMEOUT + 1
    with (
        mock.patch("jumelage.public.pages.time.time", return_value=later),
        CaptureQueriesContext(connection) as queries,
    ):
        assert client.get("/en/ville-a/").status_code == 200
    assert len(queries) > 0


def test_emptying_the_shared_cache_empties_the_copies(client, world):
    client.get("/en/ville-a/")
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/ville-a/").status_code == 200
    assert len(queries) > 1  # the generations from the database, then the page built again


def test_no_copy_is_kept_when_the_setting_says_none(client, world, settings):
    settings.PUBLIC_PAGES_IN_MEMORY = 0
    client.get("/en/ville-a/")
    for key in page_keys():
        cache.delete(key)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/ville-a/").status_code == 200
    assert len(queries) > 0


def test_a_page_larger_than_a_quarter_of_the_memory_is_not_kept(client, world, settings):
    client.get("/en/ville-a/")
    size = next(iter(pages._hot_pages._pages.values())).size
    pages.forget_pages_in_memory()
    settings.PUBLIC_PAGES_IN_MEMORY = size * 4 - 1
    client.get("/en/ville-a/")
    assert len(pages._hot_pages._pages) == 0
    settings.PUBLIC_PAGES_IN_MEMORY = size * 4
    client.get("/en/ville-a/")
    assert len(pages._hot_pages._pages) == 1


def test_the_least_recently_served_copy_goes_first(settings):
    def copy(size: int) -> pages._Hot:
        entry = {"html": b"x" * size, "hours": [], "generations": ("1", "1")}
        return pages._Hot(entry, ("1", "1"), "epoch", time.time() + 60)

    size = copy(1000).size
    settings.PUBLIC_PAGES_IN_MEMORY = size * 4  # room for four
    kept = pages._HotPages()
    for key in "abcd":
        kept.keep(key, copy(1000))
    assert kept.get("a") is not None  # served again: now the most recent
    kept.keep("e", copy(1000))

    assert list(kept._pages) == ["c", "d", "a", "e"]
    assert kept._size == 4 * size
    kept.drop("c")
    assert kept._size == 3 * size


def test_a_browser_accepting_gzip_gets_the_page_compressed_once(client, world):
    plain = client.get("/en/ville-a/").content
    with mock.patch("jumelage.public.pages.compress_string", wraps=pages.compress_string) as zip_:
        first = client.get("/en/ville-a/", **GZIP)
        second = client.get("/en/ville-a/", **GZIP)

    assert first["Content-Encoding"] == second["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in first["Vary"]
    assert gzip.decompress(first.content) == gzip.decompress(second.content) == plain
    assert zip_.call_count == 1
    assert int(first["Content-Length"]) == len(first.content)


def test_a_signed_in_visitor_gets_the_page_uncompressed(client, world, officer_a):
    client.force_login(officer_a)
    response = client.get("/en/ville-a/", **GZIP)
    assert not response.has_header("Content-Encoding")
    assert b"Ville A" in response.content


def test_the_open_now_line_is_filled_for_each_minute_compressed_or_not(client, world):
    """The world's service opens Monday to Friday, 09:00 to 12:30 (Paris)."""
    import datetime

    from django.utils import timezone

    def at(hour: int, minute: int) -> str:
        moment = datetime.datetime(2026, 12, 7, hour, minute, tzinfo=datetime.UTC)  # a Monday
        with mock.patch.object(timezone, "now", return_value=moment):
            zipped = client.get("/en/ville-a/", **GZIP)
            plain = client.get("/en/ville-a/")
        assert gzip.decompress(zipped.content) == plain.content
        return plain.content.decode()

    open_page = at(9, 0)  # 10:00 in Paris
    closed_page = at(17, 0)  # 18:00 in Paris
    assert open_page != closed_page
    assert at(9, 0) == open_page


def test_each_language_has_its_own_copy(client, world):
    for _twice in range(2):
        assert '<html lang="en"' in client.get("/en/ville-a/").content.decode()
        assert '<html lang="fr"' in client.get("/ville-a/").content.decode()
    assert len(pages._hot_pages._pages) == 2


def test_the_other_cached_pages_are_compressed_once_when_built(client, world):
    """The directory and a member's lists keep their compressed bytes in the shared cache."""
    for path in ("/en/", "/en/ville-a/projects/", "/en/ville-a/news/"):
        plain = client.get(path).content
        with mock.patch(
            "jumelage.public.pages.compress_string", wraps=pages.compress_string
        ) as zip_:
            zipped = client.get(path, **GZIP)
        assert zipped["Content-Encoding"] == "gzip", path
        assert gzip.decompress(zipped.content) == plain, path
        assert zip_.call_count == 0, path


def test_an_answer_smaller_uncompressed_is_sent_as_it_is(rf):
    request = rf.get("/", HTTP_ACCEPT_ENCODING="gzip")
    response = pages._answer(request, b"<p>tiny</p>", lambda: b"x" * 100)
    assert response.content == b"<p>tiny</p>"
    assert not response.has_header("Content-Encoding")
