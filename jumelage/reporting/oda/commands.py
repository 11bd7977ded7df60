"""What the reporting commands share: finding the member authority, checking the output path,
and writing the file so that a failure never leaves half of it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from jumelage.partners.models import MemberAuthority
from jumelage.reporting.spreadsheets.writers import CSV_ENCODING


def member_or_error(slug: str) -> MemberAuthority:
    member = MemberAuthority.objects.filter(slug=slug).first()
    if member is None:
        raise CommandError(
            _(
                "No member authority has the slug “%(slug)s”; check it in the back office, "
                "under Member authorities."
            )
            % {"slug": slug}
        )
    return member


def output_or_error(value: str, extensions: tuple[str, ...]) -> tuple[Path, str]:
    output = Path(value)
    extension = output.suffix.lower().lstrip(".")
    if extension not in extensions:
        raise CommandError(
            _("Name the output file with one of these extensions: %(extensions)s.")
            % {"extensions": ", ".join(f".{e}" for e in extensions)}
        )
    if not output.parent.is_dir():
        raise CommandError(
            _("The folder %(folder)s does not exist; create it or choose another path.")
            % {"folder": output.parent}
        )
    return output, extension


def write_atomically(output: Path, write: Callable[[IO[Any]], None], *, text: bool = False) -> None:
    """Write beside the target, then rename: a failed export never leaves half a file."""
    handle, temporary = tempfile.mkstemp(dir=output.parent, suffix=".part")
    try:
        if text:
            with os.fdopen(handle, "w", encoding=CSV_ENCODING, newline="") as stream:
                write(stream)
        else:
            with os.fdopen(handle, "wb") as stream:
                write(stream)
        os.replace(temporary, output)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
