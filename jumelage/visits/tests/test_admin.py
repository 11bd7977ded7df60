"""The back office of visits: constant queries, the papers rule on the page, two authorities."""

import datetime

import pytest
from django.urls import reverse

from jumelage.actors.models import Person
from jumelage.actors.tests.admin_helpers import add_inline_row, assert_constant_queries, form_data
from jumelage.actors.tests.factories import PersonFactory
from jumelage.partners.tests.factories import PartnershipFactory
from jumelage.projects.tests.factories import ProjectFactory
from jumelage.visits.models import Participant, Visit, VisitCost
from jumelage.visits.tests.factories import ParticipantFactory, VisitCostFactory, VisitFactory


def test_the_visit_list_runs_the_same_queries_for_ten_rows_as_for_one(
    client, officer_a, city_a, django_assert_num_queries
):
    def add(n):
        for _ in range(n):
            # An untitled partnership is named after its partner: a join, not a query per row.
            VisitFactory(
                authority=city_a,
                partnership=PartnershipFactory(authority=city_a, title={}),
                project=ProjectFactory(authority=city_a),
            )

    add(1)
    client.force_login(officer_a)
    response = assert_constant_queries(
        client, reverse("admin:visits_visit_changelist"), add, django_assert_num_queries
    )
    assert response.context["cl"].result_count == 10


def test_the_visit_page_shows_its_total_cost_by_currency(client, officer_a, city_a):
    visit = VisitFactory(authority=city_a)
    VisitCostFactory(visit=visit, amount="300.00", currency="EUR")
    VisitCostFactory(visit=visit, amount="15000.00", currency="HTG")
    client.force_login(officer_a)
    page = client.get(reverse("admin:visits_visit_change", args=[visit.pk])).content.decode()
    assert "EUR" in page and "HTG" in page


@pytest.fixture
def outgoing(city_a):
    return VisitFactory(
        authority=city_a,
        direction=Visit.Direction.OUTGOING,
        starts_on=datetime.date(2026, 5, 4),
        ends_on=datetime.date(2026, 5, 9),
    )


def test_confirming_without_a_special_mandate_shows_the_refusal_and_writes_nothing(
    client, officer_a, city_a, outgoing
):
    ParticipantFactory(
        visit=outgoing,
        name="",
        role=Participant.Role.ELECTED,
        person=PersonFactory(authority=city_a, kind=Person.Kind.ELECTED),
    )
    client.force_login(officer_a)
    url = reverse("admin:visits_visit_change", args=[outgoing.pk])
    data = form_data(client.get(url))
    data["status"] = Visit.Status.CONFIRMED
    response = client.post(url, data)
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert Visit.objects.get(pk=outgoing.pk).status == Visit.Status.PLANNED


def test_a_participant_row_without_mission_order_in_a_confirmed_visit_is_refused(
    client, officer_a, city_a, outgoing
):
    Visit.objects.filter(pk=outgoing.pk).update(status=Visit.Status.CONFIRMED)
    agent = PersonFactory(authority=city_a, kind=Person.Kind.STAFF)
    client.force_login(officer_a)
    url = reverse("admin:visits_visit_change", args=[outgoing.pk])
    data = form_data(client.get(url))
    add_inline_row(data, "participants", person=str(agent.pk), role=Participant.Role.STAFF)
    response = client.post(url, data)
    assert response.status_code == 200
    row = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert "mission_order" in row.errors
    assert not Participant.objects.exists()


def test_an_officer_adds_programme_hosting_and_costs(client, officer_a, city_a):
    visit = VisitFactory(authority=city_a)
    client.force_login(officer_a)
    url = reverse("admin:visits_visit_change", args=[visit.pk])
    data = form_data(client.get(url))
    add_inline_row(data, "programme", date="2026-05-04", description="Médiathèque")
    add_inline_row(data, "hostings", host="Famille Durand", is_family="on", guests="2", nights="3")
    add_inline_row(data, "costs", label="Repas", amount="120.50", currency="EUR")
    assert client.post(url, data).status_code == 302
    assert visit.programme.get().description == "Médiathèque"
    assert visit.hostings.get().guests == 2
    assert VisitCost.objects.get(visit=visit).amount == 120.5


# --- Two authorities -------------------------------------------------------------------------


def test_an_officer_of_another_authority_never_lists_opens_or_changes_its_visits(
    client, officer_a, officer_b, city_a, city_b
):
    visit_a = VisitFactory(authority=city_a, title={"fr": "Mission à Cap-Haïtien"})
    VisitFactory(authority=city_b, title={"fr": "Délégation de B"})
    url = reverse("admin:visits_visit_change", args=[visit_a.pk])
    client.force_login(officer_a)
    data = form_data(client.get(url))
    data["title__fr"] = "Hacked"

    client.force_login(officer_b)
    listing = client.get(reverse("admin:visits_visit_changelist")).content.decode()
    assert "Délégation de B" in listing and "Cap-Haïtien" not in listing
    assert client.get(url).status_code == 302
    client.post(url, data)
    assert Visit.objects.get(pk=visit_a.pk).title == {"fr": "Mission à Cap-Haïtien"}


def test_another_authoritys_person_as_participant_is_refused_and_nothing_written(
    client, officer_b, city_a, city_b
):
    visit_b = VisitFactory(authority=city_b)
    person_a = PersonFactory(authority=city_a)
    client.force_login(officer_b)
    url = reverse("admin:visits_visit_change", args=[visit_b.pk])
    data = form_data(client.get(url))
    add_inline_row(data, "participants", person=str(person_a.pk), role=Participant.Role.GUEST)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "person" in response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert not Participant.objects.exists()


def test_a_viewer_reads_visits_but_cannot_change_them(client, officer_a, viewer_a, city_a):
    visit = VisitFactory(authority=city_a)
    url = reverse("admin:visits_visit_change", args=[visit.pk])
    client.force_login(officer_a)
    data = form_data(client.get(url))
    data["status"] = Visit.Status.CANCELLED

    client.force_login(viewer_a)
    assert client.get(reverse("admin:visits_visit_changelist")).status_code == 200
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 403
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.PLANNED


def test_a_contributor_cannot_change_visits(client, officer_a, contributor_a, city_a):
    visit = VisitFactory(authority=city_a)
    url = reverse("admin:visits_visit_change", args=[visit.pk])
    client.force_login(officer_a)
    data = form_data(client.get(url))
    data["status"] = Visit.Status.CANCELLED

    client.force_login(contributor_a)
    assert client.post(url, data).status_code == 403
    assert client.post(reverse("admin:visits_visit_add"), data).status_code == 403
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.PLANNED
    assert Visit.objects.count() == 1
