"""One definition of what is public, read by every face: the public site, the embeds, the news
feeds, the open-data API and the IATI file never show an unpublished record.

Two member authorities each publish one record of every kind and keep one of every kind
unpublished, each named with a marker (``hiddenprojecta``...). Unpublished records are linked
to published ones the way real data links them (a published project with an unpublished
partnership, a published visit to an unpublished partner, a draft revision of a published
project's financing plan...), and each authority's published project is also linked, behind
the services' back, to the other authority's partnerships. Each face is read in full for both
authorities: no hidden marker may appear anywhere, each authority's published markers appear
where that face shows that kind of record, and never on the other authority's.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from jumelage.actors.tests.factories import (
    ActorFactory,
    PersonFactory,
    PositionFactory,
    ProjectActorFactory,
)
from jumelage.content.tests.factories import DocumentFactory, NewsItemFactory
from jumelage.core.tests.factories import CountryFactory
from jumelage.partners.models import MemberAuthority, Partnership
from jumelage.partners.tests.factories import AuthorityFactory, PartnershipFactory
from jumelage.projects.models import FinancingPlan, Project, ResourceLine
from jumelage.projects.tests.factories import (
    ExpenseLineFactory,
    FinancingPlanFactory,
    FunderFactory,
    ProjectCountryFactory,
    ProjectFactory,
    ProjectSectorFactory,
    ResourceLineFactory,
)
from jumelage.public.links import partner_url
from jumelage.visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db

KINDS = (
    "partnership",
    "project",
    "actor",
    "document",
    "news",
    "visit",
    "person",
    "position",
    "financing",
)
PAST = datetime.date(2025, 3, 21)


@dataclass
class Records:
    """One member authority's records: markers by kind, and what the pages are read by."""

    member: MemberAuthority
    shown: dict[str, list[str]] = field(default_factory=dict)
    hidden: dict[str, list[str]] = field(default_factory=dict)
    partnerships: list[Partnership] = field(default_factory=list)
    project_slugs: list[str] = field(default_factory=list)
    news_slugs: list[str] = field(default_factory=list)


def _town(name: str) -> Any:
    return AuthorityFactory(
        name=name,
        country=CountryFactory(code="HT"),
        latitude=Decimal("19.75"),
        longitude=Decimal("-72.20"),
    )


def _plan(project: Any, funder: str, status: str, expenses: str, *, year: int | None = None) -> Any:
    plan = FinancingPlanFactory(project=project, status=status, year=year)
    ExpenseLineFactory(plan=plan, amount=Decimal(expenses), year=2025)
    half = Decimal(expenses) / 2
    ResourceLineFactory(plan=plan, is_own=True, amount=half, status=ResourceLine.Status.GRANTED)
    ResourceLineFactory(
        plan=plan,
        is_own=False,
        funder=FunderFactory(name=funder),
        amount=half,
        status=ResourceLine.Status.GRANTED,
    )
    return plan


def publish_world(member: MemberAuthority, x: str) -> Records:
    """Published and unpublished records of each kind for `member`, markers ending in `x`."""
    records = Records(member=member)
    shown, hidden = records.shown, records.hidden

    # Partnerships: a published twinning and cooperation with one town, an unpublished one.
    shown["partnership"] = [f"shownpartnership{x}"]
    hidden["partnership"] = [f"hiddenpartnership{x}"]
    town = _town(f"Shownpartnership{x}")
    twinning = PartnershipFactory(
        authority=member, partner=town, kind=Partnership.Kind.TWINNING, is_public=True
    )
    cooperation = PartnershipFactory(
        authority=member, partner=town, kind=Partnership.Kind.COOPERATION, is_public=True
    )
    secret = PartnershipFactory(
        authority=member,
        partner=_town(f"Hiddenpartnership{x}"),
        kind=Partnership.Kind.TWINNING,
        is_public=False,
    )
    records.partnerships = [twinning, cooperation, secret]

    # Projects: a published one linked to both partnerships, an unpublished running one under
    # the published cooperation (its "current projects").
    shown["project"] = [f"shownproject{x}"]
    hidden["project"] = [f"hiddenproject{x}"]
    project = ProjectFactory(
        authority=member,
        slug=f"shownproject{x}",
        title={"fr": f"Shownproject{x}", "en": f"Shownproject{x}"},
        summary={"fr": "Un projet publié."},
        is_public=True,
        planned_start=datetime.date(2025, 1, 1),
        planned_end=datetime.date(2026, 12, 31),
    )
    ProjectCountryFactory(project=project, country=CountryFactory(code="HT"))
    ProjectSectorFactory(project=project, code="15112")
    project.partnerships.add(cooperation, secret)
    unpublished = ProjectFactory(
        authority=member,
        slug=f"hiddenproject{x}",
        title={"fr": f"Hiddenproject{x}", "en": f"Hiddenproject{x}"},
        is_public=False,
    )
    unpublished.partnerships.add(cooperation)
    records.project_slugs = [project.slug, unpublished.slug]

    # Financing: the adopted plan names its co-funder; a draft revision of it, and the
    # unpublished project's plan, name theirs nowhere.
    shown["financing"] = [f"shownfinancing{x}"]
    hidden["financing"] = [f"hiddenfinancing{x}", f"hiddenprojectfinancing{x}"]
    _plan(project, f"Shownfinancing{x}", FinancingPlan.Status.ADOPTED, "10000")
    _plan(project, f"Hiddenfinancing{x}", FinancingPlan.Status.DRAFT, "22000")
    _plan(unpublished, f"Hiddenprojectfinancing{x}", FinancingPlan.Status.ADOPTED, "5000")

    # Local actors: both take part in the published project and the published partnership.
    shown["actor"] = [f"shownactor{x}"]
    hidden["actor"] = [f"hiddenactor{x}"]
    actor = ActorFactory(authority=member, name=f"Shownactor{x}", is_public=True)
    private_actor = ActorFactory(authority=member, name=f"Hiddenactor{x}", is_public=False)
    for each in (actor, private_actor):
        each.partnerships.add(cooperation)
        ProjectActorFactory(project=project, actor=each, role="implementer")

    # Documents: a published one; an unpublished one of the published project and partnership;
    # a published one of the unpublished project, also filed under the published partnership.
    shown["document"] = [f"showndocument{x}"]
    hidden["document"] = [f"hiddendocument{x}", f"hiddenprojectdocument{x}"]
    DocumentFactory(
        authority=member,
        project=project,
        partnership=cooperation,
        title={"fr": f"Showndocument{x}"},
        url=f"https://example.org/showndocument{x}.pdf",
        is_public=True,
    )
    DocumentFactory(
        authority=member,
        project=project,
        partnership=cooperation,
        title={"fr": f"Hiddendocument{x}"},
        url=f"https://example.org/hiddendocument{x}.pdf",
        is_public=False,
    )
    DocumentFactory(
        authority=member,
        project=unpublished,
        partnership=cooperation,
        title={"fr": f"Hiddenprojectdocument{x}"},
        url=f"https://example.org/hiddenprojectdocument{x}.pdf",
        is_public=True,
    )

    # News: a published item about the published project; an unpublished one; one dated in
    # the future (it waits for its day); a published item about the unpublished project and
    # partnership, whose links must not name them.
    shown["news"] = [f"shownnews{x}"]
    hidden["news"] = [f"hiddennews{x}", f"hiddenfuturenews{x}"]
    for slug, is_public, day, about, partnership in (
        (f"shownnews{x}", True, PAST, project, cooperation),
        (f"hiddennews{x}", False, PAST, project, cooperation),
        (f"hiddenfuturenews{x}", True, datetime.date(2099, 1, 1), project, cooperation),
        (f"linkednews{x}", True, PAST, unpublished, secret),
    ):
        NewsItemFactory(
            authority=member,
            slug=slug,
            title={"fr": slug.capitalize(), "en": slug.capitalize()},
            published_on=day,
            project=about,
            partnership=partnership,
            is_public=is_public,
        )
    records.news_slugs = [
        f"{kind}news{x}" for kind in ("shown", "hidden", "hiddenfuture", "linked")
    ]

    # Visits: a published delegation from the unpublished partner about the unpublished
    # project; an unpublished visit; a cancelled one.
    shown["visit"] = [f"shownvisit{x}"]
    hidden["visit"] = [f"hiddenvisit{x}", f"hiddencancelledvisit{x}"]
    VisitFactory(
        authority=member,
        title={"fr": f"Shownvisit{x}"},
        partnership=secret,
        project=unpublished,
        is_public=True,
        status="done",
        starts_on=PAST,
        ends_on=PAST,
    )
    VisitFactory(
        authority=member, title={"fr": f"Hiddenvisit{x}"}, partnership=cooperation, is_public=False
    )
    VisitFactory(
        authority=member,
        title={"fr": f"Hiddencancelledvisit{x}"},
        partnership=cooperation,
        is_public=True,
        status="cancelled",
    )

    # People: a published official with a published and an unpublished position; an
    # unpublished person whose position is marked published.
    shown["person"] = [f"shownperson{x}"]
    hidden["person"] = [f"hiddenperson{x}"]
    shown["position"] = [f"shownposition{x}"]
    hidden["position"] = [f"hiddenposition{x}", f"hiddenpersonposition{x}"]
    official = PersonFactory(
        authority=member, last_name=f"Shownperson{x}", kind="elected", is_public=True
    )
    PositionFactory(person=official, title=f"Shownposition{x}", body="Groupe pays")
    PositionFactory(person=official, title=f"Hiddenposition{x}", body="Groupe", is_public=False)
    private_person = PersonFactory(authority=member, last_name=f"Hiddenperson{x}", is_public=False)
    PositionFactory(person=private_person, title=f"Hiddenpersonposition{x}", body="Groupe")
    return records


@pytest.fixture
def world(city_a: MemberAuthority, city_b: MemberAuthority) -> dict[str, Records]:
    a, b = publish_world(city_a, "a"), publish_world(city_b, "b")
    # Behind the services' back (they refuse it), each published project is linked to the
    # other authority's partnerships: they must not show up as its partners either.
    for mine, other in ((a, b), (b, a)):
        project = Project.objects.get(authority=mine.member, slug=mine.project_slugs[0])
        project.partnerships.add(*other.partnerships)
    return {"a": a, "b": b}


# --- Reading each face in full ------------------------------------------------------------------


def _read(client: Client, urls: list[str]) -> str:
    cache.clear()
    texts = []
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        if response.streaming:
            texts.append(b"".join(response.streaming_content).decode())
        else:
            texts.append(response.content.decode())
    return "\n".join(texts)


def public_site(client: Client, records: Records) -> str:
    member = records.member
    slug = member.slug
    urls = []
    for prefix in ("", "/en"):
        words = (
            ("projets", "actualites", "visites") if not prefix else ("projects", "news", "visits")
        )
        urls += [f"{prefix}/{slug}/", f"{prefix}/{slug}/contact/"]
        urls += [f"{prefix}/{slug}/{word}/" for word in words]
        urls += [f"{prefix}/{slug}/{words[0]}/{p}/" for p in records.project_slugs]
        urls += [f"{prefix}/{slug}/{words[1]}/{n}/" for n in records.news_slugs]
    urls += [partner_url(member, p.partner) for p in records.partnerships]
    urls.append(f"/{slug}/map.svg")
    return _read(client, urls)


def site_wide(client: Client, records: Records) -> str:
    return _read(
        client,
        ["/", "/en/", "/sitemap-partners.xml", "/sitemap-projects.xml", "/sitemap-news.xml"],
    )


def embeds(client: Client, records: Records) -> str:
    slug = records.member.slug
    return _read(
        client,
        [
            f"/{slug}/embed/twin-towns/?map=1",
            f"/{slug}/embed/twin-towns.json",
            f"/{slug}/embed/projects/",
            f"/{slug}/embed/projects.json",
        ],
    )


def feeds(client: Client, records: Records) -> str:
    slug = records.member.slug
    return _read(client, [f"/{slug}/news/feed.rss", f"/{slug}/news/feed.atom"])


def api(client: Client, records: Records) -> str:
    slug = records.member.slug
    return _read(
        client,
        [
            f"/api/v1/authorities/{slug}",
            f"/api/v1/authorities/{slug}/partnerships",
            f"/api/v1/authorities/{slug}/projects",
        ],
    )


def api_national(client: Client, records: Records) -> str:
    return _read(client, ["/api/v1/authorities", "/api/v1/projects"])


def iati(client: Client, records: Records) -> str:
    text = _read(client, [f"/iati/{records.member.slug}/activities.xml"])
    assert "<iati-activity" in text  # the published project is exported, not left out
    return text


Face = Callable[[Client, Records], str]
# Each face, the kinds of record it shows (it hides the unpublished ones of every kind), and
# whether it is a member's own (it never names another member's records) or site-wide.
FACES: dict[str, tuple[Face, set[str], bool]] = {
    "public site": (public_site, set(KINDS), True),
    "site-wide pages": (site_wide, {"partnership", "project", "news"}, False),
    "embeds": (embeds, {"partnership", "project"}, True),
    "feeds": (feeds, {"news"}, True),
    "api": (api, {"partnership", "project"}, True),
    "api national lists": (api_national, {"project"}, False),
    "iati": (iati, {"partnership", "project", "actor", "document", "financing"}, True),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("face", list(FACES))
def test_a_face_shows_no_unpublished_record_and_no_other_authoritys(
    client: Client, world: dict[str, Records], face: str, kind: str
) -> None:
    read, shows, own = FACES[face]
    for x, other in (("a", "b"), ("b", "a")):
        text = read(client, world[x]).casefold()
        for marker in world[x].hidden[kind] + world[other].hidden[kind]:
            assert marker not in text, f"{face} of ville-{x} shows the unpublished {marker}"
        if kind in shows:
            for marker in world[x].shown[kind]:
                assert marker in text, f"{face} of ville-{x} misses the published {marker}"
        # A member's own pages never name another member's records (the site-wide lists
        # name every member's).
        if own:
            for marker in world[other].shown[kind]:
                assert marker not in text, f"{face} of ville-{x} shows ville-{other}'s {marker}"


# --- Results: a reported value is published once approved ----------------------------------


def test_a_reported_value_is_published_only_once_an_officer_approves_it(
    client: Client, world: dict[str, Records], officer_a: Any, contributor_a: Any
) -> None:
    from jumelage.projects.models import Indicator
    from jumelage.projects.result_services import (
        indicator_update_approve,
        indicator_update_refuse,
        indicator_update_submit,
    )
    from jumelage.projects.tests.factories import (
        IndicatorFactory,
        IndicatorPeriodFactory,
        ProjectContributorFactory,
        ResultFactory,
    )

    records = world["a"]
    project = Project.objects.get(authority=records.member, slug=records.project_slugs[0])
    ProjectContributorFactory(project=project, user=contributor_a)
    indicator = IndicatorFactory(result=ResultFactory(project=project))
    approved = IndicatorPeriodFactory(
        indicator=indicator, starts_on=datetime.date(2025, 3, 1), ends_on=PAST
    )
    refused = IndicatorPeriodFactory(
        indicator=indicator, starts_on=datetime.date(2025, 4, 1), ends_on=PAST.replace(month=4)
    )
    waiting = IndicatorPeriodFactory(
        indicator=indicator, starts_on=datetime.date(2025, 5, 1), ends_on=PAST.replace(month=5)
    )

    def version() -> int:
        return Indicator.objects.get(pk=indicator.pk).version

    def submit(period: Any, value: str) -> Any:
        return indicator_update_submit(
            period=period, user=contributor_a, value=Decimal(value), expected_version=version()
        )

    update = submit(approved, "73.7")
    indicator_update_approve(update=update, user=officer_a, expected_version=version())
    update = submit(refused, "82.8")
    indicator_update_refuse(update=update, user=officer_a, reason="No", expected_version=version())
    submit(waiting, "91.9")

    for face in (public_site, api, iati):
        text = face(client, records)
        for hidden in ("82.8", "82,8", "91.9", "91,9"):
            assert hidden not in text, f"{face.__name__} shows the unapproved value {hidden}"
        if face is not api:
            assert "73.7" in text or "73,7" in text, f"{face.__name__} misses the approved value"
