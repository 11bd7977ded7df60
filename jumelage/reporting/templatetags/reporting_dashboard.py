"""The back-office dashboard's reporting panel: the ODA declaration window, the year to
declare, links to each of the user's authorities' declaration, Atlas sheets and "1 %"
ceilings, and to the national view of every authority's ODA for those who may read it."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from jumelage.partners.models import MemberAuthority
from jumelage.reporting.oda.window import declaration_window
from jumelage.tenancy.access import may_read_national_reports

register = template.Library()

# A superuser of a national instance reads thousands of authorities: the panel lists a few.
MAX_AUTHORITIES = 10


@register.simple_tag(takes_context=True)
def reporting_dashboard(context: template.Context) -> dict[str, Any]:
    """One query: the first authorities the user belongs to, with their links."""
    user = context.get("user")
    window = declaration_window()
    members = list(MemberAuthority.objects.for_user(user).order_by("slug")[: MAX_AUTHORITIES + 1])
    links = [
        {
            "member": member,
            "oda_url": reverse("reporting:oda_declaration", args=[member.slug, window.year]),
            "atlas_url": reverse("reporting:atlas_sheets", args=[member.slug]),
            "budgets_url": reverse("workspace:service_budgets_current", args=[member.slug]),
        }
        for member in members[:MAX_AUTHORITIES]
    ]
    national_url = ""
    if may_read_national_reports(user):
        national_url = reverse("reporting:oda_national", args=[window.year])
    return {
        "window": window,
        "links": links,
        "more": len(members) > MAX_AUTHORITIES,
        "national_url": national_url,
    }
