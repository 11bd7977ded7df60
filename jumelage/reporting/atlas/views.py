"""Back-office pages of the Atlas: the sheets of a member authority's partnerships, and the
spreadsheet of them all. Staff members of the authority only; anybody else gets a 404."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jumelage.partners.models import MemberAuthority
from jumelage.reporting.atlas import export
from jumelage.reporting.atlas.selectors import atlas_sheets


def _member(request: HttpRequest, slug: str) -> MemberAuthority:
    return get_object_or_404(MemberAuthority.objects.for_user(request.user), slug=slug)


@staff_member_required
@require_GET
def sheets_page(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member(request, slug)
    context = {
        **admin.site.each_context(request),
        "title": _("Atlas sheets of %(authority)s") % {"authority": member},
        "member": member,
        "sheets": atlas_sheets(member),
        "xlsx_url": reverse("reporting:atlas_file", args=[member.slug]),
    }
    return render(request, "reporting/atlas/sheets.html", context)


@staff_member_required
@require_GET
def sheets_file(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member(request, slug)
    content = export.xlsx_bytes(member, atlas_sheets(member))
    response = HttpResponse(content, content_type=export.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{export.file_name(member)}"'
    return response
