"""Forms of the workspace's import: the file sent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jumelage.reporting.spreadsheets.reading import max_bytes, megabytes, too_big
from jumelage.workspace.forms.base import WorkspaceForm


class UploadForm(WorkspaceForm):
    file = forms.FileField(label=_("Your spreadsheet"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "XLSX, XLS, ODS or CSV, at most %(size)s MB, as you keep it: title rows, totals "
            "and several sheets are fine."
        ) % {"size": megabytes(max_bytes())}
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.xls,.ods,.csv"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(too_big(upload.size).message)
        return upload
