"""A page runs the same number of queries whatever the amount of data behind it, and once it is
cached only two: finding the authority and reading its page generations."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jumelage.actors.tests.factories import ActorFactory, PersonFactory, PositionFactory
from jumelage.content.tests.factories import NewsItemFactory
from jumelage.networks.tests.factories import NetworkFactory
from jumelage.partners.models import Partnership
from jumelage.partners.tests.factories import LabelFactory, PartnershipFactory
from jumelage.public.links import partner_url
from jumelage.public.tests.conftest import financing_plan, partner_town, project
from jumelage.visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


def add_records(world, count: int) -> None:
    """`count` more of each kind of published record, linked together as in real data."""
    member = world.member
    for n in range(count):
        partner = partner_town(f"Partner {n}", "DE", "50", f"{n}")
        for kind in (Partnership.Kind.TWINNING, Partnership.Kind.COOPERATION):
            partnership = PartnershipFactory(
                authority=member, partner=partner, kind=kind, is_public=True, started_year=1990
            )
        item = project(member, partnership, slug=f"project-{n}", title={"fr": f"Projet {n}"})
        financing_plan(item)
        actor = ActorFactory(authority=member, is_public=True)
        actor.partnerships.add(world.cap_haitien)  # type: ignore[attr-defined]  # a factory_boy model instance
        NewsItemFactory(
            authority=member,
            slug=f"news-{n}",
            is_public=True,
            project=world.project,
            partnership=world.cap_haitien,
            published_on=datetime.date(2025, 1, 1),
        )
        VisitFactory(authority=member, is_public=True, partnership=world.cap_haitien)
        NetworkFactory(authority=member, is_public=True)
        person = PersonFactory(authority=member, kind="elected", is_public=True)
        PositionFactory(person=person)
        LabelFactory(authority=member, name=f"Label {n}", is_public=True)
        world.project.partnerships.add(partnership)


def queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def urls(world) -> list[str]:
    return [
        "/",
        "/en/",
        "/ville-a/",
        partner_url(world.member, world.cap_haitien.partner),
        "/ville-a/projets/",
        "/ville-a/projets/etat-civil/",
        "/ville-a/actualites/",
        "/ville-a/actualites/formation/",
        "/ville-a/visites/",
        "/ville-a/contact/",
        "/ville-a/embed/twin-towns/?map=1",
        "/ville-a/embed/projects/",
        "/ville-a/embed/twin-towns.json",
        "/ville-a/embed/projects.json",
        "/ville-a/map.svg",
        "/ville-a/news/feed.rss",
        "/sitemap-partners.xml",
        "/sitemap-projects.xml",
    ]


def test_each_page_runs_as_many_queries_with_ten_times_more_data(client, world):
    pages = urls(world)
    before = {url: queries(client, url) for url in pages}
    add_records(world, 10)
    after = {url: queries(client, url) for url in pages}

    assert after == before


def test_the_authority_page_runs_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    cache.clear()
    # The authority; its page generations; hours; partnerships, their themes and current
    # projects; co-funders; networks; positions; actors; delegations; labels; news; project count.
    with django_assert_num_queries(14):
        client.get("/ville-a/")


def test_a_cached_page_costs_no_query(client, world, django_assert_num_queries):
    client.get("/ville-a/")
    # The member's id and the page generations are in the cache, the database their record
    # (jumelage/core/cache.py, public/pages.py).
    with django_assert_num_queries(0):
        response = client.get("/ville-a/")
    assert "Kragujevac" in response.content.decode()


def test_a_cached_page_is_not_served_at_a_slug_that_is_no_longer_the_members(
    client, world, django_assert_num_queries
):
    from jumelage.partners.models import MemberAuthority

    client.get("/ville-a/")
    # A change made around the services expires nothing: the old address must still be
    # checked against the database as soon as its page is not the cached one.
    MemberAuthority.objects.filter(slug="ville-a").update(slug="ville-a-bis")
    from jumelage.core.cache import bump

    bump()  # what a change of address through the register does
    assert client.get("/ville-a/").status_code == 404
    assert "Kragujevac" in client.get("/ville-a-bis/").content.decode()


def test_open_now_is_computed_on_each_request_of_a_cached_page(client, world, monkeypatch):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from jumelage.public import contact

    paris = ZoneInfo("Europe/Paris")
    monday_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=paris)
    monday_20 = dt.datetime(2026, 11, 23, 20, 0, tzinfo=paris)

    monkeypatch.setattr(contact.timezone, "now", lambda: monday_10)
    assert "Open now, until 12:30" in client.get("/en/ville-a/").content.decode()
    monkeypatch.setattr(contact.timezone, "now", lambda: monday_20)
    html = client.get("/en/ville-a/").content.decode()  # the same cached page
    assert "Closed now; opens tomorrow at 9 a.m." in html
    assert "Open now" not in html


def test_open_now_is_read_in_the_time_zone_of_an_overseas_service(
    client, world, monkeypatch, admin_a, django_capture_on_commit_callbacks
):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from jumelage.partners.models import MemberAuthority
    from jumelage.public import contact
    from jumelage.tenancy.services import save_owned

    # 10:00 in Paris on a Monday is 13:00 in La Réunion (lunch break) and 5:00 in Guadeloupe.
    monday_10_paris = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    monkeypatch.setattr(contact.timezone, "now", lambda: monday_10_paris)
    member = MemberAuthority.objects.get(slug="ville-a")
    member.time_zone = "Indian/Reunion"
    member = save_owned(member, user=admin_a, expected_version=member.version)
    assert "Closed now; opens today at 1:30 p.m." in client.get("/en/ville-a/").content.decode()
    # A change through the write path expires the cached page (once committed).
    member.time_zone = "America/Guadeloupe"
    with django_capture_on_commit_callbacks(execute=True):
        save_owned(member, user=admin_a, expected_version=member.version)
    assert "Closed now; opens today at 9 a.m." in client.get("/en/ville-a/").content.decode()


def test_a_cached_page_is_one_cache_read(client, world, monkeypatch):
    """The page and both generations come in one read (one Redis round trip); the member's id
    is known to the process once it has served the page."""
    from django.core.cache import caches

    backend = caches["default"]  # the test's own in-memory cache (conftest.py)
    client.get("/ville-a/")
    reads: list[str] = []
    inside: list[bool] = []
    real_get, real_get_many = backend.get, backend.get_many

    def get(*args, **kwargs):
        if not inside:  # not a key read by get_many itself
            reads.append("get")
        return real_get(*args, **kwargs)

    def get_many(*args, **kwargs):
        reads.append("get_many")
        inside.append(True)
        try:
            return real_get_many(*args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(backend, "get", get)
    monkeypatch.setattr(backend, "get_many", get_many)
    response = client.get("/ville-a/")
    assert response.status_code == 200
    assert "Kragujevac" in response.content.decode()
    assert reads == ["get_many"]


def test_a_page_cached_under_other_generations_is_built_again(client, world):
    from jumelage.core.cache import bump

    first = client.get("/ville-a/").content
    Partnership.objects.filter(authority=world.member).update(is_public=False)
    assert client.get("/ville-a/").content == first  # no write through the services yet
    bump(world.member.pk)  # what the services do once the write has committed
    assert "Kragujevac" not in client.get("/ville-a/").content.decode()


def test_a_slug_the_process_knew_for_another_member_shows_the_new_members_page(client, world):
    from jumelage.core.cache import bump
    from jumelage.partners.models import MemberAuthority
    from jumelage.partners.tests.factories import AuthorityFactory, MemberAuthorityFactory

    assert "Kragujevac" in client.get("/ville-a/").content.decode()  # the process knows its id
    # Ville A moves to another address and a new member takes its old one, both through the
    # register (each write expires the member's pages).
    MemberAuthority.objects.filter(pk=world.member.pk).update(slug="ville-a-ancienne")
    bump(world.member.pk)
    newcomer = MemberAuthorityFactory(
        slug="ville-a", authority=AuthorityFactory(name="Nouvelle Commune")
    )
    bump(newcomer.pk)

    html = client.get("/ville-a/").content.decode()
    assert "Nouvelle Commune" in html
    assert "Kragujevac" not in html
    assert "Kragujevac" in client.get("/ville-a-ancienne/").content.decode()


def test_a_slug_no_member_holds_any_more_answers_404_though_the_process_knew_it(client, world):
    from jumelage.core.cache import bump
    from jumelage.partners.models import MemberAuthority

    client.get("/ville-a/")
    MemberAuthority.objects.filter(pk=world.member.pk).update(is_active=False)
    bump(world.member.pk)
    assert client.get("/ville-a/").status_code == 404
    assert client.get("/ville-a/").status_code == 404


def test_the_open_now_line_changes_at_the_minute_it_should(client, world, monkeypatch):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from jumelage.public import contact

    paris = ZoneInfo("Europe/Paris")
    # Ville A opens 9:00-12:30 on Mondays: the line is kept for the minute, not longer.
    moments = iter(
        [
            dt.datetime(2026, 11, 23, 12, 29, 0, tzinfo=paris),
            dt.datetime(2026, 11, 23, 12, 29, 59, 999999, tzinfo=paris),
            dt.datetime(2026, 11, 23, 12, 30, 0, tzinfo=paris),
        ]
    )
    now = {"value": next(moments)}
    monkeypatch.setattr(contact.timezone, "now", lambda: now["value"])
    assert "Open now, until 12:30" in client.get("/en/ville-a/").content.decode()
    now["value"] = next(moments)
    assert "Open now, until 12:30" in client.get("/en/ville-a/").content.decode()
    now["value"] = next(moments)
    html = client.get("/en/ville-a/").content.decode()
    assert "Open now" not in html
    assert "Closed now" in html


def test_opening_hours_with_seconds_are_read_at_the_second(monkeypatch):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from jumelage.public import contact
    from jumelage.public.pages import open_now_html

    paris = ZoneInfo("Europe/Paris")
    periods = [(0, dt.time(9, 0), dt.time(12, 30, 30))]
    monkeypatch.setattr(
        contact.timezone, "now", lambda: dt.datetime(2026, 11, 23, 12, 30, 10, tzinfo=paris)
    )
    assert "is-open" in open_now_html(periods)
    monkeypatch.setattr(
        contact.timezone, "now", lambda: dt.datetime(2026, 11, 23, 12, 30, 40, tzinfo=paris)
    )
    assert "is-closed" in open_now_html(periods)
