"""People and actors: the volunteers' directory (who can help), the local actors and what they
did in which project, a volunteer's missions valued in kind, a network's who does what where."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jumelage.workspace import navigation
from jumelage.workspace.pages.people import (
    actor_list,
    actor_page,
    network_page,
    people_page,
    person_page,
)
from jumelage.workspace.selectors import seat
from jumelage.workspace.views.frame import render_page

ACTORS_PER_PAGE = 50
# A search is a short phrase ("water, speaks Spanish, available in March").
MAX_SEARCH = 200


@login_required
@require_GET
def people(request: HttpRequest, slug: str) -> HttpResponse:
    """Who can help: the staff volunteers, searched in one box; the networks kept."""
    place = seat(request.user, slug)
    text = request.GET.get("q", "")[:MAX_SEARCH]
    page = people_page(place, text)
    return render_page(
        request,
        "workspace/people/people.html",
        place,
        nav=navigation.PEOPLE,
        title=_("People and actors"),
        context={"page": page, "q": text},
    )


@login_required
@require_GET
def person(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place = seat(request.user, slug)
    page = person_page(place, pk)
    return render_page(
        request,
        "workspace/people/person.html",
        place,
        nav=navigation.PEOPLE,
        title=str(page.person),
        context={"page": page, "person": page.person},
    )


@login_required
@require_GET
def actors(request: HttpRequest, slug: str) -> HttpResponse:
    """The local actors, with how many projects and people each has."""
    place = seat(request.user, slug)
    paginator = Paginator(actor_list(place), ACTORS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render_page(
        request,
        "workspace/people/actors.html",
        place,
        nav=navigation.PEOPLE,
        title=_("Local actors"),
        context={"page": page, "actors": page.object_list},
    )


@login_required
@require_GET
def actor(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place = seat(request.user, slug)
    page = actor_page(place, pk)
    return render_page(
        request,
        "workspace/people/actor.html",
        place,
        nav=navigation.PEOPLE,
        title=page.actor.name,
        context={"page": page, "actor": page.actor},
    )


@login_required
@require_GET
def network(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place = seat(request.user, slug)
    page = network_page(place, pk)
    return render_page(
        request,
        "workspace/people/network.html",
        place,
        nav=navigation.PEOPLE,
        title=page.network.name,
        context={"page": page, "network": page.network},
    )
