"""Admin actions "Export the selected rows (Excel / CSV)" on the changelists of the exported
lists, without editing the other apps' admin modules.

`register_export_actions()` adds the two actions to the registered ModelAdmin of each exported
model (partnerships, agreements, projects, financing plans, actors, people, visits). It is called
from spreadsheets/urls.py, which Django reads after every app's admin module is loaded and before
any changelist is shown. Its usual home would be jumelage/reporting/admin.py (a line
`register_export_actions()` at the end), which is the reporting IATI module's file.

The action exports the selected rows in one request: the changelist's queryset is already the
user's (OwnedModelAdmin.get_queryset), and the export scopes it with `for_user` again. For a
whole long list with a progress bar, the spreadsheets page runs the export as a job.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jumelage.reporting.spreadsheets.exports import (
    CSV,
    EXPORTS,
    XLSX,
    export_file_name,
    export_for_model,
    write_export,
)

CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}


def _export_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, file_format: str
) -> FileResponse | None:
    export = export_for_model(modeladmin.model)
    if export is None:
        return None
    language = (translation.get_language() or "fr").split("-")[0]
    # Spooled: in memory for a page of rows, on disk beyond a few megabytes.
    stream = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    write_export(
        export,
        stream,  # type: ignore[arg-type]
        file_format=file_format,
        language=language,
        user=request.user,
        pks=queryset.values("pk"),
    )
    stream.seek(0)
    return FileResponse(
        stream,
        as_attachment=True,
        filename=export_file_name(export, None, file_format),
        content_type=CONTENT_TYPES[file_format],
    )


@admin.action(description=_("Export the selected rows (Excel)"))
def export_selected_xlsx(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> Any:
    return _export_selected(modeladmin, request, queryset, XLSX)


@admin.action(description=_("Export the selected rows (CSV)"))
def export_selected_csv(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> Any:
    return _export_selected(modeladmin, request, queryset, CSV)


ACTIONS = (export_selected_xlsx, export_selected_csv)


def register_export_actions(site: admin.AdminSite | None = None) -> None:
    """Add the export actions to each exported model's admin (idempotent)."""
    site = site or admin.site
    for export in EXPORTS.values():
        model_admin = site._registry.get(export.model)
        if model_admin is None or model_admin.actions is None:
            continue  # not in this admin, or actions turned off on purpose
        current = list(model_admin.actions)
        missing = [action for action in ACTIONS if action not in current]
        if missing:
            model_admin.actions = [*current, *missing]
