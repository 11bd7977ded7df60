"""Forms of the spreadsheet page: which list to export, which file to import, which IATI file
to import."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from jumelage.partners.models import MemberAuthority
from jumelage.register.selectors import may_add_entries
from jumelage.reporting.iati.reader import too_big_message
from jumelage.reporting.services import max_import_bytes
from jumelage.reporting.spreadsheets.exports import CSV, EXPORTS, XLSX
from jumelage.reporting.spreadsheets.imports import IMPORTS
from jumelage.reporting.spreadsheets.reading import max_bytes, megabytes, too_big

FORMAT_CHOICES = [(XLSX, _("Excel (XLSX)")), (CSV, _("CSV (semicolons, UTF-8)"))]


class AuthorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: MemberAuthority) -> str:
        return str(obj)


class _AuthorityForm(forms.Form):
    authority = AuthorityChoiceField(
        label=_("Member authority"), queryset=MemberAuthority.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        authorities = MemberAuthority.objects.for_user(user).order_by("authority__name")
        field = cast(forms.ModelChoiceField, self.fields["authority"])
        field.queryset = authorities
        field.empty_label = _("All my authorities")
        if not self.is_bound:
            only = list(authorities[:2])
            if len(only) == 1:
                field.initial = only[0].pk


class ExportForm(_AuthorityForm):
    """One form for every list: each list has a button per format, named "export" and valued
    "<list>.<format>" (e.g. "partnerships.xlsx")."""

    export = forms.ChoiceField(label=_("List"), choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["export"]).choices = [
            (f"{export.name}.{file_format}", f"{export.title} ({label})")
            for export in EXPORTS.values()
            for file_format, label in FORMAT_CHOICES
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("export"):
            data["list_name"], data["file_format"] = data["export"].split(".")
        return data


class ImportForm(_AuthorityForm):
    field_order = ["kind", "authority", "file"]

    kind = forms.ChoiceField(label=_("Template"), choices=[])
    file = forms.FileField(label=_("Filled-in file"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("XLSX, XLS, ODS or CSV, at most %(size)s MB.") % {
            "size": megabytes(max_bytes())
        }
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (k.name, k.title) for k in IMPORTS.values()
        ]
        cast(forms.ModelChoiceField, self.fields["authority"]).empty_label = _("Choose…")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(too_big(upload.size).message)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = IMPORTS.get(data.get("kind", ""))
        if kind is not None and kind.needs_member and not data.get("authority"):
            self.add_error(
                "authority", _("Choose the member authority the rows of this file are for.")
            )
        return data


class IatiImportForm(_AuthorityForm):
    """An IATI activity file to import into the shared table of other publishers' activities,
    for one of the user's authorities (recorded with the import)."""

    field_order = ["authority", "file"]

    file = forms.FileField(label=_("IATI activity file (XML)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = kwargs["user"]
        self.fields["file"].help_text = _("An iati-activities file, at most %(size)s MB.") % {
            "size": megabytes(max_import_bytes())
        }
        cast(forms.ModelChoiceField, self.fields["authority"]).empty_label = _("Choose…")
        self.fields["authority"].required = True

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_import_bytes():
            raise forms.ValidationError(too_big_message(max_import_bytes(), upload.size))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not may_add_entries(self.user):
            raise forms.ValidationError(
                _("You may not import into the shared directory. Ask an officer of your authority.")
            )
        return data
