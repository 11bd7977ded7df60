"""The workspace's calendar: the month's deadlines and visits (the same definitions as the home's
to-dos), planning a visit through the visits service, and the personal iCalendar feed behind a
secret, revocable address that shows only its owner's authorities."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from jumelage.accounts.models import CalendarFeed, Role
from jumelage.accounts.tests.factories import MembershipFactory
from jumelage.actors.models import Person
from jumelage.actors.tests.factories import PersonFactory
from jumelage.agreements.tests.factories import AgreementFactory
from jumelage.audit.models import AuditEntry
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory
from jumelage.projects.tests.factories import (
    ApplicationFactory,
    CallFactory,
    FunderFactory,
    InstalmentFactory,
    ProjectFactory,
    ReportDueFactory,
)
from jumelage.tenancy.members.selectors import calendar_feed_owner
from jumelage.tenancy.members.services import calendar_feed_renew, calendar_feed_revoke
from jumelage.visits.models import Participant, Visit
from jumelage.visits.tests.factories import VisitFactory

pytestmark = pytest.mark.django_db

MAY = (2026, 5)


def month_url(member, year: int, month: int) -> str:
    return reverse("workspace:calendar_month", args=[member.slug, year, month])


def plan_url(member) -> str:
    return reverse("workspace:plan_visit", args=[member.slug])


def deadlines(member, n: int = 0, month: int = 5, year: int = 2026) -> None:
    """One deadline of each kind and a visit, in May 2026 (`n` makes names unique)."""
    project = ProjectFactory(authority=member, slug=f"p-{n}", title={"en": f"Water {n}"})
    call = CallFactory(
        funder=FunderFactory(acronym=f"F{n}"),
        title=f"Call {n}",
        closes_on=datetime.date(year, month, 20),
    )
    application = ApplicationFactory(project=project, call=call)
    ReportDueFactory(application=application, kind="final", due_on=datetime.date(year, month, 4))
    InstalmentFactory(
        application=application, rank=1, amount="5000.00", due_on=datetime.date(year, month, 8)
    )
    AgreementFactory(
        partnership__authority=member,
        partnership__partner=ForeignAuthorityFactory(name=f"Town {n}"),
        in_force=True,
        title={"en": f"Convention {n}"},
        ends_on=datetime.date(year, month, 28),
    )
    VisitFactory(
        authority=member,
        title={"en": f"Delegation {n}"},
        starts_on=datetime.date(year, month, 11),
        ends_on=datetime.date(year, month, 13),
    )


# --- The month --------------------------------------------------------------------------------


def test_the_month_lists_every_kind_of_deadline_and_the_visits(client, officer_a, city_a):
    deadlines(city_a)
    client.force_login(officer_a)
    response = client.get(month_url(city_a, *MAY))
    assert response.status_code == 200
    month = response.context["month"]
    kinds = [(item.day.day, item.kind) for day in month.days for item in day.items]
    assert kinds == [
        (4, "report"),
        (8, "instalment"),
        (11, "visit"),
        (20, "call"),
        (28, "agreement"),
        (31, "oda-closes"),
    ]
    text = response.text
    assert "Final report of “Water 0” to F0" in text
    assert "Delegation 0" in text
    assert "Last day of the ODA declaration of 2025 flows" in text
    assert 'rel="prev"' in text and 'rel="next"' in text
    assert month_url(city_a, 2026, 4) in text and month_url(city_a, 2026, 6) in text


def test_sent_reports_and_received_instalments_are_not_deadlines(client, officer_a, city_a):
    project = ProjectFactory(authority=city_a)
    application = ApplicationFactory(project=project, call=CallFactory())
    ReportDueFactory(
        application=application,
        due_on=datetime.date(2026, 5, 4),
        submitted_on=datetime.date(2026, 5, 1),
    )
    InstalmentFactory(
        application=application,
        due_on=datetime.date(2026, 5, 8),
        received_on=datetime.date(2026, 5, 8),
    )
    client.force_login(officer_a)
    month = client.get(month_url(city_a, *MAY)).context["month"]
    assert [i.kind for d in month.days for i in d.items] == ["oda-closes"]


def test_a_visit_begun_last_month_shows_on_the_first_day(client, officer_a, city_a):
    VisitFactory(
        authority=city_a, starts_on=datetime.date(2026, 4, 28), ends_on=datetime.date(2026, 5, 2)
    )
    client.force_login(officer_a)
    month = client.get(month_url(city_a, *MAY)).context["month"]
    assert month.days[0].day == datetime.date(2026, 5, 1)
    assert month.days[0].items[0].kind == "visit"


def test_cancelled_visits_are_left_out(client, officer_a, city_a):
    VisitFactory(authority=city_a, status=Visit.Status.CANCELLED)
    client.force_login(officer_a)
    month = client.get(month_url(city_a, *MAY)).context["month"]
    assert "visit" not in [i.kind for d in month.days for i in d.items]


def test_the_other_authoritys_deadlines_and_visits_are_not_shown(
    client, officer_a, officer_b, city_a, city_b
):
    deadlines(city_b, 1)
    client.force_login(officer_a)
    month = client.get(month_url(city_a, *MAY)).context["month"]
    kinds = [i.kind for d in month.days for i in d.items]
    assert kinds == ["call", "oda-closes"]  # the shared register's call, the law's window
    client.force_login(officer_b)
    assert client.get(month_url(city_a, *MAY)).status_code == 404


def test_a_month_that_does_not_exist_is_not_found(client, officer_a, city_a):
    client.force_login(officer_a)
    assert client.get(f"/en/workspace/{city_a.slug}/calendar/2026/13/").status_code == 404
    assert client.get(f"/en/workspace/{city_a.slug}/calendar/0000/1/").status_code == 404
    assert client.get(reverse("workspace:calendar", args=[city_a.slug])).status_code == 200


def test_the_month_costs_the_same_queries_with_more_items(client, officer_a, city_a):
    deadlines(city_a, 0)
    client.force_login(officer_a)
    url = month_url(city_a, *MAY)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(1, 10):
        deadlines(city_a, n)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.context["month"].count == 10 * 5 + 1  # and the ODA window, once
    assert len(large) == len(small)


def test_the_menu_leads_to_the_calendar(client, officer_a, city_a):
    client.force_login(officer_a)
    response = client.get(reverse("workspace:home", args=[city_a.slug]))
    assert reverse("workspace:calendar", args=[city_a.slug]) in response.text


# --- Planning a visit --------------------------------------------------------------------------


def visit_form(partnership, *people, **changes) -> dict:
    data = {
        "title": "Delegation to Cap-Haïtien",
        "direction": "outgoing",
        "partnership": partnership.pk,
        "starts_on": "12/05/2099",
        "ends_on": "19/05/2099",
        "members": [person.pk for person in people],
        "guests": "A teacher\n\n  A doctor  ",
        "purpose": "Training of the registrars.",
    }
    data.update(changes)
    return data


def test_an_officer_plans_a_visit_and_the_home_asks_for_the_papers(client, officer_a, city_a):
    partnership = PartnershipFactory(authority=city_a)
    mayor = PersonFactory(authority=city_a, kind=Person.Kind.ELECTED, last_name="Dupont")
    clerk = PersonFactory(authority=city_a, kind=Person.Kind.STAFF, last_name="Durand")
    client.force_login(officer_a)
    response = client.post(plan_url(city_a), visit_form(partnership, mayor, clerk))
    assert response.status_code == 302
    assert response.url == month_url(city_a, 2099, 5)
    visit = Visit.objects.get()
    assert visit.starts_on == datetime.date(2099, 5, 12)
    assert visit.ends_on == datetime.date(2099, 5, 19)
    assert visit.partnership == partnership
    assert visit.status == Visit.Status.PLANNED
    roles = sorted((str(p), p.role) for p in visit.participants.all())
    assert roles == sorted(
        [
            ("A doctor", Participant.Role.GUEST),
            ("A teacher", Participant.Role.GUEST),
            (str(clerk), Participant.Role.STAFF),
            (str(mayor), Participant.Role.ELECTED),
        ]
    )
    month = client.get(response.url)
    assert "Delegation to Cap-Haïtien" in month.text
    assert "still lack their travel papers" in month.text
    home = client.get(reverse("workspace:home", args=[city_a.slug]))
    assert "Travel papers for “Delegation to Cap-Haïtien”" in home.text
    assert "choose the council decision that grants their special mandate" in home.text
    assert "give the reference of their mission order" in home.text


def test_the_visit_form_reads_french_dates(client, officer_a, city_a, french):
    partnership = PartnershipFactory(authority=city_a)
    client.force_login(officer_a)
    form = visit_form(partnership, starts_on="12 mai 2099", ends_on="14/05/2099")
    response = client.post(plan_url(city_a), form)
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.starts_on == datetime.date(2099, 5, 12)
    assert visit.title == {"fr": "Delegation to Cap-Haïtien"}


def test_bad_input_writes_nothing_and_says_what_to_fix(client, officer_a, city_a):
    partnership = PartnershipFactory(authority=city_a)
    client.force_login(officer_a)
    response = client.post(plan_url(city_a), visit_form(partnership, starts_on="someday"))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "starts_on" in response.context["form"].errors
    response = client.post(
        plan_url(city_a), visit_form(partnership, starts_on="19/05/2099", ends_on="12/05/2099")
    )
    assert response.status_code == 200
    assert "The visit ends before it starts" in response.text
    assert not Visit.objects.exists()
    assert not Participant.objects.exists()


def test_another_authoritys_partnership_or_people_cannot_be_chosen(
    client, officer_a, city_a, city_b
):
    theirs = PartnershipFactory(authority=city_b)
    their_mayor = PersonFactory(authority=city_b, kind=Person.Kind.ELECTED)
    client.force_login(officer_a)
    page = client.get(plan_url(city_a))
    assert str(their_mayor) not in page.text
    response = client.post(plan_url(city_a), visit_form(theirs, their_mayor))
    assert response.status_code == 200
    assert {"partnership", "members"} <= set(response.context["form"].errors)
    assert not Visit.objects.exists()


def test_a_viewer_has_no_visit_form(client, viewer_a, city_a):
    partnership = PartnershipFactory(authority=city_a)
    client.force_login(viewer_a)
    month = client.get(reverse("workspace:calendar", args=[city_a.slug]))
    assert plan_url(city_a) not in month.text
    assert client.get(plan_url(city_a)).status_code == 403
    assert client.post(plan_url(city_a), visit_form(partnership)).status_code == 403
    assert not Visit.objects.exists()


def test_the_other_authority_cannot_plan_here(client, officer_b, city_a):
    client.force_login(officer_b)
    assert client.get(plan_url(city_a)).status_code == 404


# --- The personal feed ---------------------------------------------------------------------------


def feed_url(secret: str) -> str:
    return reverse("workspace:calendar_feed", args=[secret])


def events_of(response) -> dict[str, object]:
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def soon():
    today = timezone.localdate()
    return today + datetime.timedelta(days=10)


def test_the_feed_holds_the_owners_items_and_never_another_authoritys(
    client, officer_a, city_a, city_b, soon
):
    deadlines(city_a, 0, month=soon.month, year=soon.year)
    VisitFactory(authority=city_a, title={"en": "Our visit"}, starts_on=soon, ends_on=soon)
    VisitFactory(authority=city_b, title={"en": "Their visit"}, starts_on=soon, ends_on=soon)
    project = ProjectFactory(authority=city_b, slug="theirs", title={"en": "Their project"})
    ReportDueFactory(
        application=ApplicationFactory(project=project, call=CallFactory()), due_on=soon
    )
    secret = calendar_feed_renew(user=officer_a)
    response = client.get(feed_url(secret))  # no session
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = events_of(response)
    assert "Visit: Our visit" in events
    assert not any("Their" in summary for summary in events)
    visit = events["Visit: Our visit"]
    assert visit.decoded("dtstart") == soon
    assert visit.decoded("dtend") == soon + datetime.timedelta(days=1)  # all day, exclusive


def test_a_member_of_two_authorities_gets_both_in_one_feed(client, officer_a, city_b, soon):
    MembershipFactory(user=officer_a, authority=city_b, role=Role.VIEWER)
    VisitFactory(authority=city_b, title={"en": "Their visit"}, starts_on=soon, ends_on=soon)
    response = client.get(feed_url(calendar_feed_renew(user=officer_a)))
    assert "Visit: Their visit" in events_of(response)


def test_a_renewed_or_stopped_address_is_not_found(client, officer_a):
    first = calendar_feed_renew(user=officer_a)
    second = calendar_feed_renew(user=officer_a)
    assert first != second
    assert client.get(feed_url(first)).status_code == 404
    assert client.get(feed_url(second)).status_code == 200
    calendar_feed_revoke(user=officer_a)
    assert client.get(feed_url(second)).status_code == 404
    assert client.get(feed_url("made-up")).status_code == 404
    verbs = list(AuditEntry.objects.filter(user=officer_a).values_list("verb", flat=True))
    assert sorted(verbs) == [
        "calendar address made",
        "calendar address made",
        "calendar address stopped",
    ]


def test_the_secret_is_stored_as_a_digest_only(officer_a):
    secret = calendar_feed_renew(user=officer_a)
    stored = CalendarFeed.objects.get(user=officer_a).secret_digest
    assert secret not in stored and len(stored) == 64
    assert calendar_feed_owner(secret) == officer_a


def test_an_inactive_users_address_is_not_found(client, officer_a):
    secret = calendar_feed_renew(user=officer_a)
    officer_a.is_active = False
    officer_a.save()
    assert client.get(feed_url(secret)).status_code == 404


def test_the_feed_costs_the_same_queries_with_more_items(client, officer_a, city_a, soon):
    secret = calendar_feed_renew(user=officer_a)
    deadlines(city_a, 0, month=soon.month, year=soon.year)
    with CaptureQueriesContext(connection) as small:
        client.get(feed_url(secret))
    for n in range(1, 10):
        deadlines(city_a, n, month=soon.month, year=soon.year)
    with CaptureQueriesContext(connection) as large:
        client.get(feed_url(secret))
    assert len(large) == len(small)


def test_the_address_page_shows_a_new_address_once_then_stops_it(client, officer_a, city_a):
    url = reverse("workspace:calendar_subscription", args=[city_a.slug])
    client.force_login(officer_a)
    assert "You have no calendar address yet." in client.get(url).text
    response = client.post(url, {"action": "renew"}, follow=True)
    address = response.context["address"]
    assert "/calendar-feed/" in address and address.endswith(".ics")
    assert address in response.text
    again = client.get(url)
    assert again.context["address"] == "" and "You have a calendar address" in again.text
    secret = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert client.get(feed_url(secret)).status_code == 200
    client.post(url, {"action": "stop"})
    assert client.get(feed_url(secret)).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_the_address_page_needs_a_signed_in_member(client, officer_b, city_a):
    url = reverse("workspace:calendar_subscription", args=[city_a.slug])
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(officer_b)
    assert client.post(url, {"action": "renew"}).status_code == 404
    assert not CalendarFeed.objects.exists()
