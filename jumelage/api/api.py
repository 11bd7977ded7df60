"""Version 1 of the open-data API: what member authorities publish, read-only, as JSON.

Mounted at /api/v1/ outside the language prefixes. Every list is paginated by page number; a
bad parameter gets a 422 answer saying what to write, an unknown authority a 404, both in the
reader's language (Accept-Language, French by default). The OpenAPI document is at
/api/v1/openapi.json; ninja's interactive docs page is off: without "ninja" in INSTALLED_APPS
it loads Swagger UI from a CDN, and the site makes no third-party request.
"""

# No `from __future__ import annotations` here: django-ninja reads these annotations at import
# time, and string annotations leave its query-parameter models undefined (a 500 on openapi.json).

import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import ValidationError
from ninja.pagination import PaginationBase, paginate
from ninja.renderers import JSONRenderer
from pydantic import ConfigDict

from jumelage.api import selectors
from jumelage.api.schemas import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    MAX_SEARCH_LENGTH,
    AuthorityFilters,
    AuthorityOut,
    ErrorOut,
    PartnershipOut,
    ProjectFilters,
    ProjectOut,
    ValidationErrorOut,
)
from jumelage.core import cache as page_cache
from jumelage.core.counting import cached_count
from jumelage.partners.models import MemberAuthority, Partnership
from jumelage.projects.models import Project
from jumelage.public import selectors as public

DESCRIPTION = """\
Open data on the international action of French local authorities that use Jumelage: the
member authorities, their twinnings and decentralised cooperations, and their projects.

Only what the authorities have published on their public pages appears, and only for active
member authorities. Read-only, no authentication. Lists are paginated (`page`, `page_size` up
to 100). Texts written by the authorities come as objects of language code to text.
Error messages follow the Accept-Language header (French by default).
"""


class Renderer(JSONRenderer):
    # Names and titles in French, Serbian, Arabic... read as written, not as \u00e9 escapes.
    json_dumps_params = {"ensure_ascii": False}


class OpenDataAPI(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        # Public, read-only data: any site may fetch it from its own pages (as the embeds).
        response["Access-Control-Allow-Origin"] = "*"
        pending = getattr(request, "jumelage_answer", None)
        if pending is not None and response.status_code == 200:
            key, generations = pending
            cache.set(key, {"body": response.content, "generations": generations}, ANSWER_TIMEOUT)
        return response

    def cached_response(self, body: bytes) -> HttpResponse:
        """An answer kept by `cached_answer`, with the headers of one made now."""
        response = HttpResponse(body, status=200, content_type=self.get_content_type())
        response["Access-Control-Allow-Origin"] = "*"
        return response


api = OpenDataAPI(
    title="Jumelage open data",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,
    renderer=Renderer(),
)


# --- Errors -------------------------------------------------------------------------------------


def _reader_language(request: HttpRequest) -> str:
    # The API is outside the language prefixes, where Django always activates the default
    # language: the reader's own comes from Accept-Language (or the language cookie).
    return translation.get_language_from_request(request) or settings.LANGUAGE_CODE


PARAMETERS = {"page", "page_size", "country", "sector", "status", "q", "slug"}


def _field_message(field: str, error: dict[str, Any]) -> str:
    """What to write in a query parameter, whatever was wrong with it."""
    if field == "page":
        return _("Write the page number as a whole number from 1, for example page=2.")
    if field == "page_size":
        return _(
            "Write the page size as a whole number from 1 to %(max)s, for example page_size=50."
        ) % {"max": MAX_PAGE_SIZE}
    if field == "country":
        return _(
            "Write the country as its two-letter ISO 3166 code, for example country=FR or "
            "country=HT."
        )
    if field == "sector":
        return _(
            "Write the sector as a 5-digit OECD DAC purpose code, for example sector=15112, or "
            "a 3-digit sector category, for example sector=151."
        )
    if field == "status":
        return _("Write the status as one of: %(choices)s.") % {
            "choices": ", ".join(Project.Status.values)
        }
    if field == "q":
        return _("Write the search as plain text of at most %(max)s characters.") % {
            "max": MAX_SEARCH_LENGTH
        }
    return _("The parameter “%(field)s” cannot be read (%(reason)s): correct it.") % {
        "field": field,
        "reason": error.get("msg", ""),
    }


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Ninja answers 422 with pydantic's details; this answers with sentences saying what to
    write, one per parameter."""
    errors: dict[str, str] = {}
    language = _reader_language(request)
    with translation.override(language):
        for error in exc.errors:
            location = [str(part) for part in error.get("loc", ())]
            # The parameter's name sits inside the location, e.g. ("query", "filters",
            # "status", "literal[...]") for a choice: take the first name the API knows.
            field = next(
                (part for part in location if part in PARAMETERS),
                location[-1] if location else "",
            )
            errors.setdefault(field, _field_message(field, error))
    data = {
        "detail": " ".join(errors.values()),
        "errors": [{"field": field, "message": message} for field, message in errors.items()],
    }
    response = api.create_response(request, data, status=422)
    response["Content-Language"] = language
    return response


class NoSuchAuthority(Exception):
    def __init__(self, slug: str) -> None:
        self.slug = slug
        super().__init__(slug)


@api.exception_handler(NoSuchAuthority)
def no_such_authority(request: HttpRequest, exc: NoSuchAuthority) -> HttpResponse:
    language = _reader_language(request)
    with translation.override(language):
        detail = _(
            "No active member authority publishes data at the address “%(slug)s”. "
            "The list of addresses is at /api/v1/authorities."
        ) % {"slug": exc.slug[:100]}
    response = api.create_response(request, {"detail": detail}, status=404)
    response["Content-Language"] = language
    return response


SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")


def _member(
    slug: str, *, counted: bool = False, request: HttpRequest | None = None
) -> MemberAuthority:
    """The active member authority at this address (with its counts if asked), else 404.
    With `request`: the member `cached_answer` already read for it, if it did."""
    read = getattr(request, "jumelage_member", None)
    if read is not None and read.slug == slug and not counted:
        return read
    # The public site's addresses only take slugs; any other text cannot name an authority
    # (and a NUL character would be a server error on PostgreSQL).
    member = None
    if SLUG.match(slug):
        member = selectors.authority(slug) if counted else public.active_member(slug)
    if member is None:
        raise NoSuchAuthority(slug)
    return member


# --- Answers kept in the cache ------------------------------------------------------------------

# A member's lists are kept under its pages' generations (core/cache.py): any write of the
# member or of the directory makes them be built again. The national lists are kept under the
# national generation, which every write of any authority changes. The timeout only bounds
# what a write around the services changed (a shell session, a migration).
ANSWER_TIMEOUT = 10 * 60


def cached_answer(*, member: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Answer a list from the cache when it was built under the current generations: one
    cache read, no query. Otherwise run the endpoint, and `OpenDataAPI.create_response`
    keeps the JSON it answers (200 only: errors are never kept)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def answer(request: HttpRequest, **kwargs: Any) -> Any:
            # The URLs in the answer are absolute: the host and scheme are part of the key.
            address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
            digest = hashlib.sha256(address.encode()).hexdigest()[:32]
            if member:
                slug = kwargs["slug"]
                read: list[MemberAuthority] = []

                def find() -> int:
                    read.append(_member(slug))
                    return read[0].pk

                if not SLUG.match(slug):
                    raise NoSuchAuthority(slug)
                found = page_cache.member_id(slug, find)
                key = f"jumelage:api:{found}:{digest}"
                generations: Any
                generations, entry = page_cache.with_generations(found, key)
                if isinstance(entry, dict) and entry.get("generations") == generations:
                    return api.cached_response(entry["body"])
                if not read:
                    try:
                        read.append(_member(slug))
                    except NoSuchAuthority:
                        page_cache.forget_member_id(slug)
                        raise
                if read[0].pk != found:  # the slug now names another member
                    page_cache.confirm_member_id(slug, found, read[0].pk)
                    key = f"jumelage:api:{read[0].pk}:{digest}"
                    generations = page_cache.with_generations(read[0].pk, key)[0]
                request.jumelage_member = read[0]  # type: ignore[attr-defined]
            else:
                key = f"jumelage:api:national:{digest}"
                generations, entry = page_cache.with_national_generation(key)
                if isinstance(entry, dict) and entry.get("generations") == generations:
                    return api.cached_response(entry["body"])
            request.jumelage_answer = (key, generations)  # type: ignore[attr-defined]
            return view(request, **kwargs)

        return answer

    return decorate


# --- Pagination ---------------------------------------------------------------------------------


def _describe_items(schema: dict[str, Any]) -> None:
    schema["properties"]["items"].setdefault("description", "This page's items.")


class Pages(PaginationBase):
    """Page number and page size; a size above the maximum is refused, not cut."""

    class Input(Schema):
        page: int = Field(1, ge=1, description="The page to read, from 1.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE,
            ge=1,
            le=MAX_PAGE_SIZE,
            description=f"Items per page, from 1 to {MAX_PAGE_SIZE}.",
        )

    class Output(Schema):
        # Ninja re-declares `items` for each list with its item schema, without a description.
        model_config = ConfigDict(json_schema_extra=_describe_items)

        count: int = Field(description="The number of items on all pages.")
        page: int = Field(description="This page's number.")
        page_size: int = Field(description="Items per page.")
        items: list[Any]

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Any, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        # Counted once a minute (estimated for a national table): core.counting.
        count = cached_count(queryset)
        start = (pagination.page - 1) * pagination.page_size
        # Past the last page the answer is empty without reading the rows: a huge page number
        # would overflow the database's OFFSET.
        items = list(queryset[start : start + pagination.page_size]) if start < count else []
        return {
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
            "items": items,
        }


# --- Endpoints ----------------------------------------------------------------------------------

SLUG_PARAMETER = Path(
    description="The member authority's address on the site, as listed by /authorities.",
    examples=["suresnes"],
)
LIST_ERRORS = {422: ValidationErrorOut}
MEMBER_LIST_ERRORS = {404: ErrorOut, 422: ValidationErrorOut}


@api.get(
    "/authorities",
    response={200: list[AuthorityOut], **LIST_ERRORS},
    tags=["authorities"],
    summary="Member authorities",
    description="The active member authorities, by name, with their counts of published "
    "partnerships and projects. Filter by country, or by words of the name, town or region.",
)
@cached_answer(member=False)
@paginate(Pages)
def list_authorities(
    request: HttpRequest, filters: Query[AuthorityFilters]
) -> QuerySet[MemberAuthority]:
    return selectors.authorities(query=filters.q or "", country=(filters.country or "").upper())


@api.get(
    "/authorities/{slug}",
    response={200: AuthorityOut, 404: ErrorOut},
    tags=["authorities"],
    summary="A member authority",
    description="One active member authority, by its address on the site (its slug).",
)
def get_authority(request: HttpRequest, slug: str = SLUG_PARAMETER) -> MemberAuthority:
    return _member(slug, counted=True)


@api.get(
    "/authorities/{slug}/partnerships",
    response={200: list[PartnershipOut], **MEMBER_LIST_ERRORS},
    tags=["authorities"],
    summary="Partnerships of a member authority",
    description="Its published partnerships (twinnings, decentralised cooperations, "
    "friendship pacts, one-off actions), ended ones included, by partner name.",
)
@cached_answer(member=True)
@paginate(Pages)
def list_partnerships(request: HttpRequest, slug: str = SLUG_PARAMETER) -> QuerySet[Partnership]:
    return selectors.partnerships(_member(slug, request=request))


@api.get(
    "/authorities/{slug}/projects",
    response={200: list[ProjectOut], **MEMBER_LIST_ERRORS},
    tags=["authorities", "projects"],
    summary="Projects of a member authority",
    description="Its published projects, in the order of its public list: running ones "
    "first, then those being prepared, then those done.",
)
@cached_answer(member=True)
@paginate(Pages)
def list_member_projects(request: HttpRequest, slug: str = SLUG_PARAMETER) -> QuerySet[Project]:
    return selectors.projects(_member(slug, request=request))


@api.get(
    "/projects",
    response={200: list[ProjectOut], **LIST_ERRORS},
    tags=["projects"],
    summary="Projects of every member authority",
    description="The published projects of every active member authority, by authority then "
    "latest planned start. Filter by recipient country, DAC sector and status.",
)
@cached_answer(member=False)
@paginate(Pages)
def list_projects(request: HttpRequest, filters: Query[ProjectFilters]) -> QuerySet[Project]:
    return selectors.national_projects(
        country=(filters.country or "").upper(),
        sector=filters.sector or "",
        status=filters.status or "",
    )


# --- Any other address under /api/ ------------------------------------------------------------


def unknown_address(request: HttpRequest, rest: str = "") -> HttpResponse:
    """A JSON 404 (not the site's HTML page) for an address under /api/ that is no endpoint,
    with the fix when it is only a trailing slash."""
    language = _reader_language(request)
    path = request.path
    with translation.override(language):
        detail = _(
            "There is nothing at %(path)s. The endpoints are listed in /api/v1/openapi.json."
        ) % {"path": path[:200]}
        if len(path) > 1 and path.endswith("/"):
            detail += " " + _("API addresses take no final slash: try %(path)s.") % {
                "path": path.rstrip("/")[:200]
            }
    response = api.create_response(request, {"detail": detail}, status=404)
    response["Content-Language"] = language
    return response
