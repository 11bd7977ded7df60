"""Progress of a long export or import on a command's stderr: one line every N rows."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

PROGRESS_EVERY = 500


class ProgressLine:
    """Called with (done, total) as rows go; writes "what: done of total rows" to stderr each
    time another `every` rows are done, and once at the end."""

    def __init__(self, stderr: Any, what: str, every: int = PROGRESS_EVERY) -> None:
        self.stderr = stderr
        self.what = what
        self.every = max(1, every)
        self.step = 0
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        step = done // self.every
        finished = done >= total and done != self.shown
        if step > self.step or (finished and done > 0):
            self.stderr.write(
                _("%(what)s: %(done)s of %(total)s rows")
                % {"what": self.what, "done": done, "total": total}
            )
            self.step = step
            self.shown = done
