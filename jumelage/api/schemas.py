"""What the open-data API reads (query filters) and answers (JSON), one schema per use.

Only what the public pages already show: no amounts, people, visits or internal notes. Codes
(status, kind, countries, sectors) rather than labels, so that answers do not depend on the
reader's language; texts written by the authorities come as {language: text} objects.
"""

import datetime
import re
from typing import Any, Literal

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from ninja import Field, Schema
from pydantic import field_validator

from jumelage.partners.models import Authority, MemberAuthority, Partnership
from jumelage.projects.models import Project
from jumelage.public.links import partner_url

# The codes of the models' choices, written out: they are the API's contract, and an enum of
# each model would be named "Kind" or "Status" in the OpenAPI document, where same-named
# schemas overwrite each other. api/tests/test_openapi.py checks they match the models.
AuthorityKind = Literal["municipality", "intermunicipal", "department", "region", "state", "other"]
PartnershipKind = Literal["twinning", "cooperation", "friendship", "one_off"]
PartnershipStatus = Literal["active", "dormant", "ended"]
ProjectStatus = Literal[
    "idea", "preparation", "funding_sought", "running", "completed", "evaluated", "cancelled"
]

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50
MAX_SEARCH_LENGTH = 100  # as the public home page's search

# Empty is allowed, and means no filter (a form sends its unchosen filters as `country=`).
COUNTRY_PATTERN = r"^([A-Za-z]{2})?$"
SECTOR_PATTERN = r"^([0-9]{3}([0-9]{2})?)?$"
# Printable text only: a NUL character reaching PostgreSQL would be a server error.
SEARCH_PATTERN = r"^[^\x00-\x1f\x7f]*$"


def _absolute(context: Any, path: str) -> str:
    return context["request"].build_absolute_uri(path)


def _site_language() -> Any:
    # Public pages are linked at their address in the site's language (French, no prefix),
    # whatever the reader's: the same answer for everyone.
    return translation.override(settings.LANGUAGE_CODE)


# What a slug converter accepts, and what reverse() then leaves as it is in the path.
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")
_MARK = re.compile(r"(jumelagearg[0-9]+x)")
_paths: dict[tuple[Any, ...], list[str | int]] = {}


def site_path(name: str, *args: str) -> str:
    """reverse(name, args) in the site's language, with the URL resolved once per process and
    the arguments put in its place (a page of 100 projects resolved a URL 100 times). Slugs
    only: any other argument goes through reverse() itself, which quotes or refuses it."""
    if not all(_SLUG.match(arg) for arg in args):
        with _site_language():
            return reverse(name, args=list(args))
    key = (name, len(args), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    pieces = _paths.get(key)
    if pieces is None:
        marks = [f"jumelagearg{i}x" for i in range(len(args))]
        with _site_language():
            template = reverse(name, args=marks)
        # The path's own text, and the index of each argument where its mark stood.
        pieces = [marks.index(part) if part in marks else part for part in _MARK.split(template)]
        _paths[key] = pieces
    return "".join(args[part] if isinstance(part, int) else part for part in pieces)


def texts(value: Any) -> dict[str, str]:
    """A multilingual field as {language: text}, without empty texts."""
    if not isinstance(value, dict):
        return {}
    return {code: text for code, text in value.items() if isinstance(text, str) and text}


# --- Query filters ------------------------------------------------------------------------------


class Filters(Schema):
    @field_validator("*", mode="before")
    @classmethod
    def empty_means_any(cls, value: Any) -> Any:
        # A form sends its unchosen filters as `country=`: no filter, not a bad country.
        return None if value == "" else value


class AuthorityFilters(Filters):
    country: str | None = Field(
        None,
        pattern=COUNTRY_PATTERN,
        description="Only authorities of this country: its ISO 3166-1 alpha-2 code, e.g. FR.",
        examples=["FR"],
    )
    q: str | None = Field(
        None,
        max_length=MAX_SEARCH_LENGTH,
        pattern=SEARCH_PATTERN,
        description="Words found in the authority's name, town, region or address on the site "
        "(as the search of the public home page).",
        examples=["Suresnes"],
    )


class ProjectFilters(Filters):
    country: str | None = Field(
        None,
        pattern=COUNTRY_PATTERN,
        description="Only projects with this recipient country: its ISO 3166-1 alpha-2 code, "
        "e.g. HT.",
        examples=["HT"],
    )
    sector: str | None = Field(
        None,
        pattern=SECTOR_PATTERN,
        description="Only projects in this OECD DAC sector: a 5-digit CRS purpose code (e.g. "
        "15112), or a 3-digit sector category (e.g. 151) for every purpose code under it.",
        examples=["15112"],
    )
    # "" is listed because a form sends an unchosen filter as `status=`: no filter.
    status: ProjectStatus | Literal[""] | None = Field(
        None, description="Only projects with this status (empty: any)."
    )


# --- Answers ------------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong and what to do, as a sentence.")


class FieldErrorOut(Schema):
    field: str = Field(description="The query parameter in error, e.g. page_size.")
    message: str = Field(description="What to write in it instead.")


class ValidationErrorOut(Schema):
    detail: str = Field(description="Every problem of the request, as sentences.")
    errors: list[FieldErrorOut] = Field(description="Each problem with its parameter.")


class AuthorityOut(Schema):
    slug: str = Field(
        description="The authority's address on the site, used by the other endpoints."
    )
    name: str = Field(description="The authority's name.")
    country: str = Field(description="Its country: ISO 3166-1 alpha-2 code.")
    kind: AuthorityKind = Field(description="The kind of authority.")
    website: str = Field(description="Its own website, or an empty string.")
    url: str = Field(description="Its international relations page on this site.")
    partnership_count: int = Field(description="Its published partnerships, ended ones included.")
    project_count: int = Field(description="Its published projects.")
    is_demo: bool = Field(
        description="True for an authority loaded by the demonstration: its invented records "
        "are marked is_example."
    )

    @staticmethod
    def resolve_name(obj: MemberAuthority) -> str:
        return obj.authority.name

    @staticmethod
    def resolve_country(obj: MemberAuthority) -> str:
        return obj.authority.country_id

    @staticmethod
    def resolve_kind(obj: MemberAuthority) -> str:
        return obj.authority.kind

    @staticmethod
    def resolve_website(obj: MemberAuthority) -> str:
        return obj.authority.website

    @staticmethod
    def resolve_url(obj: MemberAuthority, context: Any) -> str:
        return _absolute(context, site_path("public:authority", obj.slug))


class PartnerOut(Schema):
    name: str = Field(description="The partner authority's name.")
    country: str = Field(description="Its country: ISO 3166-1 alpha-2 code.")

    @staticmethod
    def resolve_country(obj: Authority) -> str:
        return obj.country_id


class PartnershipOut(Schema):
    id: int = Field(description="The partnership's number, stable over time.")
    partner: PartnerOut = Field(description="The partner authority.")
    kind: PartnershipKind = Field(description="The kind of partnership.")
    status: PartnershipStatus = Field(description="Whether it is active, dormant or ended.")
    start_year: int | None = Field(description="The year it started, when known.")
    ended_on: datetime.date | None = Field(description="The day it ended, when it has.")
    url: str = Field(description="The partner town's page on this site.")

    @staticmethod
    def resolve_url(obj: Partnership, context: Any) -> str:
        with _site_language():
            path = partner_url(obj.authority, obj.partner)
        return _absolute(context, path)


SHARE = "Its share of the project, in percent."


class RecipientCountryOut(Schema):
    country: str = Field(description="A recipient country: ISO 3166-1 alpha-2 code.")
    percentage: float = Field(description=SHARE)

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return obj.country_id


class SectorOut(Schema):
    code: str = Field(
        description="An OECD DAC sector: 5-digit CRS purpose code, or 3-digit category."
    )
    percentage: float = Field(description=SHARE)


class AuthorityRefOut(Schema):
    slug: str = Field(description="The member authority's address on the site.")
    name: str = Field(description="The member authority's name.")

    @staticmethod
    def resolve_name(obj: MemberAuthority) -> str:
        return obj.authority.name


class ProjectOut(Schema):
    slug: str = Field(description="The project's address, unique within its authority.")
    authority: AuthorityRefOut = Field(description="The member authority that runs it.")
    title: dict[str, str] = Field(
        description="The title in each language it is written in: {language code: text}.",
        examples=[{"fr": "Appui à l'état civil", "en": "Civil registration support"}],
    )
    summary: dict[str, str] = Field(
        description="The summary in each language it is written in: {language code: text}."
    )
    status: ProjectStatus = Field(description="Where the project stands.")
    planned_start: datetime.date | None = Field(description="The planned first day.")
    planned_end: datetime.date | None = Field(description="The planned last day.")
    actual_start: datetime.date | None = Field(description="The day it actually started.")
    actual_end: datetime.date | None = Field(description="The day it actually ended.")
    recipient_countries: list[RecipientCountryOut] = Field(
        description="The countries it benefits, with the share of each, largest first."
    )
    sectors: list[SectorOut] = Field(
        description="Its OECD DAC sectors, with the share of each, largest first."
    )
    url: str = Field(description="The project's page on this site.")
    is_example: bool = Field(
        description="True for a record invented for the demonstration, not a fact."
    )

    @staticmethod
    def resolve_title(obj: Project) -> dict[str, str]:
        return texts(obj.title)

    @staticmethod
    def resolve_summary(obj: Project) -> dict[str, str]:
        return texts(obj.summary)

    @staticmethod
    def resolve_recipient_countries(obj: Project) -> list[Any]:
        return obj.recipient_countries  # type: ignore[attr-defined]  # prefetched by the selector

    @staticmethod
    def resolve_sectors(obj: Project) -> list[Any]:
        return obj.dac_sectors  # type: ignore[attr-defined]  # prefetched by the selector

    @staticmethod
    def resolve_url(obj: Project, context: Any) -> str:
        return _absolute(context, site_path("public:project", obj.authority.slug, obj.slug))
