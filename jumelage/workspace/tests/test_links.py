"""Each to-do of the home links to the workspace page where it is fixed, and disappears once
fixed there: partner towns without a position (the setup page's towns, one at a time, typed in
French, or all at once), the service contact (the setup page's form), the ODA declaration's
payments (their line of the ledger). Another authority's pages stay a 404; a viewer changes
nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from jumelage.audit.models import AuditEntry
from jumelage.core.tests.factories import OdaEligibilityFactory, all_countries
from jumelage.partners.gazetteer import position_of
from jumelage.partners.models import Authority, Partnership
from jumelage.partners.tests.factories import AuthorityFactory, PartnershipFactory
from jumelage.projects.tests.factories import ProjectFactory, TransactionFactory
from jumelage.register.models import Proposal
from jumelage.reporting.oda.window import declaration_window
from jumelage.workspace.selectors import payment_url, settings_url, town_position_url

pytestmark = pytest.mark.django_db

HOME = "/en/workspace/ville-a/"


@pytest.fixture
def tidy_a(city_a):
    """City A with its contact and its own town's position: only the lines a test adds show."""
    city_a.email, city_a.phone = "ri@ville-a.fr", "01 02 03 04 05"
    city_a.street, city_a.city = "1 place de la Mairie", "Ville A"
    city_a.save()
    city_a.authority.latitude, city_a.authority.longitude = Decimal("48.8"), Decimal("2.2")
    city_a.authority.save()
    OdaEligibilityFactory(year=declaration_window().year)
    return city_a


@pytest.fixture
def towns(db):
    all_countries()
    return {
        "weissenburg": AuthorityFactory(name="Weißenburg in Bayern", country_id="DE"),
        "kragujevac": AuthorityFactory(name="Kragujevac", country_id="RS"),
        "nowhere": AuthorityFactory(name="Nowhere-sur-Rien", country_id="FR"),
    }


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def setup_url(member) -> str:
    return reverse("workspace:setup", args=[member.slug])


def partner(member, town):
    return PartnershipFactory(authority=member, partner=town, is_public=True)


# --- Partner towns -----------------------------------------------------------------------------


def test_a_town_without_position_links_to_the_setup_towns_and_leaves_once_placed(
    client, tidy_a, admin_a, towns
):
    town = towns["weissenburg"]
    partner(tidy_a, town)
    page = home(client, admin_a)
    assert "Give the position of Weißenburg in Bayern on the map" in page
    assert f'href="{town_position_url(tidy_a)}"' in page
    assert "/admin/partners/authority/" not in page

    setup = client.get(town_position_url(tidy_a).split("#")[0]).content.decode()
    assert 'id="towns"' in setup and "Place Weißenburg in Bayern here" in setup
    found = position_of(town.name, "DE")
    client.post(
        setup_url(tidy_a),
        {
            "action": "place",
            "town": town.pk,
            "_version": town.version,
            "latitude": str(found.latitude),
            "longitude": str(found.longitude),
        },
    )
    assert "Give the position of Weißenburg" not in home(client, admin_a)


def test_a_town_the_gazetteer_lacks_is_typed_in_french_degrees(client, tidy_a, admin_a, towns):
    town = towns["nowhere"]
    partner(tidy_a, town)
    client.force_login(admin_a)
    setup = client.get(setup_url(tidy_a)).content.decode()
    assert f'id="latitude-{town.pk}"' in setup and f'for="latitude-{town.pk}"' in setup
    client.post(
        setup_url(tidy_a),
        {
            "action": "place",
            "town": town.pk,
            "_version": town.version,
            "latitude": "47,2115",
            "longitude": " -1,5534 ",
        },
    )
    town.refresh_from_db()
    assert (town.latitude, town.longitude) == (Decimal("47.2115"), Decimal("-1.5534"))
    assert "Give the position of Nowhere" not in home(client, admin_a)


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [("91", "2"), ("47,2", "-181"), ("NaN", "2"), ("quarante-sept", "2"), ("", "")],
)
def test_a_position_that_cannot_be_read_writes_nothing_and_says_so(
    client, tidy_a, admin_a, towns, latitude, longitude
):
    town = towns["nowhere"]
    partner(tidy_a, town)
    client.force_login(admin_a)
    response = client.post(
        setup_url(tidy_a),
        {
            "action": "place",
            "town": town.pk,
            "_version": town.version,
            "latitude": latitude,
            "longitude": longitude,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "in degrees, for example 49,03095 and 10,97221" in response.content.decode()
    town.refresh_from_db()
    assert town.latitude is None and town.longitude is None
    assert not Proposal.objects.exists()


def place_all(client, member, versions):
    data = {"action": "place-all"}
    data.update({f"version-{pk}": version for pk, version in versions.items()})
    return client.post(setup_url(member), data, follow=True)


def test_place_them_all_places_each_town_the_gazetteer_knows(
    client, tidy_a, city_b, admin_a, towns
):
    weissenburg, kragujevac, nowhere = towns["weissenburg"], towns["kragujevac"], towns["nowhere"]
    for town in (weissenburg, kragujevac, nowhere):
        partner(tidy_a, town)
    PartnershipFactory(authority=city_b, partner=kragujevac)  # shared: a proposal
    client.force_login(admin_a)
    setup = client.get(setup_url(tidy_a)).content.decode()
    assert "Place them all at the proposed positions" in setup
    assert f'name="version-{weissenburg.pk}"' in setup
    assert f'name="version-{nowhere.pk}"' not in setup  # nothing to propose for it
    # The shared town says who places it, and offers a proposal instead of a write.
    assert setup.count("your position goes to the register's curators") == 1
    assert "Propose this position of Kragujevac" in setup

    response = place_all(
        client, tidy_a, {weissenburg.pk: weissenburg.version, kragujevac.pk: kragujevac.version}
    )

    page = response.content.decode()
    assert "1 town is on the map." in page
    weissenburg.refresh_from_db()
    kragujevac.refresh_from_db()
    assert weissenburg.latitude == position_of(weissenburg.name, "DE").latitude
    assert kragujevac.latitude is None
    assert Proposal.objects.get().entry_id == kragujevac.pk
    nowhere.refresh_from_db()
    assert nowhere.latitude is None


def test_place_them_all_is_all_or_nothing(client, tidy_a, admin_a, towns):
    weissenburg, kragujevac = towns["weissenburg"], towns["kragujevac"]
    partner(tidy_a, weissenburg)
    partner(tidy_a, kragujevac)
    seen = kragujevac.version
    Authority.objects.filter(pk=kragujevac.pk).update(version=seen + 1)  # a colleague's change
    client.force_login(admin_a)

    response = place_all(client, tidy_a, {weissenburg.pk: weissenburg.version, kragujevac.pk: seen})

    assert "Nothing was placed" in response.content.decode()
    weissenburg.refresh_from_db()
    kragujevac.refresh_from_db()
    assert weissenburg.latitude is None and kragujevac.latitude is None


def test_place_them_all_is_refused_to_a_viewer_and_another_authority(
    client, tidy_a, viewer_a, officer_b, towns
):
    town = towns["weissenburg"]
    partner(tidy_a, town)
    client.force_login(viewer_a)
    response = client.post(setup_url(tidy_a), {"action": "place-all", f"version-{town.pk}": 0})
    assert response.status_code == 403
    client.force_login(officer_b)
    response = client.post(setup_url(tidy_a), {"action": "place-all", f"version-{town.pk}": 0})
    assert response.status_code == 404
    town.refresh_from_db()
    assert town.latitude is None


# --- The service contact -----------------------------------------------------------------------


def contact_data(member, **fields):
    data = {
        "action": "contact",
        "_version": member.version,
        "street": "1 place de la Mairie",
        "postcode": "44600",
        "city": "Ville A",
        "phone": "02 40 00 00 00",
        "email": "ri@ville-a.fr",
    }
    data.update(fields)
    return data


def test_the_contact_links_to_the_settings_and_leaves_once_saved(client, city_a, admin_a):
    city_a.authority.latitude, city_a.authority.longitude = Decimal("48.8"), Decimal("2.2")
    city_a.authority.save()
    page = home(client, admin_a)
    assert "Complete the service&#x27;s contact details" in page
    assert f'href="{settings_url(city_a)}"' in page
    assert "/admin/partners/memberauthority/" not in page
    settings_page = client.get(settings_url(city_a).split("#")[0]).content.decode()
    assert 'id="contact"' in settings_page and 'name="street"' in settings_page
    assert 'name="introduction"' in settings_page

    city_a.refresh_from_db()
    response = client.post(settings_url(city_a).split("#")[0], contact_data(city_a))
    assert response.status_code == 302
    assert response.url == reverse("workspace:settings", args=[city_a.slug])
    assert "Complete the service&#x27;s contact details" not in home(client, admin_a)


def test_the_settings_page_saves_the_introduction_through_the_same_service(client, city_a, admin_a):
    client.force_login(admin_a)
    url = reverse("workspace:settings", args=[city_a.slug])
    client.post(url, {"action": "introduction", "_version": city_a.version, "introduction": "Nos"})
    city_a.refresh_from_db()
    assert city_a.introduction["fr"] == "Nos"
    entry = AuditEntry.objects.filter(model="partners.memberauthority").latest("at")
    assert entry.verb == "member authority settings changed"


def test_a_stale_settings_page_is_refused_and_writes_nothing(client, city_a, admin_a):
    client.force_login(admin_a)
    url = reverse("workspace:settings", args=[city_a.slug])
    response = client.post(url, contact_data(city_a, _version=city_a.version - 1))
    assert response.status_code == 400
    city_a.refresh_from_db()
    assert city_a.email == ""


def test_a_bad_contact_on_the_settings_page_says_what_to_fix(client, city_a, admin_a):
    client.force_login(admin_a)
    url = reverse("workspace:settings", args=[city_a.slug])
    response = client.post(url, contact_data(city_a, email="nope"))
    assert response.status_code == 400
    assert b'aria-invalid="true"' in response.content
    city_a.refresh_from_db()
    assert city_a.email == ""


def test_an_officer_and_a_viewer_read_the_settings_and_are_told_who_changes_them(
    client, city_a, admin_a, officer_a, viewer_a
):
    admin_a.first_name, admin_a.last_name = "Camille", "Martin"
    admin_a.save()
    url = reverse("workspace:settings", args=[city_a.slug])
    for user in (officer_a, viewer_a):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "An administrator of the authority changes these settings." in page
        assert "Camille Martin" in page and 'name="street"' not in page
        assert client.post(url, contact_data(city_a)).status_code == 403
    city_a.refresh_from_db()
    assert city_a.email == ""


def test_another_authoritys_settings_are_a_404(client, city_a, officer_b):
    client.force_login(officer_b)
    url = reverse("workspace:settings", args=[city_a.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, contact_data(city_a)).status_code == 404


def test_the_menu_leads_to_the_settings(client, city_a, viewer_a):
    client.force_login(viewer_a)
    page = client.get(HOME).content.decode()
    assert f'href="{reverse("workspace:settings", args=[city_a.slug])}"' in page


def test_the_settings_page_costs_the_same_queries_whatever_the_administrators(
    client, city_a, officer_a, django_assert_num_queries
):
    from jumelage.accounts.models import Membership, Role
    from jumelage.accounts.tests.factories import UserFactory

    client.force_login(officer_a)
    url = reverse("workspace:settings", args=[city_a.slug])
    client.get(url)
    counts = []
    for size in (1, 6):
        for _n in range(size):
            Membership.objects.create(user=UserFactory(), authority=city_a, role=Role.ADMIN)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    with django_assert_num_queries(counts[0]):
        client.get(url)
    # Pinned: the session and user, the seat (2), the user's roles, the administrators.
    assert counts[0] == 6, counts


# --- The ODA declaration's payments ------------------------------------------------------------


def test_a_payment_to_fix_links_to_its_line_and_leaves_once_fixed(
    client, tidy_a, officer_a, settings
):
    settings.ODA_DECLARATION_WINDOW = ("01-01", "12-31")
    year = timezone.localdate().year - 1
    OdaEligibilityFactory(year=year)
    project = ProjectFactory(authority=tidy_a, title={"en": "Civil registry"})
    payment = TransactionFactory(
        project=project,
        date=datetime.date(year, 3, 14),
        amount="3870.40",
        recipient_country=None,
        channel_code="12000",
    )
    page = home(client, officer_a)
    assert "Fix the payment of" in page
    url = payment_url(tidy_a, payment.pk)
    assert f'href="{url}"' in page
    assert "/admin/projects/transaction/" not in page

    form = client.get(url)
    assert form.status_code == 200
    client.post(
        url,
        {
            "for_project": project.pk,
            "recipient_country": "HT",
            "date": f"14/03/{year}",
            "amount": "3 870,40",
            "currency": "EUR",
            "oda_category": "1",
            "version": payment.version,
        },
    )
    payment.refresh_from_db()
    assert payment.recipient_country_id == "HT"
    assert "Fix the payment of" not in home(client, officer_a)


def test_a_payment_missing_only_its_crs_codes_links_to_its_line_with_the_codes_open(
    client, tidy_a, officer_a, settings
):
    """The ledger's form holds the CRS codes: the to-do opens their section, and once the
    channel is given there the to-do is gone (no back-office page any more)."""
    settings.ODA_DECLARATION_WINDOW = ("01-01", "12-31")
    year = timezone.localdate().year - 1
    OdaEligibilityFactory(year=year)
    project = ProjectFactory(authority=tidy_a)
    payment = TransactionFactory(project=project, date=datetime.date(year, 5, 1))
    page = home(client, officer_a)
    url = payment_url(tidy_a, payment.pk, codes=True)
    assert url.endswith("?open=oda") and f'href="{url}"' in page
    assert "/admin/projects/transaction/" not in page

    form = client.get(url).content.decode()
    assert f'id="payment-{payment.pk}-oda" open' in form
    client.post(
        payment_url(tidy_a, payment.pk),
        {
            "for_project": project.pk,
            "recipient_country": "HT",
            "date": f"01/05/{year}",
            "amount": "5 000",
            "oda_category": "1",
            "sector_code": "15112",
            "channel_code": "12002",
            "flow_type": "10",
            "finance_type": "110",
            "aid_type": "C01",
            "version": payment.version,
        },
    )
    payment.refresh_from_db()
    assert payment.channel_code == "12002"
    assert "Fix the payment of" not in home(client, officer_a)


def test_a_twinning_payment_whose_purpose_is_to_confirm_leads_to_its_projects_form(
    client, tidy_a, officer_a, settings
):
    """The project's ODA purpose is in the workspace's project form now, not the back office."""
    settings.ODA_DECLARATION_WINDOW = ("01-01", "12-31")
    year = timezone.localdate().year - 1
    OdaEligibilityFactory(year=year)
    project = ProjectFactory(authority=tidy_a, title={"en": "School exchange"}, version=1)
    project.partnerships.add(PartnershipFactory(authority=tidy_a, kind=Partnership.Kind.TWINNING))
    payment = TransactionFactory(
        project=project, date=datetime.date(year, 5, 1), channel_code="12000"
    )
    page = home(client, officer_a)
    edit = reverse("workspace:project_edit", args=[tidy_a.slug, project.pk])
    assert f'href="{edit}#id_oda_purpose_0"' in page
    assert f"/admin/projects/transaction/{payment.pk}/" not in page

    form = client.get(edit).content.decode()
    assert 'id="id_oda_purpose_0"' in form


def test_the_payment_line_of_another_authority_is_a_404(client, tidy_a, city_b, officer_b):
    payment = TransactionFactory(project=ProjectFactory(authority=tidy_a))
    client.force_login(officer_b)
    assert client.get(payment_url(tidy_a, payment.pk)).status_code == 404
    assert client.get(payment_url(city_b, payment.pk)).status_code == 404


def test_the_to_do_reads_the_french_catalogue(client, tidy_a, admin_a, towns):
    partner(tidy_a, towns["weissenburg"])
    client.force_login(admin_a)
    with translation.override("fr"):
        expected = gettext("Give the position of %(town)s on the map") % {
            "town": "Weißenburg in Bayern"
        }
        page = client.get(reverse("workspace:home", args=[tidy_a.slug])).content.decode()
        place = town_position_url(tidy_a)
    assert expected in page
    assert f'href="{place}"' in page and "/setup/" not in place


def test_a_reader_following_a_payment_link_reads_it_where_it_is_shown(client, city_a, viewer_a):
    project = ProjectFactory(authority=city_a)
    with_project = TransactionFactory(project=project)
    client.force_login(viewer_a)
    response = client.get(payment_url(city_a, with_project.pk))
    assert response.status_code == 302
    assert response.url == (
        f"{reverse('workspace:project', args=[city_a.slug, project.pk])}#payment-{with_project.pk}"
    )
    response = client.post(payment_url(city_a, with_project.pk), {"receiver": "x"})
    assert response.status_code == 403
