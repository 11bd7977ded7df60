"""Addresses of public pages that templates and views both build."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import slugify

from jumelage.partners.models import Authority, MemberAuthority


def partner_slug(authority: Authority) -> str:
    """The readable part of a partner town's address (its id is what finds it)."""
    return slugify(authority.name) or "partner"


def partner_url(member: MemberAuthority, authority: Authority) -> str:
    return reverse("public:partner", args=[member.slug, authority.pk, partner_slug(authority)])
