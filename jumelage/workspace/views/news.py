"""The authority's news: the list, and a news item's form (new or changed). Written by
`content.services.news_item_save` with the version the page showed, audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jumelage.content.services import news_item_save
from jumelage.tenancy.services import ConcurrentEditError
from jumelage.workspace import navigation
from jumelage.workspace.forms.news import NewsForm
from jumelage.workspace.pages.news import (
    NEWS_PER_PAGE,
    may_write_news,
    news_of,
    news_rows,
    news_to_edit,
)
from jumelage.workspace.selectors import seat
from jumelage.workspace.views.frame import render_page
from jumelage.workspace.views.projects import add_errors


@login_required
@require_GET
def news_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The authority's news items, latest first, with where each one shows."""
    place = seat(request.user, slug)
    page = Paginator(news_of(place), NEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render_page(
        request,
        "workspace/news/list.html",
        place,
        nav=navigation.NEWS,
        title=_("News"),
        context={
            "page": page,
            "rows": news_rows(place, list(page.object_list)),
            "may_add": may_write_news(place),
            "public_news_url": reverse("public:news", args=[place.member.slug]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def news_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Write a news item, or change one: title and text, date, what it is about, published or
    not."""
    place = seat(request.user, slug)
    item = news_to_edit(place, pk) if pk is not None else None
    if not may_write_news(place):
        raise PermissionDenied(_("Your role lets you read the news, not write it."))
    form = NewsForm(
        request.POST if request.method == "POST" else None,
        user=place.user,
        member=place.member,
        instance=item,
        initial=_initial(request) if item is None else None,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = news_item_save(
                    news_item=form.fill(),
                    user=place.user,
                    expected_version=form.cleaned_data.get("version") if item else None,
                )
            except ValidationError as error:
                add_errors(form, error)  # type: ignore[arg-type]
                status = 409 if isinstance(error, ConcurrentEditError) else 400
            else:
                messages.success(request, _("“%(item)s” is saved.") % {"item": saved})
                return redirect("workspace:news", slug=place.member.slug)
        else:
            status = 400
    return render_page(
        request,
        "workspace/news/edit.html",
        place,
        nav=navigation.NEWS,
        title=str(item) if item is not None else _("New news item"),
        context={"form": form, "item": item},
        status=status,
    )


def _initial(request: HttpRequest) -> dict[str, object] | None:
    """A news item started from a project's or partnership's page is about it."""
    initial: dict[str, object] = {
        name: request.GET[name]
        for name in ("project", "partnership")
        if request.GET.get(name, "").isdigit() and len(request.GET[name]) < 12
    }
    return initial or None
