"""The setup checklist: its steps and their state, the service contact and the public page's
introduction saved through the member's settings, partner towns placed from the gazetteer (at
once for a town only this authority uses, as a proposal otherwise), the home's to-do until done.
Another authority's checklist is a 404; a viewer changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from jumelage.core.tests.factories import all_countries
from jumelage.partners.gazetteer import position_of
from jumelage.partners.models import Authority
from jumelage.partners.tests.factories import AuthorityFactory, PartnershipFactory
from jumelage.register.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns(db):
    all_countries()
    return {
        "weissenburg": AuthorityFactory(name="Weißenburg in Bayern", country_id="DE"),
        "kragujevac": AuthorityFactory(name="Kragujevac", country_id="RS"),
    }


def setup_url(member):
    return reverse("workspace:setup", args=[member.slug])


def test_the_gazetteer_knows_towns_as_officers_write_them():
    found = position_of("Weissenburg in Bayern", "DE")
    assert found is not None and found.name == "Weißenburg in Bayern"
    assert abs(found.latitude - Decimal("49.03")) < Decimal("0.01")
    assert position_of("Cap-Haïtien", "HT") is not None
    assert position_of("Nowhere-sur-Rien", "FR") is None


def test_a_new_authority_sees_every_step_to_do(client, admin_a, city_a):
    client.force_login(admin_a)
    page = client.get(setup_url(city_a)).content.decode()
    assert "0 of 5 steps done" in page
    assert "Cannot start yet" in page  # towns, before any partnership
    home = client.get(reverse("workspace:home", args=[city_a.slug])).content.decode()
    assert "Finish setting up" in home and setup_url(city_a) in home


def test_the_contact_and_introduction_are_saved_through_the_settings(client, admin_a, city_a):
    client.force_login(admin_a)
    response = client.post(
        setup_url(city_a),
        {
            "action": "contact",
            "_version": city_a.version,
            "service_name": "Relations internationales",
            "street": "1 place de l'Hôtel de Ville",
            "postcode": "44600",
            "city": "Saint-Nazaire",
            "phone": "02 40 00 00 00",
            "email": "ri@example.org",
        },
    )
    assert response.status_code == 302
    city_a.refresh_from_db()
    assert city_a.city == "Saint-Nazaire"
    client.post(
        setup_url(city_a),
        {"action": "introduction", "_version": city_a.version, "introduction": "Nos jumelages."},
    )
    city_a.refresh_from_db()
    assert city_a.introduction["fr"] == "Nos jumelages."
    assert "2 of 5 steps done" in client.get(setup_url(city_a)).content.decode()


def test_a_stale_page_is_refused(client, admin_a, city_a):
    client.force_login(admin_a)
    response = client.post(
        setup_url(city_a),
        {"action": "introduction", "_version": city_a.version - 1, "introduction": "Vieux."},
    )
    assert response.status_code == 400
    city_a.refresh_from_db()
    assert city_a.introduction.get("fr") != "Vieux."


def test_a_bad_contact_says_what_to_fix_and_writes_nothing(client, admin_a, city_a):
    client.force_login(admin_a)
    response = client.post(
        setup_url(city_a), {"action": "contact", "_version": city_a.version, "email": "nope"}
    )
    assert response.status_code == 400
    assert b'aria-invalid="true"' in response.content
    city_a.refresh_from_db()
    assert city_a.email == ""


def test_a_town_only_this_authority_uses_is_placed_at_once(client, admin_a, city_a, towns):
    PartnershipFactory(authority=city_a, partner=towns["weissenburg"])
    client.force_login(admin_a)
    page = client.get(setup_url(city_a)).content.decode()
    assert "Place Weißenburg in Bayern here" in page
    town = towns["weissenburg"]
    found = position_of(town.name, "DE")
    client.post(
        setup_url(city_a),
        {
            "action": "place",
            "town": town.pk,
            "_version": town.version,
            "latitude": str(found.latitude),
            "longitude": str(found.longitude),
        },
    )
    town.refresh_from_db()
    assert town.latitude == found.latitude and town.longitude == found.longitude


def test_a_town_others_use_gets_a_proposal(client, admin_a, city_a, city_b, towns):
    town = towns["kragujevac"]
    PartnershipFactory(authority=city_a, partner=town)
    PartnershipFactory(authority=city_b, partner=town)
    client.force_login(admin_a)
    assert "Propose this position of Kragujevac" in client.get(setup_url(city_a)).content.decode()
    client.post(
        setup_url(city_a),
        {
            "action": "place",
            "town": town.pk,
            "_version": town.version,
            "latitude": "44.01667",
            "longitude": "20.91667",
        },
    )
    town.refresh_from_db()
    assert town.latitude is None
    proposal = Proposal.objects.get()
    assert proposal.changes["latitude"][1] == "44.01667"


def test_a_town_of_another_authority_cannot_be_placed_from_here(
    client, admin_a, city_a, city_b, towns
):
    PartnershipFactory(authority=city_b, partner=towns["weissenburg"])
    client.force_login(admin_a)
    client.post(
        setup_url(city_a),
        {
            "action": "place",
            "town": towns["weissenburg"].pk,
            "_version": 1,
            "latitude": "49",
            "longitude": "10",
        },
    )
    assert Authority.objects.get(pk=towns["weissenburg"].pk).latitude is None


def test_another_authority_and_a_viewer(client, officer_b, viewer_a, city_a):
    client.force_login(officer_b)
    assert client.get(setup_url(city_a)).status_code == 404
    client.force_login(viewer_a)
    assert client.get(setup_url(city_a)).status_code == 200
    response = client.post(
        setup_url(city_a), {"action": "introduction", "_version": 0, "introduction": "x"}
    )
    assert response.status_code == 403


def test_the_checklist_costs_the_same_queries_for_few_and_many_towns(
    client, admin_a, city_a, city_b, towns
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jumelage.partners.tests.factories import ForeignAuthorityFactory

    client.force_login(admin_a)
    counts = []
    for size in (2, 20):
        for _n in range(size):
            town = ForeignAuthorityFactory()
            PartnershipFactory(authority=city_a, partner=town)
            PartnershipFactory(authority=city_b, partner=town)  # shared: a proposal
        with CaptureQueriesContext(connection) as queries:
            page = client.get(setup_url(city_a))
        assert page.status_code == 200
        counts.append(len(queries))
    assert "Propose this position" not in page.content.decode() or counts
    assert counts[0] == counts[1], counts


def test_the_batch_rule_agrees_with_the_rule_of_one_entry(admin_a, city_a, city_b, towns):
    from jumelage.register.selectors import may_change_directly, may_change_directly_each

    PartnershipFactory(authority=city_a, partner=towns["weissenburg"])
    PartnershipFactory(authority=city_a, partner=towns["kragujevac"])
    PartnershipFactory(authority=city_b, partner=towns["kragujevac"])
    entries = [towns["weissenburg"], towns["kragujevac"], city_a.authority, city_b.authority]
    each = may_change_directly_each(admin_a, entries)
    assert each == {entry.pk: may_change_directly(admin_a, entry) for entry in entries}
    assert each[towns["weissenburg"].pk] and not each[towns["kragujevac"].pk]
    assert each[city_a.authority.pk] and not each[city_b.authority.pk]
