"""Thin views: the public IATI file (streamed) and the staff page listing the projects the
export leaves out, with what to fix."""

from __future__ import annotations

import itertools

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jumelage.partners.models import MemberAuthority
from jumelage.reporting.iati.checks import check_now
from jumelage.reporting.iati.export import iter_activities_xml
from jumelage.reporting.selectors import iati_member


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@require_GET
def iati_activities(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """The IATI 2.03 activity file of an active member authority's published projects.

    404 for an unknown or inactive authority, and when no published project can be exported
    (an iati-activities file must hold at least one activity).
    """
    member = iati_member(slug)
    if member is None:
        raise Http404(_("No member authority publishes an IATI file at this address."))
    chunks = iter_activities_xml(member, base_url=_site_url(request), cached=True)
    first = next(chunks, None)
    if first is None:
        raise Http404(_("This authority has no published project to show in IATI yet."))
    response = StreamingHttpResponse(
        itertools.chain([first], chunks), content_type="application/xml; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{member.slug}-iati-activities.xml"'
    return response


@staff_member_required
@require_GET
def iati_check(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff of the authority only: the projects the IATI export leaves out, and why."""
    member = get_object_or_404(MemberAuthority.objects.for_user(request.user), slug=slug)
    report = check_now(member, base_url=_site_url(request), today=timezone.localdate())
    context = {
        **admin.site.each_context(request),
        "title": _("IATI export of %(authority)s") % {"authority": member.authority.name},
        "member": member,
        "report": report,
        "excluded": report.excluded,
        "file_url": reverse("reporting:iati_activities", args=[member.slug]),
    }
    return render(request, "reporting/iati_check.html", context)
