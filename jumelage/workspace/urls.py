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

from jumelage.workspace.views import calendar, home, partnerships, projects, reports

app_name = "workspace"

member = "<slug:slug>/"


def page(words: Any) -> Any:
    """`<slug>/` then translated words of an address (a lazy string, read per language)."""
    return format_lazy("{}{}", member, words)


urlpatterns = [
    path("", home.start, name="start"),
    # The personal calendar feed: no authority in its address, the secret is the key.
    path(
        format_lazy("{}<str:secret>.ics", _("calendar-feed/")), calendar.feed, name="calendar_feed"
    ),
    path(member, home.home, name="home"),
    path(page(_("projects/")), projects.projects, name="projects"),
    path(page(format_lazy("{}<id:pk>/", _("projects/"))), projects.project, name="project"),
    path(page(_("partnerships/")), partnerships.partnerships, name="partnerships"),
    path(
        page(format_lazy("{}<id:pk>/", _("partnerships/"))),
        partnerships.partnership,
        name="partnership",
    ),
    path(
        page(
            format_lazy(
                "{}<id:pk>/{}<id:agreement_pk>/{}", _("partnerships/"), _("acts/"), _("step/")
            )
        ),
        partnerships.agreement_step,
        name="agreement_step",
    ),
    path(page(_("calendar/")), calendar.month, name="calendar"),
    path(
        page(format_lazy("{}<year:year>/<id:month>/", _("calendar/"))),
        calendar.month,
        name="calendar_month",
    ),
    path(
        page(format_lazy("{}{}", _("calendar/"), _("plan-a-visit/"))),
        calendar.plan_visit,
        name="plan_visit",
    ),
    path(
        page(format_lazy("{}{}", _("calendar/"), _("subscription/"))),
        calendar.subscription,
        name="calendar_subscription",
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
