"""The cache backends of config/settings.py: Django's, without two costs paid on every read of a
cached page (bench/README.md, "cached authority pages").

- Redis: Django's client builds a new `redis.Redis` object around its connection pool for every
  call (about 0.2 ms of Python each, more than the round trip itself); this one builds it once
  per pool. A backend instance belongs to one thread (`django.core.cache.caches`), and the
  `redis.Redis` object is thread-safe anyway: it only borrows connections from the pool.
- Files: Django compresses every entry with zlib, so a hit on a 70 KB page spends 0.2 ms
  decompressing it; this one writes entries uncompressed (pages take about 4 times the disk)
  and still reads the compressed entries Django wrote before.

Both use Django's private helpers (`_get_connection_pool`, `_key_to_file`...), which the type
stubs do not declare: hence the `type: ignore[attr-defined]`. Checked against Django 5.2.
"""

from __future__ import annotations

import pickle
import zlib
from typing import IO, Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.files import locks


class ReusingRedisClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class Redis(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisClient


# Pickle from protocol 2 starts with the PROTO opcode; zlib's stream never does (0x78 ...).
_PICKLE = b"\x80"


def _load(data: bytes) -> Any:
    if not data.startswith(_PICKLE):
        data = zlib.decompress(data)  # written compressed, by Django's own backend
    return pickle.loads(data)


class Files(FileBasedCache):
    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        try:
            name = self._key_to_file(key, version)  # type: ignore[attr-defined]
            with open(name, "rb") as f:
                if not self._is_expired(f):  # type: ignore[attr-defined]
                    return _load(f.read())
        except FileNotFoundError:
            pass
        return default

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        # Django's, reading the entry with _load.
        try:
            name = self._key_to_file(key, version)  # type: ignore[attr-defined]
            with open(name, "r+b") as f:
                try:
                    locks.lock(f, locks.LOCK_EX)
                    if self._is_expired(f):  # type: ignore[attr-defined]
                        return False
                    previous_value = _load(f.read())
                    f.seek(0)
                    self._write_content(f, timeout, previous_value)
                    return True
                finally:
                    locks.unlock(f)
        except FileNotFoundError:
            return False

    def _write_content(self, file: IO[bytes], timeout: Any, value: Any) -> None:
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))
