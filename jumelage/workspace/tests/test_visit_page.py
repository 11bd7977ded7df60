"""A visit's page in the workspace: what, when, the delegation and the papers each member lacks
to travel (the rule's reason shown), programme, hosting and costs; the visit, its participants,
programme items, hosts and costs changed in place through the visits services (version checked,
audited); the list of visits; and the links that lead to it from the calendar, the partnership
and the home."""

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
from jumelage.visits.models import Hosting, Participant, ProgrammeItem, Visit, VisitCost
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
    item = ProgrammeItemFactory(visit=mission, date=days(10), description="Town hall")
    host = HostingFactory(visit=mission, host="Famille Durand")
    cost = VisitCostFactory(visit=mission, label="Taxi")
    mission.refresh_from_db()
    seen = mission.version
    for member in (city_a, city_b):
        for name, rows, data in (
            ("programme_item_add", (), {"date": days(11).strftime("%d/%m/%Y"), "description": "X"}),
            ("programme_item", (item.pk,), {"date": "", "description": "X"}),
            ("programme_item_remove", (item.pk,), {}),
            ("hosting_add", (), {"host": "Hôtel", "guests": "2", "nights": "1"}),
            ("hosting", (host.pk,), {"host": "Hôtel", "guests": "2", "nights": "1"}),
            ("hosting_remove", (host.pk,), {}),
            ("visit_cost_remove", (cost.pk,), {}),
        ):
            response = client.post(
                url(member, mission, name, *rows), {"_version": seen, **data}, **HTMX
            )
            assert response.status_code == 404, name
    assert list(ProgrammeItem.objects.values_list("description", flat=True)) == ["Town hall"]
    assert list(Hosting.objects.values_list("host", flat=True)) == ["Famille Durand"]
    assert list(VisitCost.objects.values_list("label", flat=True)) == ["Taxi"]
    mission.refresh_from_db()
    assert mission.version == seen
    assert mission.participants.get().mission_order == ""


@pytest.mark.parametrize("who", ["viewer_a", "contributor_a"])
def test_a_viewer_or_contributor_reads_the_programme_and_hosting_and_may_not_write_them(
    client, city_a, mission, who, request
):
    user = request.getfixturevalue(who)
    item = ProgrammeItemFactory(visit=mission, date=days(10), description="Town hall")
    host = HostingFactory(visit=mission, host="Famille Durand")
    cost = VisitCostFactory(visit=mission, label="Taxi")
    mission.refresh_from_db()
    page = page_of(client, user, city_a, mission, **{"QUERY_STRING": f"edit=programme-{item.pk}"})
    assert "Town hall" in page and "Famille Durand" in page
    for absent in ("Add to the programme", "Add a host", f"programme-{item.pk}-date", "Remove"):
        assert absent not in page
    for name, rows, data in (
        ("programme_item_add", (), {"date": days(11).strftime("%d/%m/%Y"), "description": "X"}),
        ("programme_item", (item.pk,), {"date": days(11).strftime("%d/%m/%Y"), "description": "X"}),
        ("programme_item_remove", (item.pk,), {}),
        ("hosting_add", (), {"host": "Hôtel", "guests": "2", "nights": "1"}),
        ("hosting", (host.pk,), {"host": "Hôtel", "guests": "2", "nights": "1"}),
        ("hosting_remove", (host.pk,), {}),
        ("visit_cost_remove", (cost.pk,), {}),
    ):
        response = post(
            client, user, url(city_a, mission, name, *rows), {"_version": mission.version, **data}
        )
        assert response.status_code == 403, name
    assert list(ProgrammeItem.objects.values_list("description", flat=True)) == ["Town hall"]
    assert list(Hosting.objects.values_list("host", flat=True)) == ["Famille Durand"]
    assert VisitCost.objects.count() == 1


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


def test_a_programme_item_is_added_in_french_format_changed_and_removed(
    client, officer_a, city_a, mission
):
    first = days(11).strftime("%d/%m/%Y")
    response = post(
        client,
        officer_a,
        url(city_a, mission, "programme_item_add"),
        {
            "_version": mission.version,
            "date": first,
            "time": "14h30",
            "place": "Mairie",
            "description": "Meeting with the mayor",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url(city_a, mission) + "#programme"
    item = ProgrammeItem.objects.get()
    assert (item.date, item.time, item.place) == (days(11), datetime.time(14, 30), "Mairie")
    assert AuditEntry.objects.filter(object_id=str(item.pk), action="create").exists()

    # ?edit=programme-N opens the item's form, with the time as the officer writes it.
    mission.refresh_from_db()
    page = page_of(client, officer_a, city_a, mission, QUERY_STRING=f"edit=programme-{item.pk}")
    assert f'id="programme-{item.pk}-time"' in page
    assert 'value="14:30"' in page

    response = post(
        client,
        officer_a,
        url(city_a, mission, "programme_item", item.pk),
        {
            "_version": mission.version,
            "date": days(12).strftime("%d/%m/%Y"),
            "time": "9:05",
            "description": "Visit of the water works",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert "The programme item is saved." in response.content.decode()
    item.refresh_from_db()
    assert (item.date, item.time, item.place) == (days(12), datetime.time(9, 5), "")
    assert item.description == "Visit of the water works"

    mission.refresh_from_db()
    response = post(
        client,
        officer_a,
        url(city_a, mission, "programme_item_remove", item.pk),
        {"_version": mission.version},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "“Visit of the water works” is off the programme." in body
    assert "No programme recorded yet." in body
    assert not ProgrammeItem.objects.exists()
    assert AuditEntry.objects.filter(
        object_id=str(item.pk), action="delete", verb="programme item removed"
    ).exists()


def test_the_programme_is_listed_by_day_then_time_the_whole_day_first(
    client, officer_a, city_a, mission
):
    ProgrammeItemFactory(visit=mission, date=days(12), time=None, description="Day two")
    ProgrammeItemFactory(
        visit=mission, date=days(11), time=datetime.time(18), description="Evening"
    )
    ProgrammeItemFactory(visit=mission, date=days(11), time=datetime.time(9), description="Morning")
    ProgrammeItemFactory(visit=mission, date=days(11), time=None, description="All day")
    page = page_of(client, officer_a, city_a, mission)
    order = [page.index(what) for what in ("All day", "Morning", "Evening", "Day two")]
    assert order == sorted(order)


def test_a_day_outside_the_visit_is_refused_on_the_field_and_writes_nothing(
    client, officer_a, city_a, mission
):
    response = post(
        client,
        officer_a,
        url(city_a, mission, "programme_item_add"),
        {
            "_version": mission.version,
            "date": days(20).strftime("%d/%m/%Y"),
            "description": "Dinner",
        },
        **HTMX,
    )
    assert response.status_code == 200  # htmx swaps only a success: the refusal inside
    body = response.content.decode()
    assert "Nothing was recorded: correct what is shown below." in body
    assert "is outside the visit, from" in body
    assert 'id="programme_new-date_error"' in body
    assert 'aria-describedby="programme_new-date_error programme_new-date_helptext"' in body
    assert not ProgrammeItem.objects.exists()
    assert Visit.objects.get(pk=mission.pk).version == mission.version


def test_an_item_the_visits_new_dates_no_longer_cover_is_marked(client, officer_a, city_a, mission):
    ProgrammeItemFactory(visit=mission, date=days(11), description="Town hall")
    Visit.objects.filter(pk=mission.pk).update(starts_on=days(30), ends_on=days(32))
    page = page_of(client, officer_a, city_a, mission)
    assert "outside the visit" in page
    assert "give a day of the visit, or change the visit&#x27;s dates first." in page


def test_a_host_is_added_changed_and_removed(client, officer_a, city_a, mission):
    response = post(
        client,
        officer_a,
        url(city_a, mission, "hosting_add"),
        {
            "_version": mission.version,
            "host": "Famille Durand",
            "is_family": "on",
            "guests": "2",
            "nights": "4",
        },
    )
    assert response.status_code == 302
    hosting = Hosting.objects.get()
    assert (hosting.host, hosting.is_family, hosting.guests, hosting.nights) == (
        "Famille Durand",
        True,
        2,
        4,
    )

    mission.refresh_from_db()
    page = page_of(client, officer_a, city_a, mission, QUERY_STRING=f"edit=hosting-{hosting.pk}")
    assert f'id="hosting-{hosting.pk}-host"' in page
    assert "Host (family or hotel)" in page

    response = post(
        client,
        officer_a,
        url(city_a, mission, "hosting", hosting.pk),
        {"_version": mission.version, "host": "Hôtel de la Gare", "guests": "3", "nights": "2"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "The host is saved." in response.content.decode()
    hosting.refresh_from_db()
    assert (hosting.host, hosting.is_family, hosting.guests, hosting.nights) == (
        "Hôtel de la Gare",
        False,
        3,
        2,
    )

    mission.refresh_from_db()
    response = post(
        client,
        officer_a,
        url(city_a, mission, "hosting_remove", hosting.pk),
        {"_version": mission.version},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#hosting")
    assert not Hosting.objects.exists()
    assert AuditEntry.objects.filter(
        object_id=str(hosting.pk), action="delete", verb="host removed"
    ).exists()


def test_a_cost_is_removed(client, officer_a, city_a, mission):
    cost = VisitCostFactory(visit=mission, label="Plane tickets")
    kept = VisitCostFactory(visit=mission, label="Hotel")
    mission.refresh_from_db()
    response = post(
        client,
        officer_a,
        url(city_a, mission, "visit_cost_remove", cost.pk),
        {"_version": mission.version},
        **HTMX,
    )
    assert response.status_code == 200
    assert "The cost “Plane tickets” is removed." in response.content.decode()
    assert list(VisitCost.objects.all()) == [kept]
    assert AuditEntry.objects.filter(
        object_id=str(cost.pk), action="delete", verb="cost removed"
    ).exists()


def test_a_row_of_another_visit_is_not_reached_through_this_one(client, officer_a, city_a, mission):
    other = VisitFactory(authority=city_a)
    item = ProgrammeItemFactory(visit=other, date=other.starts_on)
    host = HostingFactory(visit=other)
    cost = VisitCostFactory(visit=other)
    for name, row in (
        ("programme_item_remove", item),
        ("hosting_remove", host),
        ("visit_cost_remove", cost),
    ):
        response = post(
            client, officer_a, url(city_a, mission, name, row.pk), {"_version": mission.version}
        )
        assert response.status_code == 404, name
    assert ProgrammeItem.objects.count() == Hosting.objects.count() == VisitCost.objects.count()
    assert VisitCost.objects.count() == 1


def test_the_programme_and_hosting_read_in_french(client, officer_a, city_a, mission):
    item = ProgrammeItemFactory(
        visit=mission, date=days(11), time=datetime.time(14, 30), description="Mairie"
    )
    HostingFactory(visit=mission, host="Famille Durand", is_family=True)
    with translation.override("fr"):
        wanted = [gettext(text) for text in ("Add to the programme", "Add a host", "host family")]
        address = url(city_a, mission) + f"?edit=programme-{item.pk}"
    assert wanted[0] != "Add to the programme"
    client.force_login(officer_a)
    page = client.get(address).content.decode()
    for text in wanted:
        assert text in page
    assert 'value="14h30"' in page  # the time shown back as written in French


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
        ("programme_item_add", {"date": "31/02/2026", "description": "Dinner"}, "date"),
        ("programme_item_add", {"date": "", "description": "Dinner"}, "date"),
        ("programme_item_add", {"date": "IN_VISIT", "time": "25h", "description": "X"}, "time"),
        ("programme_item_add", {"date": "IN_VISIT", "description": " "}, "description"),
        ("hosting_add", {"host": "", "guests": "2", "nights": "1"}, "host"),
        ("hosting_add", {"host": "Durand", "guests": "deux", "nights": "1"}, "guests"),
        ("hosting_add", {"host": "Durand", "guests": "0", "nights": "1"}, "guests"),
        ("hosting_add", {"host": "Durand", "guests": "2", "nights": "-1"}, "nights"),
    ],
)
def test_bad_input_says_what_to_fix_and_writes_nothing(
    client, officer_a, city_a, mission, name, data, field
):
    before = (mission.version, mission.starts_on)
    if data.get("date") == "IN_VISIT":
        data = {**data, "date": days(11).strftime("%d/%m/%Y")}
    response = post(
        client, officer_a, url(city_a, mission, name), {"_version": mission.version, **data}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was recorded: correct what is shown below." in page
    assert 'aria-invalid="true"' in page
    key = {"visit_edit": "visit_edit", "visit_cost_add": "cost_new"}.get(
        name, name.replace("_item", "").replace("_add", "_new")
    )
    assert f'id="{key}-{field}_error"' in page
    mission.refresh_from_db()
    assert (mission.version, mission.starts_on) == before
    assert not VisitCost.objects.exists()
    assert not ProgrammeItem.objects.exists()
    assert not Hosting.objects.exists()


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
    cost = VisitCostFactory(visit=mission, label="Plane tickets")
    item = ProgrammeItemFactory(visit=mission, date=days(10), description="Town hall")
    host = HostingFactory(visit=mission, host="Famille Durand")
    day = days(11).strftime("%d/%m/%Y")
    mission.refresh_from_db()
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
        ("visit_cost_remove", (cost.pk,), {}),
        ("programme_item_add", (), {"date": day, "description": "Dinner"}),
        ("programme_item", (item.pk,), {"date": day, "description": "Dinner"}),
        ("programme_item_remove", (item.pk,), {}),
        ("hosting_add", (), {"host": "Hôtel", "guests": "2", "nights": "1"}),
        ("hosting", (host.pk,), {"host": "Hôtel", "guests": "2", "nights": "1"}),
        ("hosting_remove", (host.pk,), {}),
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
    assert sorted(VisitCost.objects.values_list("label", flat=True)) == ["Plane tickets", "Taxi"]
    assert mission.participants.count() == 1
    assert list(ProgrammeItem.objects.values_list("description", flat=True)) == ["Town hall"]
    assert list(Hosting.objects.values_list("host", flat=True)) == ["Famille Durand"]


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
        ProgrammeItemFactory(visit=visit, date=days(10), description=f"Item {n}")
        HostingFactory(visit=visit, host=f"Family {n}")
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
    body = page.content.decode()
    assert "Staff 10" in body and "Item 11" in body and "Family 11" in body
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
