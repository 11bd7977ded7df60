"""What every workspace page shares: the frame (menu, authority, title) around its content."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jumelage.workspace import navigation
from jumelage.workspace.selectors import Seat

# The authority last opened, to open it again from /espace/ when the user has several.
LAST_AUTHORITY = "workspace_authority"


def render_page(
    request: HttpRequest,
    template: str,
    place: Seat,
    *,
    nav: str,
    title: str,
    context: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """A workspace page: `template` extends workspace/base.html; `nav` names the menu entry."""
    base = {
        "workspace": place,
        "member": place.member,
        "authority": place.member.authority,
        "menu": navigation.menu(place.member, request.user),
        "nav": nav,
        "page_title": title,
    }
    return render(request, template, {**base, **(context or {})}, status=status)
