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

from jumelage.workspace.views import home, payments, projects

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
    path(page(_("payments/")), payments.ledger, name="payments"),
    path(
        page(format_lazy("{}{}", _("payments/"), _("new/"))),
        payments.payment_new,
        name="payment_new",
    ),
    path(
        page(format_lazy("{}{}", _("payments/"), _("paste/"))),
        payments.paste,
        name="payments_paste",
    ),
    path(page(format_lazy("{}<id:pk>/", _("payments/"))), payments.payment_row, name="payment"),
    path(
        page(format_lazy("{}<id:pk>/{}", _("payments/"), _("edit/"))),
        payments.payment_edit,
        name="payment_edit",
    ),
    path(page(_("exchange-rates/")), payments.rate, name="rate"),
]
