"""Workspace URLs, mounted inside i18n_patterns under a translated word, as the public site's
pages are: /espace/ in French, /en/workspace/ in English.

Every page of an authority's workspace sits under `<slug>/`, the authority's address: a page
names the authority it shows, so a bookmark or a shared link opens the same authority, and a
member of another authority gets a plain 404 for it.
"""

from typing import Any

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jumelage.workspace.views import home, imports, projects, reports, setup

app_name = "workspace"

member = "<slug:slug>/"


def page(words: Any) -> Any:
    """`<slug>/` then translated words of an address (a lazy string, read per language)."""
    return format_lazy("{}{}", member, words)


urlpatterns = [
    path("", home.start, name="start"),
    path(member, home.home, name="home"),
    path(page(_("projects/")), projects.projects, name="projects"),
    path(page(format_lazy("{}<id:pk>/", _("projects/"))), projects.project, name="project"),
    path(page(_("setup/")), setup.setup, name="setup"),
    path(page(_("import/")), imports.imports, name="imports"),
    path(page(format_lazy("{}<id:pk>/", _("import/"))), imports.import_job, name="import_job"),
    path(
        page(format_lazy("{}<id:pk>/progress/", _("import/"))),
        imports.import_progress,
        name="import_progress",
    ),
    path(
        page(format_lazy("{}<id:pk>/check/", _("import/"))),
        imports.import_recheck,
        name="import_recheck",
    ),
    path(
        page(format_lazy("{}<id:pk>/write/", _("import/"))),
        imports.import_start,
        name="import_start",
    ),
    path(
        page(format_lazy("{}<id:pk>/rows-to-fix/", _("import/"))),
        imports.import_rows_to_fix,
        name="import_rows_to_fix",
    ),
    path(
        page(format_lazy("{}<id:pk>/next/", _("import/"))),
        imports.import_continue,
        name="import_continue",
    ),
    path(page(_("reports/")), reports.reports, name="reports"),
    path(
        page(format_lazy("{}<year:year>/", _("annual-report/"))),
        reports.annual,
        name="annual_report",
    ),
    path(
        page(format_lazy("{}<year:year>.pdf", _("annual-report/"))),
        reports.annual_pdf,
        name="annual_report_pdf",
    ),
]
