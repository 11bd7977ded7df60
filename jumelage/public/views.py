"""Thin views of the public website: each reads published data through `public.selectors`,
renders once into the page cache (`public.pages`) and serves from it until the next write.

No view reads the session or a CSRF token, so an anonymous visitor gets no cookie.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from csp.decorators import csp_replace, csp_update
from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from jumelage.core import cache as page_cache
from jumelage.core.i18n import pick, translate
from jumelage.partners.models import Authority, MemberAuthority, Partnership
from jumelage.public import map as public_map
from jumelage.public import pages, selectors
from jumelage.public.contact import dialable, hours_by_day
from jumelage.public.links import partner_url
from jumelage.public.pages import (
    HOME_TIMEOUT,
    cached,
    home_page_key,
    member_page_key,
    render_page,
)
from jumelage.public.seo import json_ld_script, service_json_ld

HOME_PAGE_SIZE = 30
PROJECT_PAGE_SIZE = 12
# Partner towns listed on one page of the authority page (and their cooperation cards): a city
# with thousands of partnerships gets pages well under 100 KB compressed.
TOWNS_PAGE_SIZE = 100
NEWS_PAGE_SIZE = 10
VISIT_PAGE_SIZE = 20


# --- Helpers ----------------------------------------------------------------------------------


def _member_or_404(slug: str) -> MemberAuthority:
    member = selectors.active_member(slug)
    if member is None:
        raise Http404(_("No member authority publishes pages at this address."))
    return member


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise Http404(_("There is no such page."))
    return int(raw)


def _paginate(items: Any, per_page: int, number: int) -> Any:
    try:
        return Paginator(items, per_page).page(number)
    except EmptyPage as error:
        raise Http404(_("There is no such page.")) from error


def city_label(authority: Authority) -> str:
    """The breadcrumb's middle step, as an authority's own site names it ("La Ville")."""
    labels: dict[str, str] = {
        Authority.Kind.MUNICIPALITY: _("The city"),
        Authority.Kind.INTERMUNICIPAL: _("The intercommunality"),
        Authority.Kind.DEPARTMENT: _("The département"),
        Authority.Kind.REGION: _("The region"),
    }
    return labels.get(authority.kind, authority.name)


def _breadcrumbs(member: MemberAuthority, trail: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Home, The city, International relations, then the page's own steps; "Home" and
    "The city" lead to the authority's own website when it is known."""
    website = member.authority.website
    items: list[dict[str, Any]] = [
        {"label": _("Home"), "url": website or reverse("public:home")},
        {"label": city_label(member.authority), "url": website or ""},
        {
            "label": _("International relations"),
            "url": reverse("public:authority", args=[member.slug]),
        },
    ]
    items += [{"label": label, "url": url} for label, url in trail]
    items[-1]["url"] = ""  # the current page
    items[-1]["current"] = True
    return items


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _alternates(request: HttpRequest) -> list[dict[str, str]]:
    path = request.get_full_path()
    return [
        {"code": code, "url": _absolute(request, translate_url(path, code))}
        for code, _name in settings.LANGUAGES
    ]


def _base(
    request: HttpRequest,
    *,
    title: str,
    description: str = "",
    member: MemberAuthority | None = None,
    trail: list[tuple[str, str]] | None = None,
    nav: str = "",
    og_type: str = "website",
) -> dict[str, Any]:
    canonical = request.path
    page = request.GET.get("page")
    if page and page != "1":
        canonical += f"?page={page}"
    context: dict[str, Any] = {
        "page_title": title,
        "meta_description": description,
        "canonical_url": _absolute(request, canonical),
        "alternates": _alternates(request),
        "og_type": og_type,
        "og_locale": {"fr": "fr_FR", "en": "en_GB"}.get(get_language() or "", "fr_FR"),
        "nav": nav,
    }
    if member is not None:
        context.update(
            member=member,
            authority=member.authority,
            breadcrumbs=_breadcrumbs(member, trail or []),
            site_name=_("%(authority)s – International relations")  # noqa: RUF001
            % {"authority": member.authority.name},
            share_title=f"{title} – {member.authority.name}",  # noqa: RUF001
            phone_dialable=dialable(member.phone, member.authority.country_id),
        )
        # The page, its section when it is not the section itself, then the authority.
        section = _("International relations")
        parts = [title] if title == section else [title, section]
        context["document_title"] = " – ".join([*parts, member.authority.name])  # noqa: RUF001
    else:
        context["site_name"] = "Jumelage"
        context["document_title"] = f"{title} – Jumelage"  # noqa: RUF001
    return context


def _place(town: selectors.PartnerTown) -> public_map.Place | None:
    partner = town.partner
    if partner.latitude is None or partner.longitude is None:
        return None
    kinds = {p.kind for p in town.partnerships if p.status != Partnership.Status.ENDED}
    if {Partnership.Kind.TWINNING, Partnership.Kind.COOPERATION} <= kinds:
        kind = public_map.BOTH
    elif Partnership.Kind.TWINNING in kinds:
        kind = public_map.TWINNING
    elif Partnership.Kind.COOPERATION in kinds:
        kind = public_map.COOPERATION
    else:
        kind = public_map.OTHER
    return public_map.Place(
        name=partner.name,
        latitude=float(partner.latitude),
        longitude=float(partner.longitude),
        kind=kind,
        country_code=partner.country_id,
        description=f"{partner.country.name}, {public_map.legend_label(kind)}",
    )


def _member_place(member: MemberAuthority) -> public_map.Place | None:
    authority = member.authority
    if authority.latitude is None or authority.longitude is None:
        return None
    return public_map.Place(
        name=authority.name,
        latitude=float(authority.latitude),
        longitude=float(authority.longitude),
        kind=public_map.MEMBER,
        country_code=authority.country_id,
        description=authority.country.name,
    )


def _map(
    member: MemberAuthority, towns: list[selectors.PartnerTown], id_prefix: str = "map"
) -> dict[str, Any]:
    """The map of the member town and its partner towns, with its legend."""
    places = [p for p in [_member_place(member), *(_place(t) for t in towns)] if p is not None]
    if not any(place.kind != public_map.MEMBER for place in places):
        return {}
    name = member.authority.name
    svg = public_map.render_map(
        places,
        title=_("Map of the partner towns of %(authority)s") % {"authority": name},
        description=public_map.describe(
            places, _("%(authority)s and its partner towns:") % {"authority": name}
        ),
        id_prefix=id_prefix,
    )
    legend = [
        {"kind": kind, "label": public_map.legend_label(kind)}
        for kind in public_map.legend_kinds(places)
    ]
    missing = [t for t in towns if t.partner.latitude is None or t.partner.longitude is None]
    return {"svg": svg, "legend": legend, "unplaced": missing}


def _contact_context(member: MemberAuthority) -> dict[str, Any]:
    periods = selectors.opening_hours(member)
    return {
        "opening_periods": periods,
        "opening_days": hours_by_day(periods),
        "opening_time_zone": member.time_zone,
    }


# --- The platform's home ----------------------------------------------------------------------


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The active member authorities, by name, with a search (GET: no token, no cookie)."""
    query = request.GET.get("q", "").strip()[:100]
    number = _page_number(request)

    def context() -> dict[str, Any]:
        page = _paginate(selectors.member_directory(query), HOME_PAGE_SIZE, number)
        return {
            **_base(
                request,
                title=_("The international action of French local authorities"),
                description=_(
                    "Twin towns, decentralised cooperation and international projects of the "
                    "local authorities using Jumelage."
                ),
                nav="home",
            ),
            "page": page,
            "query": query,
        }

    # The search words go into the key hashed: any text, any length, a valid key.
    key = home_page_key(request, "home", hashlib.sha256(query.encode()).hexdigest()[:16], number)
    return render_page(request, key, "public/home.html", context, timeout=HOME_TIMEOUT)


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    def context() -> dict[str, Any]:
        return _base(request, title=_("Accessibility"), nav="accessibility")

    key = home_page_key(request, "accessibility")
    return render_page(request, key, "public/accessibility.html", context)


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    sitemap = _absolute(request, reverse("public:sitemap"))
    return HttpResponse(f"User-agent: *\nAllow: /\nSitemap: {sitemap}\n", content_type="text/plain")


# --- A member authority's pages ---------------------------------------------------------------


@require_safe
def authority(request: HttpRequest, slug: str) -> HttpResponse:
    """The international relations page of a member authority. A cached page costs no query:
    the member's id and the generations come from the cache (public/pages.py)."""
    read: list[MemberAuthority] = []  # the member, when the cache did not know its id

    def find() -> int:
        read.append(_member_or_404(slug))
        return read[0].pk

    number = _page_number(request)
    found = page_cache.member_id(slug, find)
    key = pages.current_page_key(request, found, slug, "authority", number)
    hit, generations = pages.current_page(request, key, found)
    if hit is not None:
        return hit
    if read:
        member = read[0]
    else:
        try:
            member = _member_or_404(slug)
        except Http404:
            page_cache.forget_member_id(slug)
            raise
    if member.pk != found:  # the slug now names another member: its own key and generations
        page_cache.confirm_member_id(slug, found, member.pk)
        key = pages.current_page_key(request, member.pk, slug, "authority", number)
        generations = pages.current_page(request, key, member.pk)[1]

    def context() -> dict[str, Any]:
        partnerships = selectors.current_partnerships(member)
        every_town = selectors.partner_towns(partnerships)
        towns_page = _paginate(every_town, TOWNS_PAGE_SIZE, number)
        towns = list(towns_page.object_list)
        shown = {town.partner.pk for town in towns}
        cooperations = [
            p
            for p in partnerships
            if p.kind == Partnership.Kind.COOPERATION and p.partner_id in shown
        ]
        selectors.with_current_projects(member, cooperations)
        intro = translate(member.introduction)
        base = _base(
            request,
            title=_("International relations"),
            description=intro[:200] if intro else "",
            member=member,
            nav="overview",
        )
        contact = _contact_context(member)
        return {
            **base,
            **contact,
            "towns": towns,
            "page": towns_page,
            "twin_town_count": sum(1 for t in every_town if t.twinning),
            "cooperation_count": sum(
                1 for p in partnerships if p.kind == Partnership.Kind.COOPERATION
            ),
            "twin_towns": [t for t in towns if t.twinning],
            "cooperation_towns": [t for t in towns if t.cooperation],
            "other_towns": [t for t in towns if not t.twinning and not t.cooperation],
            "cooperations": cooperations,
            "map": _map(member, every_town),
            "cofunders": selectors.cofunders(member),
            "networks": selectors.networks(member),
            "people": selectors.positions_held(member),
            "actors": selectors.actors(member),
            "hosted": selectors.delegations_hosted(member),
            "labels": selectors.labels(member),
            "latest_news": list(selectors.news(member)[:3]),
            "project_count": selectors.project_count(member),
            "json_ld": json_ld_script(
                service_json_ld(member, contact["opening_periods"], base["canonical_url"])
            ),
        }

    return pages.render_current_page(request, key, generations, "public/authority.html", context)


@require_safe
def partner(request: HttpRequest, slug: str, partner_id: int, name: str) -> HttpResponse:
    """A partner town: every published partnership with it, projects, acts, people, news."""
    member = _member_or_404(slug)

    def context() -> dict[str, Any]:
        page = selectors.partner_page(member, partner_id)
        if page is None:
            raise Http404(_("This authority publishes no partnership with this town."))
        town = page.town
        summary = next((translate(p.summary) for p in town.partnerships if p.summary), "")
        base = _base(
            request,
            title=town.partner.name,
            description=summary[:200],
            member=member,
            trail=[(town.partner.name, "")],
            nav="overview",
        )
        # The address without the name part is enough; the page names itself canonically.
        base["canonical_url"] = _absolute(request, partner_url(member, town.partner))
        return {**base, "page": page, "town": town, "map": _map(member, [town], "partner-map")}

    key = member_page_key(request, member.pk, "partner", partner_id)
    return render_page(request, key, "public/partner.html", context)


def _list_page(
    request: HttpRequest,
    slug: str,
    *,
    rows: Any,
    size: int,
    title: str,
    description: str,
    nav: str,
    template: str,
) -> HttpResponse:
    """A paginated list of one member authority's published records (projects, news)."""
    member = _member_or_404(slug)
    number = _page_number(request)

    def context() -> dict[str, Any]:
        return {
            **_base(
                request,
                title=title,
                description=description % {"authority": member.authority.name},
                member=member,
                trail=[(title, "")],
                nav=nav,
            ),
            "page": _paginate(rows(member), size, number),
        }

    key = member_page_key(request, member.pk, nav, number)
    return render_page(request, key, template, context)


@require_safe
def project_list(request: HttpRequest, slug: str) -> HttpResponse:
    return _list_page(
        request,
        slug,
        rows=selectors.projects,
        size=PROJECT_PAGE_SIZE,
        title=_("Projects"),
        description=_("The international projects of %(authority)s."),
        nav="projects",
        template="public/project_list.html",
    )


@require_safe
def project(request: HttpRequest, slug: str, project_slug: str) -> HttpResponse:
    member = _member_or_404(slug)

    def context() -> dict[str, Any]:
        page = selectors.project_page(member, project_slug)
        if page is None:
            raise Http404(_("This authority publishes no project at this address."))
        title = translate(page.project.title) or page.project.slug
        return {
            **_base(
                request,
                title=title,
                description=translate(page.project.summary)[:200],
                member=member,
                trail=[
                    (_("Projects"), reverse("public:projects", args=[member.slug])),
                    (title, ""),
                ],
                nav="projects",
                og_type="article",
            ),
            "page": page,
            "project": page.project,
        }

    key = member_page_key(request, member.pk, "project", project_slug)
    return render_page(request, key, "public/project.html", context)


def project_preview(request: HttpRequest, page: selectors.ProjectPage) -> HttpResponse:
    """A project's public page as it would show, for the workspace's preview: built from
    values not saved (`selectors.project_page_of`), never cached, marked as a preview and
    kept out of search engines (noindex)."""
    member = page.project.authority
    title = translate(page.project.title) or page.project.slug
    context = {
        **_base(
            request,
            title=title,
            description=translate(page.project.summary)[:200],
            member=member,
            trail=[(_("Projects"), reverse("public:projects", args=[member.slug])), (title, "")],
            nav="projects",
            og_type="article",
        ),
        "page": page,
        "project": page.project,
        "preview": True,
    }
    response = render(request, "public/project.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def news_list(request: HttpRequest, slug: str) -> HttpResponse:
    return _list_page(
        request,
        slug,
        rows=selectors.news,
        size=NEWS_PAGE_SIZE,
        title=_("News"),
        description=_("News of the international action of %(authority)s."),
        nav="news",
        template="public/news_list.html",
    )


@require_safe
def news_item(request: HttpRequest, slug: str, news_slug: str) -> HttpResponse:
    member = _member_or_404(slug)

    def context() -> dict[str, Any]:
        item = selectors.news_item(member, news_slug)
        if item is None:
            raise Http404(_("This authority publishes no news item at this address."))
        title = translate(item.title) or item.slug
        return {
            **_base(
                request,
                title=title,
                description=translate(item.body)[:200],
                member=member,
                trail=[(_("News"), reverse("public:news", args=[member.slug])), (title, "")],
                nav="news",
                og_type="article",
            ),
            "item": item,
        }

    key = member_page_key(request, member.pk, "news-item", news_slug)
    return render_page(request, key, "public/news_item.html", context)


@require_safe
def visits(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member_or_404(slug)
    number = _page_number(request)

    def context() -> dict[str, Any]:
        page = _paginate(selectors.visits(member), VISIT_PAGE_SIZE, number)
        return {
            **_base(
                request,
                title=_("Delegations and visits"),
                description=_("Delegations hosted by %(authority)s and its missions abroad.")
                % {"authority": member.authority.name},
                member=member,
                trail=[(_("Visits"), "")],
                nav="visits",
            ),
            "page": page,
        }

    key = member_page_key(request, member.pk, "visits", number)
    return render_page(request, key, "public/visits.html", context)


@require_safe
def contact(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member_or_404(slug)

    def context() -> dict[str, Any]:
        base = _base(
            request,
            title=_("Contact"),
            description=_("How to reach the international relations service of %(authority)s.")
            % {"authority": member.authority.name},
            member=member,
            trail=[(_("Contact"), "")],
            nav="contact",
        )
        values = _contact_context(member)
        return {
            **base,
            **values,
            "json_ld": json_ld_script(
                service_json_ld(member, values["opening_periods"], base["canonical_url"])
            ),
        }

    key = member_page_key(request, member.pk, "contact")
    return render_page(request, key, "public/contact.html", context)


@require_safe
# Its own inline styles, nothing else. (django-csp types its decorators for views that take
# the request alone, hence the ignores.)
@csp_update({"style-src": [public_map.STYLE_HASH]})  # type: ignore[arg-type]
def map_svg(request: HttpRequest, slug: str) -> HttpResponse:
    """The map alone, as an SVG file (to open full screen and zoom on a phone)."""
    member = _member_or_404(slug)

    def build() -> str:
        towns = selectors.partner_towns(selectors.current_partnerships(member))
        places = [p for p in [_member_place(member), *(_place(t) for t in towns)] if p]
        if not places:
            raise Http404(_("This authority has no town to show on a map."))
        name = member.authority.name
        svg = public_map.render_map(
            places,
            title=_("Map of the partner towns of %(authority)s") % {"authority": name},
            description=public_map.describe(
                places, _("%(authority)s and its partner towns:") % {"authority": name}
            ),
            standalone=True,
        )
        return '<?xml version="1.0" encoding="utf-8"?>\n' + svg

    svg = cached(member_page_key(request, member.pk, "map.svg"), build)
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


# --- Embeddable blocks -------------------------------------------------------------------------
# The only pages another site may frame: no X-Frame-Options, and a Content-Security-Policy whose
# frame-ancestors lists the sites allowed (settings.EMBED_FRAME_ANCESTORS, any by default).


def _json_response(data: Any) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json"
    )
    # Public, read-only data: any site may fetch it from its own pages.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _text(value: dict[str, str] | None) -> dict[str, str]:
    text, lang = pick(value)
    return {"text": text, "lang": lang} if text else {"text": "", "lang": ""}


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": settings.EMBED_FRAME_ANCESTORS})  # type: ignore[arg-type]
def embed_twin_towns(request: HttpRequest, slug: str) -> HttpResponse:
    """The twin towns block as a page to include in an iframe (framing allowed here only)."""
    member = _member_or_404(slug)
    with_map = request.GET.get("map") == "1"

    def context() -> dict[str, Any]:
        towns = selectors.partner_towns(selectors.current_partnerships(member))
        twin_towns = [t for t in towns if t.twinning]
        return {
            **_base(request, title=_("Twin towns"), member=member),
            "towns": twin_towns,
            "map": _map(member, twin_towns, "embed-map") if with_map else {},
        }

    key = member_page_key(request, member.pk, "embed-twin-towns", with_map)
    return render_page(request, key, "public/embed/twin_towns.html", context)


@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": settings.EMBED_FRAME_ANCESTORS})  # type: ignore[arg-type]
def embed_projects(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member_or_404(slug)

    def context() -> dict[str, Any]:
        return {
            **_base(request, title=_("Projects"), member=member),
            "projects": list(selectors.projects(member)[:50]),
        }

    key = member_page_key(request, member.pk, "embed-projects")
    return render_page(request, key, "public/embed/projects.html", context)


def _authority_json(request: HttpRequest, member: MemberAuthority) -> dict[str, Any]:
    authority = member.authority
    return {
        "name": authority.name,
        "country": authority.country_id,
        "url": _absolute(request, reverse("public:authority", args=[member.slug])),
    }


@require_safe
def embed_twin_towns_json(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member_or_404(slug)

    def build() -> dict[str, Any]:
        towns = selectors.partner_towns(selectors.current_partnerships(member))
        rows = []
        for town in towns:
            partner = town.partner
            twinning = town.twinning
            if twinning is None:
                continue
            rows.append(
                {
                    "name": partner.name,
                    "local_name": partner.local_name,
                    "local_name_language": partner.local_name_language,
                    "country": {"code": partner.country_id, "name": partner.country.name},
                    "since": twinning.start_year,
                    "also_decentralised_cooperation": town.cooperation is not None,
                    "latitude": float(partner.latitude) if partner.latitude is not None else None,
                    "longitude": float(partner.longitude)
                    if partner.longitude is not None
                    else None,
                    "url": _absolute(request, partner_url(member, partner)),
                }
            )
        return {
            "language": get_language(),
            "authority": _authority_json(request, member),
            "twin_towns": rows,
        }

    data = cached(member_page_key(request, member.pk, "twin-towns.json"), build)
    return _json_response(data)


@require_safe
def embed_projects_json(request: HttpRequest, slug: str) -> HttpResponse:
    member = _member_or_404(slug)

    def build() -> dict[str, Any]:
        rows = []
        for item in selectors.projects(member)[:200]:
            rows.append(
                {
                    "slug": item.slug,
                    "title": _text(item.title),
                    "summary": _text(item.summary),
                    "status": {"code": item.status, "name": str(item.get_status_display())},
                    "planned_start": item.planned_start.isoformat() if item.planned_start else None,
                    "planned_end": item.planned_end.isoformat() if item.planned_end else None,
                    "partner_towns": sorted(
                        {p.partner.name for p in item.public_partnerships}  # type: ignore[attr-defined]
                    ),
                    "url": _absolute(
                        request, reverse("public:project", args=[member.slug, item.slug])
                    ),
                }
            )
        return {
            "language": get_language(),
            "authority": _authority_json(request, member),
            "projects": rows,
        }

    data = cached(member_page_key(request, member.pk, "projects.json"), build)
    return _json_response(data)
