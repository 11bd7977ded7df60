"""The settings page's identifiers (the SIREN and the IATI organisation id of the authority's own
directory entry): the home's IATI to-do leads there, an administrator gives them as typed
("219 200 730", "fr-rcs-219 200 730"), a bad one says what to fix and writes nothing, a stale
page is refused, another authority's page is a 404 and its entry is never touched, the other
roles read them only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from jumelage.accounts.models import Role
from jumelage.accounts.tests.factories import MembershipFactory, UserFactory
from jumelage.core.tests.factories import OdaEligibilityFactory
from jumelage.partners.models import Authority
from jumelage.reporting.oda.window import declaration_window
from jumelage.workspace.selectors import settings_url

pytestmark = pytest.mark.django_db

HOME = "/en/workspace/ville-a/"
TODO = "Give your authority&#x27;s IATI organisation id"


def url(member) -> str:
    return reverse("workspace:settings", args=[member.slug])


def entry(member) -> Authority:
    return Authority.objects.get(pk=member.authority_id)


def data(member, **fields) -> dict:
    values = {"action": "identifiers", "_version": entry(member).version}
    values.update({"siren": "219 200 730", "iati_org_id": ""})
    values.update(fields)
    return values


@pytest.fixture
def unidentified_a(city_a):
    """City A with neither a SIREN nor an IATI id: its IATI file cannot be published."""
    Authority.objects.filter(pk=city_a.authority_id).update(
        siren="", latitude=Decimal("48.8"), longitude=Decimal("2.2")
    )
    city_a.email, city_a.phone = "ri@ville-a.fr", "01 02 03 04 05"
    city_a.street, city_a.city = "1 place de la Mairie", "Ville A"
    city_a.save()
    OdaEligibilityFactory(year=declaration_window().year)
    city_a.refresh_from_db()
    return city_a


def test_the_iati_to_do_leads_to_the_identifiers_and_leaves_once_given(
    client, unidentified_a, admin_a, django_capture_on_commit_callbacks
):
    client.force_login(admin_a)
    page = client.get(HOME).content.decode()
    assert TODO in page
    target = settings_url(unidentified_a, "identifiers")
    assert target.endswith("#identifiers")
    assert f'href="{target}"' in page
    assert "/admin/partners/authority/" not in page

    settings_page = client.get(url(unidentified_a)).content.decode()
    assert 'id="identifiers"' in settings_page
    assert 'name="siren"' in settings_page and 'name="iati_org_id"' in settings_page

    with django_capture_on_commit_callbacks(execute=True):  # the IATI check's data changed
        response = client.post(url(unidentified_a), data(unidentified_a))
    assert response.status_code == 302
    assert response.url == f"{url(unidentified_a)}#identifiers"
    assert entry(unidentified_a).siren == "219200730"
    assert TODO not in client.get(HOME).content.decode()


def test_the_iati_id_is_taken_as_typed_and_written_as_iati_expects(client, city_a, admin_a):
    client.force_login(admin_a)
    response = client.post(url(city_a), data(city_a, iati_org_id=" fr-rcs-219 200 730 "))
    assert response.status_code == 302
    fresh = entry(city_a)
    assert (fresh.siren, fresh.iati_org_id) == ("219200730", "FR-RCS-219200730")
    page = client.get(url(city_a)).content.decode()
    assert "published under the organisation id <strong>FR-RCS-219200730</strong>" in page
    assert 'value="219 200 730"' in page  # shown back in groups of three


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"iati_org_id": "FR-SIRET-21920073000012"}, "iati_org_id", "registration agency"),
        ({"iati_org_id": "FR-RCS-219200731"}, "iati_org_id", "last digit does not match"),
        ({"iati_org_id": "GB-CHC-123/4"}, "iati_org_id", "/ &amp; | ?"),
        ({"iati_org_id": "FR-INSEE-219200730"}, "iati_org_id", "withdrew the prefix"),
        ({"siren": "219 200 731"}, "siren", "last digit does not match"),
        ({"siren": "2192"}, "siren", "nine digits"),
    ],
)
def test_a_bad_identifier_says_what_to_fix_and_writes_nothing(
    client, city_a, admin_a, fields, field, words
):
    client.force_login(admin_a)
    before = entry(city_a)
    response = client.post(url(city_a), data(city_a, **fields))
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page
    assert f'aria-describedby="id_{field}_error' in page
    fresh = entry(city_a)
    assert (fresh.siren, fresh.iati_org_id, fresh.version) == (
        before.siren,
        before.iati_org_id,
        before.version,
    )


def test_a_stale_page_is_refused_writes_nothing_and_stays_stale(client, city_a, admin_a):
    client.force_login(admin_a)
    stale = entry(city_a).version
    Authority.objects.filter(pk=city_a.authority_id).update(version=stale + 1)
    response = client.post(url(city_a), data(city_a, _version=stale))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Someone else changed this record" in page
    assert entry(city_a).siren == "123456789"
    # Sent back with its errors, the form keeps the version it was opened on: a second click
    # does not overwrite the other change.
    assert f'name="_version" value="{stale}"' in page
    assert client.post(url(city_a), data(city_a, _version=stale)).status_code == 400
    assert entry(city_a).siren == "123456789"


def test_another_authoritys_page_is_a_404_and_its_entry_is_untouched(
    client, city_a, city_b, officer_b
):
    admin_b = UserFactory(username="admin_b")
    MembershipFactory(user=admin_b, authority=city_b, role=Role.ADMIN)
    for user in (officer_b, admin_b):
        client.force_login(user)
        assert client.get(url(city_a)).status_code == 404
        assert client.post(url(city_a), data(city_a)).status_code == 404
    assert entry(city_a).siren == "123456789" and entry(city_a).version == 0


def test_an_administrator_of_a_writes_only_as_entry_whatever_the_form_names(
    client, city_a, city_b, admin_a
):
    client.force_login(admin_a)
    b_before = entry(city_b)
    response = client.post(
        url(city_a),
        data(city_a, authority=city_b.authority_id, pk=city_b.authority_id, slug="ville-b"),
    )
    assert response.status_code == 302
    assert entry(city_a).siren == "219200730"
    b_after = entry(city_b)
    assert (b_after.siren, b_after.iati_org_id, b_after.version) == (
        b_before.siren,
        b_before.iati_org_id,
        b_before.version,
    )


def test_the_other_roles_read_the_identifiers_and_change_nothing(
    client, city_a, officer_a, viewer_a
):
    Authority.objects.filter(pk=city_a.authority_id).update(iati_org_id="XI-IATI-VILLEA")
    for user in (officer_a, viewer_a):
        client.force_login(user)
        page = client.get(url(city_a)).content.decode()
        assert "XI-IATI-VILLEA" in page and "123456789" in page
        assert 'name="iati_org_id"' not in page
        assert client.post(url(city_a), data(city_a)).status_code == 403
    assert entry(city_a).siren == "123456789"


def test_the_administrators_page_costs_a_fixed_number_of_queries(
    client, city_a, admin_a, django_assert_num_queries
):
    client.force_login(admin_a)
    client.get(url(city_a))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url(city_a)).status_code == 200
    for _n in range(5):
        MembershipFactory(user=UserFactory(), authority=city_a, role=Role.ADMIN)
    with django_assert_num_queries(len(captured)):
        client.get(url(city_a))
    # Pinned: the session and user, the seat (2), the user's roles, the administrators.
    assert len(captured) == 6


def test_the_section_speaks_french(client, city_a, admin_a):
    client.force_login(admin_a)
    page = client.get(f"/espace/{city_a.slug}/parametres/").content.decode()
    with translation.override("fr"):
        heading = gettext("Identifiers for the reports")
        button = gettext("Save the identifiers")
    assert heading != "Identifiers for the reports"
    assert heading in page and button in page
