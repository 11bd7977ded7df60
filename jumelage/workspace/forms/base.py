"""What every workspace form shares: errors tied to their field for screen readers."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


class WorkspaceForm(forms.Form):
    """A field in error points at its message (aria-describedby), besides its help text, as
    workspace/_form_fields.html lays them out (`<id>_error`, `<id>_helptext`)."""

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_errors()

    def refuse(self, error: ValidationError) -> None:
        """A service's refusal shown on the form: on its field when the form has it, else at
        the top; the fields in error then point at their messages."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error.messages)
        self.mark_errors()

    def mark_errors(self) -> None:
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self.fields[name]
            auto_id = self[name].auto_id
            ids = [f"{auto_id}_error"]
            if field.help_text:
                ids.append(f"{auto_id}_helptext")
            field.widget.attrs["aria-describedby"] = " ".join(ids)
            field.widget.attrs["aria-invalid"] = "true"
