"""The authority's history: who changed what, newest first, a page at a time."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jumelage.workspace import navigation
from jumelage.workspace.pages.history import history_page
from jumelage.workspace.selectors import seat
from jumelage.workspace.views.frame import render_page


@login_required
@require_GET
def history(request: HttpRequest, slug: str) -> HttpResponse:
    """Every change the user may read of the authority's records (viewers too)."""
    place = seat(request.user, slug)
    return render_page(
        request,
        "workspace/history/history.html",
        place,
        nav=navigation.HOME,
        title=_("History"),
        context={"page": history_page(place, request.GET)},
    )
