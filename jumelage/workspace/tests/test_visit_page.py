"""A visit's page in the workspace: what, when, the delegation and the papers each member lacks
to travel (the rule's reason shown), programme, hosting and costs; the visit, its participants
and costs changed in place through the visits services (version checked, audited); the list of
visits; and the links that lead to it from the calendar, the partnership and the home."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from jumelage.actors.models import Person
from jumelage.actors.tests.factories import PersonFactory
from jumelage.agreements.tests.factories import CouncilDecisionFactory
from jumelage.audit.models import AuditEntry
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory
from jumelage.visits.models import Participant, Visit, VisitCost
from jumelage.visits.tests.factories import (
    HostingFactory,
    ParticipantFactory,
    ProgrammeItemFactory,
    VisitCostFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def url(member, visit, name: str = "visit", *rows: int) -> str:
    return reverse(f"workspace:{name}", args=[member.slug, visit.pk, *rows])


@pytest.fixture
def mission(city_a):
    """An outgoing delegation of city A in ten days, to its partner town, with a staff member
    who has no mission order yet."""
    partnership = PartnershipFactory(
        authority=city_a, partner=ForeignAuthorityFactory(name="Cap-Haïtien")
    )
    visit = VisitFactory(
        authority=city_a,
        partnership=partnership,
        direction=Visit.Direction.OUTGOING,
        title={"en": "Mission to Cap-Haïtien"},
        starts_on=days(10),
        ends_on=days(14),
    )
    ParticipantFactory(visit=visit, role=Participant.Role.STAFF, name="Camille Martin")
    return visit


def page_of(client, user, member, visit, **extra) -> str:
    client.force_login(user)
    response = client.get(url(member, visit), **extra)
    assert response.status_code == 200
    return response.content.decode()


def post(client, user, address: str, data: dict, **extra):
    client.force_login(user)
    return client.post(address, data, **extra)


# --- Reading -----------------------------------------------------------------------------------


def test_the_page_shows_the_visit_and_what_a_participant_lacks_with_the_reason(
    client, officer_a, city_a, mission
):
    ProgrammeItemFactory(visit=mission, date=days(10), description="Town hall meeting")
    HostingFactory(visit=mission, host="Hotel du Roy", is_family=False, guests=2, nights=4)
    VisitCostFactory(visit=mission, label="Plane tickets", amount="1250.50", currency="EUR")

    page = page_of(client, officer_a, city_a, mission)

    assert "Mission to Cap-Haïtien" in page
    assert "Cap-Haïtien" in page
    assert "Camille Martin is a staff member: give the reference of their mission order." in page
    assert "special mandate voted by the council (CGCT L2123-18)" in page
    assert "Town hall meeting" in page
    assert "Hotel du Roy" in page
    assert "Plane tickets" in page
    assert "€1,250.50" in page


def test_an_elected_official_without_a_special_mandate_is_told_which_article(
    client, officer_a, city_a, mission
):
    elected = PersonFactory(
        authority=city_a, kind=Person.Kind.ELECTED, first_name="Léa", last_name="Roux"
    )
    ParticipantFactory(visit=mission, person=elected, role=Participant.Role.ELECTED, name="")

    page = page_of(client, officer_a, city_a, mission)

    assert "Léa Roux is an elected official: choose the council decision that grants" in page
    assert "(CGCT L2123-18)" in page


def test_the_page_reads_in_french_from_the_catalogue(client, officer_a, city_a, mission):
    with translation.override("fr"):
        address = url(city_a, mission)
        wanted = gettext("The delegation and their travel papers")
    client.force_login(officer_a)
    page = client.get(address).content.decode()
    assert address.startswith("/espace/ville-a/visites/")
    assert wanted != "The delegation and their travel papers"
    assert wanted in page


def test_another_authoritys_officer_gets_a_404_and_writes_nothing(
    client, officer_b, city_a, city_b, mission
):
    client.force_login(officer_b)
    assert client.get(url(city_a, mission)).status_code == 404
    # Under their own authority's address, the visit of city A does not exist either.
    assert client.get(url(city_b, mission)).status_code == 404
    response = client.post(
        url(city_b, mission, "visit_cost_add"),
        {"_version": mission.version, "label": "Taxi", "amount": "30"},
    )
    assert response.status_code == 404
    response = client.post(
        url(city_a, mission, "participant", mission.participants.get().pk),
        {"_version": mission.version, "name": "X", "role": "staff", "mission_order": "OM-1"},
    )
    assert response.status_code == 404
    assert not VisitCost.objects.exists()
    assert mission.participants.get().mission_order == ""


def test_a_viewer_reads_the_page_without_forms_and_may_not_write(client, viewer_a, city_a, mission):
    page = page_of(client, viewer_a, city_a, mission)
    assert "Camille Martin" in page
    assert "Add a participant" not in page
    assert "Add a cost" not in page
    response = post(
        client,
        viewer_a,
        url(city_a, mission, "visit_cost_add"),
        {"_version": mission.version, "label": "Taxi", "amount": "30"},
    )
    assert response.status_code == 403
    row = mission.participants.get()
    response = post(
        client,
        viewer_a,
        url(city_a, mission, "participant_remove", row.pk),
        {"_version": mission.version},
    )
    assert response.status_code == 403
    assert not VisitCost.objects.exists()
    assert mission.participants.count() == 1


# --- Writing -----------------------------------------------------------------------------------


def test_recording_the_mission_order_clears_the_papers_and_the_home_to_do(
    client, officer_a, city_a, mission
):
    client.force_login(officer_a)
    home = client.get(reverse("workspace:home", args=[city_a.slug])).content.decode()
    assert "Travel papers for “Mission to Cap-Haïtien”" in home
    assert f'href="{url(city_a, mission)}"' in home
    assert "/admin/visits/" not in home

    row = mission.participants.get()
    response = client.post(
        url(city_a, mission, "participant", row.pk),
        {
            "_version": mission.version,
            "name": "Camille Martin",
            "role": "staff",
            "mission_order": "OM-2026-14",
        },
        **HTMX,
    )

    assert response.status_code == 200
    assert "The participant is saved." in response.content.decode()
    row.refresh_from_db()
    assert row.mission_order == "OM-2026-14"
    assert AuditEntry.objects.filter(object_id=str(row.pk), action="update").exists()
    home = client.get(reverse("workspace:home", args=[city_a.slug])).content.decode()
    assert "Travel papers for “Mission to Cap-Haïtien”" not in home


def test_a_participant_is_added_and_removed_in_place(client, officer_a, city_a, mission):
    decision = CouncilDecisionFactory(
        authority=city_a, is_special_mandate=True, enforceable_on=days(-3)
    )
    elected = PersonFactory(authority=city_a, kind=Person.Kind.ELECTED, last_name="Roux")
    response = post(
        client,
        officer_a,
        url(city_a, mission, "participant_add"),
        {
            "_version": mission.version,
            "person": elected.pk,
            "role": "elected",
            "special_mandate": decision.pk,
        },
    )
    assert response.status_code == 302
    added = mission.participants.get(person=elected)
    assert added.special_mandate == decision

    mission.refresh_from_db()
    response = post(
        client,
        officer_a,
        url(city_a, mission, "participant_remove", added.pk),
        {"_version": mission.version},
        **HTMX,
    )
    assert response.status_code == 200
    assert not mission.participants.filter(pk=added.pk).exists()
    assert AuditEntry.objects.filter(object_id=str(added.pk), action="delete").exists()


def test_a_council_decision_of_another_authority_is_not_offered(
    client, officer_a, city_a, city_b, mission
):
    theirs = CouncilDecisionFactory(authority=city_b, is_special_mandate=True)
    response = post(
        client,
        officer_a,
        url(city_a, mission, "participant_add"),
        {
            "_version": mission.version,
            "name": "Léa",
            "role": "elected",
            "special_mandate": theirs.pk,
        },
    )
    assert response.status_code == 400
    assert mission.participants.count() == 1


def test_the_visit_is_changed_with_a_french_date(client, officer_a, city_a, mission):
    response = post(
        client,
        officer_a,
        url(city_a, mission, "visit_edit"),
        {
            "_version": mission.version,
            "title": "Mission to Cap-Haïtien",
            "direction": "outgoing",
            "partnership": mission.partnership_id,
            "starts_on": "02/03/2027",
            "ends_on": "06/03/2027",
            "purpose": "Water works",
        },
    )
    assert response.status_code == 302
    mission.refresh_from_db()
    assert mission.starts_on == datetime.date(2027, 3, 2)
    assert mission.purpose == {"en": "Water works"}


def test_a_cost_is_added_in_french_format_and_changed(client, officer_a, city_a, mission, french):
    response = post(
        client,
        officer_a,
        url(city_a, mission, "visit_cost_add"),
        {"_version": mission.version, "label": "Billets", "amount": "3 870,40 €"},
    )
    assert response.status_code == 302
    cost = VisitCost.objects.get()
    assert (str(cost.amount), cost.currency) == ("3870.40", "EUR")

    mission.refresh_from_db()
    response = post(
        client,
        officer_a,
        url(city_a, mission, "visit_cost", cost.pk),
        {"_version": mission.version, "label": "Billets", "amount": "4 000", "paid_by": "Ville"},
        **HTMX,
    )
    assert response.status_code == 200
    cost.refresh_from_db()
    assert (str(cost.amount), cost.paid_by) == ("4000.00", "Ville")


@pytest.mark.parametrize(
    ("name", "data", "field"),
    [
        (
            "visit_edit",
            {"title": "T", "direction": "outgoing", "starts_on": "31/02/2026"},
            "starts_on",
        ),
        ("visit_cost_add", {"label": "Taxi", "amount": "-30"}, "amount"),
        ("visit_cost_add", {"label": "Taxi", "amount": "trente"}, "amount"),
    ],
)
def test_bad_input_says_what_to_fix_and_writes_nothing(
    client, officer_a, city_a, mission, name, data, field
):
    before = (mission.version, mission.starts_on)
    response = post(
        client, officer_a, url(city_a, mission, name), {"_version": mission.version, **data}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was recorded: correct what is shown below." in page
    assert 'aria-invalid="true"' in page
    mission.refresh_from_db()
    assert (mission.version, mission.starts_on) == before
    assert not VisitCost.objects.exists()


def test_a_negative_cost_is_refused_with_the_fields_message(client, officer_a, city_a, mission):
    response = post(
        client,
        officer_a,
        url(city_a, mission, "visit_cost_add"),
        {"_version": mission.version, "label": "Taxi", "amount": "-30"},
        **HTMX,
    )
    assert response.status_code == 200  # htmx swaps only a success: the refusal inside
    body = response.content.decode()
    assert body.startswith('\n<div id="visit-body">') or '<div id="visit-body">' in body[:300]
    assert "Write a positive amount." in body
    assert not VisitCost.objects.exists()


def test_a_stale_page_writes_nothing_and_says_so(client, officer_a, city_a, mission):
    seen = mission.version
    row = mission.participants.get()
    # A colleague adds a cost meanwhile: the visit's version moves on.
    post(
        client,
        officer_a,
        url(city_a, mission, "visit_cost_add"),
        {"_version": seen, "label": "Taxi", "amount": "30"},
    )
    for name, rows, data in (
        (
            "participant",
            (row.pk,),
            {"name": "Camille Martin", "role": "staff", "mission_order": "OM"},
        ),
        ("visit_cost_add", (), {"label": "Hotel", "amount": "300"}),
        ("participant_remove", (row.pk,), {}),
    ):
        response = post(
            client, officer_a, url(city_a, mission, name, *rows), {"_version": seen, **data}
        )
        assert response.status_code == 409, name
        assert "changed" in response.content.decode()
        # In place (htmx swaps only a success), the same refusal in the swapped body.
        response = post(
            client,
            officer_a,
            url(city_a, mission, name, *rows),
            {"_version": seen, **data},
            **HTMX,
        )
        assert response.status_code == 200, name
        assert 'role="alert"' in response.content.decode()
    row.refresh_from_db()
    assert row.mission_order == ""
    assert VisitCost.objects.count() == 1
    assert mission.participants.count() == 1


def test_a_delegation_cannot_be_confirmed_while_papers_are_missing(
    client, officer_a, city_a, mission
):
    response = post(
        client,
        officer_a,
        url(city_a, mission, "visit_status"),
        {"_version": mission.version, "status": "confirmed"},
    )
    assert response.status_code == 400
    assert "give the reference of their mission order" in response.content.decode()
    mission.refresh_from_db()
    assert mission.status == Visit.Status.PLANNED


# --- Links and the list ---------------------------------------------------------------------


def test_the_calendar_and_the_partnership_link_to_the_visits_page(
    client, officer_a, city_a, mission
):
    client.force_login(officer_a)
    month = client.get(
        reverse(
            "workspace:calendar_month",
            args=[city_a.slug, mission.starts_on.year, mission.starts_on.month],
        )
    ).content.decode()
    assert f'href="{url(city_a, mission)}"' in month
    assert "/admin/visits/" not in month
    partnership = client.get(
        reverse("workspace:partnership", args=[city_a.slug, mission.partnership_id])
    ).content.decode()
    assert f'href="{url(city_a, mission)}"' in partnership
    assert "/admin/visits/" not in partnership


def test_the_list_shows_coming_visits_first_then_past_ones(client, officer_a, city_a, city_b):
    VisitFactory(authority=city_a, title={"en": "Old one"}, starts_on=days(-400), ends_on=None)
    VisitFactory(authority=city_a, title={"en": "Last month"}, starts_on=days(-30), ends_on=None)
    VisitFactory(authority=city_a, title={"en": "Soon"}, starts_on=days(3), ends_on=None)
    VisitFactory(authority=city_a, title={"en": "Later"}, starts_on=days(60), ends_on=None)
    VisitFactory(authority=city_b, title={"en": "Theirs"}, starts_on=days(4), ends_on=None)
    client.force_login(officer_a)
    page = client.get(reverse("workspace:visits", args=[city_a.slug])).content.decode()
    order = [page.index(title) for title in ("Soon", "Later", "Last month", "Old one")]
    assert order == sorted(order)
    assert "Theirs" not in page
    calendar = client.get(reverse("workspace:calendar", args=[city_a.slug])).content.decode()
    assert f'href="{reverse("workspace:visits", args=[city_a.slug])}"' in calendar


# --- Query counts ------------------------------------------------------------------------------


def _delegation(member, size: int) -> Visit:
    visit = VisitFactory(
        authority=member,
        direction=Visit.Direction.OUTGOING,
        starts_on=days(10),
        ends_on=None,
        title={"en": f"Delegation of {size}"},
    )
    decision = CouncilDecisionFactory(authority=member, is_special_mandate=True)
    for n in range(size):
        if n % 2:
            person = PersonFactory(authority=member, kind=Person.Kind.ELECTED, last_name=f"E{n}")
            ParticipantFactory(
                visit=visit, person=person, role="elected", special_mandate=decision, name=""
            )
        else:
            ParticipantFactory(visit=visit, role="staff", name=f"Staff {n}")
        VisitCostFactory(visit=visit, label=f"Cost {n}")
    return visit


@pytest.mark.parametrize("who", ["officer_a", "viewer_a"])
def test_the_page_costs_the_same_queries_for_2_or_12_participants(
    client, city_a, who, request, django_assert_num_queries
):
    user = request.getfixturevalue(who)
    small, large = _delegation(city_a, 2), _delegation(city_a, 12)
    client.force_login(user)
    client.get(url(city_a, small))  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as counted:
        assert client.get(url(city_a, small)).status_code == 200
    with django_assert_num_queries(len(counted)):
        page = client.get(url(city_a, large))
    assert "Staff 10" in page.content.decode()
    assert len(counted) == {"officer_a": 13, "viewer_a": 10}[who]


def test_the_list_costs_the_same_queries_for_2_or_12_visits(
    client, officer_a, city_a, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(2):
        VisitFactory(authority=city_a, starts_on=days(n), ends_on=None)
    client.force_login(officer_a)
    address = reverse("workspace:visits", args=[city_a.slug])
    client.get(address)
    with CaptureQueriesContext(connection) as counted:
        client.get(address)
    for n in range(10):
        VisitFactory(authority=city_a, starts_on=days(-n - 1), ends_on=None)
    with django_assert_num_queries(len(counted)):
        assert client.get(address).status_code == 200
