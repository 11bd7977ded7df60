"""What every workspace form shares: errors tied to their field for screen readers."""

from __future__ import annotations

from django import forms


class WorkspaceForm(forms.Form):
    """A field in error points at its message (aria-describedby), besides its help text, as
    workspace/_form_fields.html lays them out (`<id>_error`, `<id>_helptext`)."""

    def full_clean(self) -> None:
        super().full_clean()
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
