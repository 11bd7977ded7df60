"""What search engines and social networks read: schema.org JSON-LD for the service."""

from __future__ import annotations

import json
from typing import Any

from django.utils.html import _json_script_escapes  # type: ignore[attr-defined]
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from jumelage.partners.models import MemberAuthority
from jumelage.public.contact import SCHEMA_DAYS, Period, dialable


def _address(member: MemberAuthority) -> dict[str, Any] | None:
    if not (member.street or member.city):
        return None
    address = {
        "@type": "PostalAddress",
        "streetAddress": member.street,
        "postalCode": member.postcode,
        "addressLocality": member.city or member.authority.name,
        "addressCountry": member.authority.country_id,
    }
    return {key: value for key, value in address.items() if value}


def _hours(periods: list[Period]) -> list[dict[str, str]]:
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[weekday]}",
            "opens": opens.strftime("%H:%M"),
            "closes": closes.strftime("%H:%M"),
        }
        for weekday, opens, closes in periods
    ]


def service_json_ld(member: MemberAuthority, periods: list[Period], url: str) -> dict[str, Any]:
    """GovernmentOrganization (the service) with its ContactPoint and, on its office (a Place,
    where schema.org puts opening hours), its openingHoursSpecification."""
    authority = member.authority
    name = member.service_name or _("International relations")
    phone = dialable(member.phone, authority.country_id)
    hours = _hours(periods)
    address = _address(member)
    contact_point: dict[str, Any] = {
        "@type": "ContactPoint",
        "contactType": _("international relations"),
    }
    if phone:
        contact_point["telephone"] = phone
    if member.email:
        contact_point["email"] = member.email
    if hours:
        contact_point["hoursAvailable"] = hours
    parent: dict[str, Any] = {"@type": "GovernmentOrganization", "name": authority.name}
    if authority.website:
        parent["url"] = authority.website
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization",
        "name": f"{name} – {authority.name}",  # noqa: RUF001
        "url": url,
        "parentOrganization": parent,
        "contactPoint": contact_point,
    }
    if address:
        data["address"] = address
    if phone:
        data["telephone"] = phone
    if member.email:
        data["email"] = member.email
    if address or hours:
        office: dict[str, Any] = {"@type": "GovernmentOffice", "name": data["name"]}
        if address:
            office["address"] = address
        if hours:
            office["openingHoursSpecification"] = hours
        data["location"] = office
    return data


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """The data in a <script type="application/ld+json">, escaped so that no text in it can
    close the script element."""
    text = json.dumps(data, ensure_ascii=False, indent=None).translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
