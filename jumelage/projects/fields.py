"""Form fields of the projects' own values, shared by the back office and the workspace so that
both read what an officer types the same way."""

from __future__ import annotations

from typing import Any

from django import forms

from jumelage.projects.validators import sdg_targets_from_text


class SdgTargetsField(forms.CharField):
    """SDG targets typed as "6.1, 16.6", "6.1 16.6" or one per line, stored as a list of
    codes (`projects.validators.sdg_targets_from_text`); the service checks them against the
    UN list."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(code) for code in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]  # a list, on purpose
        if isinstance(value, list):
            return value
        return sdg_targets_from_text(super().to_python(value) or "")

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return (initial or []) != self.to_python(data)
        except forms.ValidationError:
            return True
