"""The storage of background jobs' files (STORAGES["jobs"]): uploaded spreadsheets and IATI
files, finished exports. Never served directly: the owner downloads them through a view.

A folder on disk by default, settings.SPREADSHEET_WORK_DIR (read when used, so that a test or a
settings module may move it); on several hosts the folder must be shared by every web process
and worker (a network volume), or STORAGES["jobs"] set to an S3-compatible storage: the jobs
only use the storage's API (save, open, exists, delete).
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class JobFileStorage(FileSystemStorage):
    def __init__(self, **options: Any) -> None:
        options.setdefault("base_url", None)  # no public address: files go through views
        super().__init__(**options)

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(getattr(self, "_location", None) or settings.SPREADSHEET_WORK_DIR)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)
