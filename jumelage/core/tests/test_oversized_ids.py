"""An id too large for the database, in an address or in a list filter, is "not found", never a
server error (SQLite refuses such integers; PostgreSQL compares them and finds nothing)."""

from __future__ import annotations

import pytest
from django.test import Client

from jumelage.accounts.tests.factories import MembershipFactory
from jumelage.partners.tests.factories import PartnershipFactory

HUGE = "9" * 21


@pytest.fixture
def officer_client(officer_a, city_a):
    PartnershipFactory(authority=city_a)
    client = Client(raise_request_exception=False)
    client.force_login(officer_a)
    return client


@pytest.mark.parametrize(
    "url",
    [
        f"/en/admin/partners/partnership/?partner={HUGE}",
        f"/en/admin/projects/project/?authority={HUGE}",
        f"/en/admin/projects/transaction/?project__id__exact={HUGE}",
    ],
)
def test_a_list_filtered_by_a_huge_id_finds_nothing(officer_client, url):
    response = officer_client.get(url)
    assert response.status_code in (200, 404), response.status_code
    if response.status_code == 200:
        assert not response.context["cl"].result_list


@pytest.mark.parametrize(
    "url",
    [
        f"/ville-a/partenaires/{HUGE}-nowhere/",
        f"/documents/{HUGE}/file.pdf",
        f"/reporting/spreadsheets/jobs/{HUGE}/",
        "/reporting/oda/ville-a/20250/",
    ],
)
def test_an_address_with_a_huge_id_or_year_is_not_found(officer_client, url):
    assert officer_client.get(url).status_code == 404


def test_the_member_filter_of_a_user_of_several_authorities_ignores_a_huge_id(
    city_a, city_b, officer_a
):
    MembershipFactory(user=officer_a, authority=city_b, role="officer")
    PartnershipFactory(authority=city_a)
    client = Client(raise_request_exception=False)
    client.force_login(officer_a)
    response = client.get(f"/en/admin/partners/partnership/?authority={HUGE}")
    assert response.status_code == 200
    assert not response.context["cl"].result_list


def test_a_form_tampered_with_a_huge_id_says_which_choice_is_wrong(officer_a, city_a):
    from jumelage.agreements.models import Agreement
    from jumelage.audit.models import AuditEntry

    client = Client(raise_request_exception=False)
    client.force_login(officer_a)
    response = client.post(
        "/en/admin/agreements/agreement/add/",
        {
            "authority": city_a.pk,
            "partnership": HUGE,
            "kind": Agreement.Kind.TWINNING_CHARTER,
            "title__fr": "Charte",
            "currency": "EUR",
            "status": Agreement.Status.DRAFT,
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Select a valid choice" in " ".join(errors["partnership"])
    assert not Agreement.objects.exists() and not AuditEntry.objects.exists()


def test_a_list_of_choices_tampered_with_a_huge_id_is_refused_on_the_form(officer_a, city_a):
    from jumelage.actors.models import Actor
    from jumelage.partners.tests.admin_pages import change_form_data

    client = Client(raise_request_exception=False)
    client.force_login(officer_a)
    url = "/en/admin/actors/actor/add/"
    data = change_form_data(client.get(url))
    data.update({"name": "Lycée", "kind": "school", "partnerships": [HUGE]})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "is not a valid value" in " ".join(
        response.context["adminform"].form.errors["partnerships"]
    )
    assert not Actor.objects.exists()
