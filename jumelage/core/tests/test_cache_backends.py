"""The cache backends of the settings: Django's, without a cost paid on every read."""

from __future__ import annotations

import pickle
import zlib

from django.core.cache.backends.filebased import FileBasedCache

from jumelage.core.cache_backends import Files, Redis

PAGE = {"html": "<p>Économie</p>".encode() * 1000, "hours": [], "time_zone": ""}


def test_the_file_cache_keeps_what_it_is_given(tmp_path):
    cache = Files(str(tmp_path), {})
    cache.set("page", PAGE, 60)
    assert cache.get("page") == PAGE
    assert cache.get("missing", "none") == "none"
    assert cache.get_many(["page", "missing"]) == {"page": PAGE}
    assert cache.touch("page", 120)
    assert cache.get("page") == PAGE


def test_the_file_cache_writes_entries_without_compressing_them(tmp_path):
    cache = Files(str(tmp_path), {})
    cache.set("page", PAGE, 60)
    (entry,) = [p for p in tmp_path.iterdir() if p.suffix == ".djcache"]
    with open(entry, "rb") as f:
        pickle.load(f)  # the expiry
        assert pickle.loads(f.read()) == PAGE


def test_the_file_cache_reads_the_entries_djangos_backend_wrote_compressed(tmp_path):
    FileBasedCache(str(tmp_path), {}).set("page", PAGE, 60)
    (entry,) = [p for p in tmp_path.iterdir() if p.suffix == ".djcache"]
    with open(entry, "rb") as f:
        pickle.load(f)
        zlib.decompress(f.read())  # Django's own format, compressed
    cache = Files(str(tmp_path), {})
    assert cache.get("page") == PAGE
    assert cache.touch("page", 120)
    assert cache.get("page") == PAGE


def test_an_expired_file_entry_is_gone(tmp_path):
    cache = Files(str(tmp_path), {})
    cache.set("page", PAGE, -1)
    assert cache.get("page") is None
    assert not cache.touch("page", 60)


def test_the_redis_cache_builds_its_client_once():
    # Building the client opens no connection: no Redis server is needed here.
    cache = Redis("redis://127.0.0.1:6379/15", {})
    client = cache._cache.get_client("key")
    assert cache._cache.get_client("other") is client
    assert cache._cache.get_client("key", write=True) is client  # one server: one pool
