"""The back office of the partners app: constant queries per list, access by role and authority,
and saves that go through the services."""

import pytest

from jumelage.accounts.tests.factories import UserFactory
from jumelage.audit.models import AuditEntry
from jumelage.core.tests.factories import CountryFactory
from jumelage.partners.models import Authority, Label, MemberAuthority, Partnership
from jumelage.partners.tests.admin_pages import admin_url, change_form_data, count_queries
from jumelage.partners.tests.factories import (
    AuthorityFactory,
    ForeignAuthorityFactory,
    LabelFactory,
    MemberAuthorityFactory,
    PartnershipFactory,
)

COUNTRIES = ["GB", "DE", "IL", "RS", "AT", "ES", "HT", "IT", "PT", "BE"]


def _foreign(i):
    return ForeignAuthorityFactory(name=f"Partner {i}", country=CountryFactory(code=COUNTRIES[i]))


@pytest.fixture
def superuser(db):
    return UserFactory(username="operator", is_superuser=True)


# --- Lists run a constant number of queries -------------------------------------------------


def test_the_partnership_list_runs_as_many_queries_for_ten_rows_as_for_one(
    client, officer_a, city_a, django_assert_num_queries
):
    client.force_login(officer_a)
    url = admin_url(Partnership, "changelist")
    PartnershipFactory(authority=city_a, partner=_foreign(0))
    one_row = count_queries(client, url)
    for i in range(1, 10):
        PartnershipFactory(authority=city_a, partner=_foreign(i), started_year=1990 + i)
    with django_assert_num_queries(one_row):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 10
    assert "Partner 9" in response.content.decode()


def test_the_partnership_list_of_an_operator_stays_constant_across_authorities(
    client, superuser, django_assert_num_queries
):
    # An operator sees every authority, with the authority filter listing them all.
    client.force_login(superuser)
    url = admin_url(Partnership, "changelist")
    PartnershipFactory(partner=_foreign(0))
    one_row = count_queries(client, url)
    for i in range(1, 10):
        PartnershipFactory(partner=_foreign(i))
    with django_assert_num_queries(one_row):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 10


def test_the_authority_directory_runs_as_many_queries_for_ten_rows_as_for_one(
    client, officer_a, city_a, django_assert_num_queries
):
    client.force_login(officer_a)
    url = admin_url(Authority, "changelist") + "?country__code__exact=HT"
    _foreign(6)
    one_row = count_queries(client, url)
    for _ in range(9):
        ForeignAuthorityFactory(country=CountryFactory(code="HT"))
    with django_assert_num_queries(one_row):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 10


def test_the_member_authority_list_runs_as_many_queries_for_ten_rows_as_for_one(
    client, superuser, city_a, django_assert_num_queries
):
    client.force_login(superuser)
    url = admin_url(MemberAuthority, "changelist")
    one_row = count_queries(client, url)
    for _ in range(9):
        MemberAuthorityFactory()
    with django_assert_num_queries(one_row):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 10


def test_the_label_list_runs_as_many_queries_for_ten_rows_as_for_one(
    client, superuser, city_a, django_assert_num_queries
):
    client.force_login(superuser)
    url = admin_url(Label, "changelist")
    LabelFactory(authority=city_a)
    one_row = count_queries(client, url)
    for i in range(9):
        LabelFactory(name=f"Label {i}")  # each of another member authority
    with django_assert_num_queries(one_row):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 10


# --- Another authority's officer gets nothing -----------------------------------------------


def test_another_authoritys_officer_does_not_see_its_partnerships(client, officer_b, city_a):
    PartnershipFactory(authority=city_a, partner=ForeignAuthorityFactory(name="Kragujevac"))
    client.force_login(officer_b)
    response = client.get(admin_url(Partnership, "changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    assert "Kragujevac" not in response.content.decode()


def test_another_authoritys_officer_cannot_open_its_partnership(client, officer_b, city_a):
    partnership = PartnershipFactory(
        authority=city_a, partner=ForeignAuthorityFactory(name="Kragujevac")
    )
    client.force_login(officer_b)
    response = client.get(admin_url(Partnership, "change", partnership.pk))
    assert response.status_code in (302, 404)
    assert "Kragujevac" not in response.content.decode()


def test_another_authoritys_officer_cannot_post_a_change_to_its_partnership(
    client, officer_a, officer_b, city_a
):
    partnership = PartnershipFactory(authority=city_a)
    client.force_login(officer_a)
    data = change_form_data(client.get(admin_url(Partnership, "change", partnership.pk)))
    data["status"] = Partnership.Status.ENDED
    client.force_login(officer_b)
    response = client.post(admin_url(Partnership, "change", partnership.pk), data)
    assert response.status_code in (302, 404)
    assert Partnership.objects.get(pk=partnership.pk).status == Partnership.Status.ACTIVE
    assert not AuditEntry.objects.exists()


def test_another_authoritys_officer_cannot_open_its_member_record_or_labels(
    client, officer_b, city_a
):
    label = LabelFactory(authority=city_a, name="PACT2")
    client.force_login(officer_b)
    assert client.get(admin_url(MemberAuthority, "change", city_a.pk)).status_code in (302, 404)
    assert client.get(admin_url(Label, "change", label.pk)).status_code in (302, 404)
    response = client.get(admin_url(Label, "changelist"))
    assert "PACT2" not in response.content.decode()


# --- Roles within the authority ---------------------------------------------------------------


def test_a_viewer_sees_a_partnership_but_cannot_change_it(client, viewer_a, officer_a, city_a):
    partnership = PartnershipFactory(
        authority=city_a, partner=ForeignAuthorityFactory(name="Cap-Haïtien")
    )
    url = admin_url(Partnership, "change", partnership.pk)
    client.force_login(officer_a)
    data = change_form_data(client.get(url))
    data["status"] = Partnership.Status.DORMANT

    client.force_login(viewer_a)
    assert "Cap-Haïtien" in client.get(admin_url(Partnership, "changelist")).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert client.post(url, data).status_code == 403
    assert Partnership.objects.get(pk=partnership.pk).status == Partnership.Status.ACTIVE


def test_a_contributor_cannot_change_a_partnership(client, contributor_a, officer_a, city_a):
    partnership = PartnershipFactory(authority=city_a)
    url = admin_url(Partnership, "change", partnership.pk)
    client.force_login(officer_a)
    data = change_form_data(client.get(url))
    data["status"] = Partnership.Status.ENDED
    client.force_login(contributor_a)
    assert client.post(url, data).status_code == 403
    assert client.get(admin_url(Partnership, "add")).status_code == 403
    assert Partnership.objects.get(pk=partnership.pk).status == Partnership.Status.ACTIVE


def test_an_officer_changes_a_partnership_through_the_service(client, officer_a, city_a):
    partnership = PartnershipFactory(authority=city_a)
    url = admin_url(Partnership, "change", partnership.pk)
    client.force_login(officer_a)
    data = change_form_data(client.get(url))
    data["status"] = Partnership.Status.DORMANT
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Partnership.objects.get(pk=partnership.pk).status == Partnership.Status.DORMANT
    assert AuditEntry.objects.get(object_id=str(partnership.pk)).verb == "partnership saved"


def test_a_partnership_with_an_unrecognised_entity_is_refused_on_the_form(
    client, officer_a, city_a
):
    partnership = PartnershipFactory(authority=city_a)
    unrecognised = ForeignAuthorityFactory(is_recognised_by_france=False)
    url = admin_url(Partnership, "change", partnership.pk)
    client.force_login(officer_a)
    data = change_form_data(client.get(url))
    data["partner"] = unrecognised.pk
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "France does not recognise" in " ".join(errors["partner"])
    assert Partnership.objects.get(pk=partnership.pk).partner_id != unrecognised.pk
    assert not AuditEntry.objects.exists()


def test_an_officer_reads_the_member_record_but_only_an_administrator_changes_it(
    client, officer_a, admin_a, city_a
):
    url = admin_url(MemberAuthority, "change", city_a.pk)
    client.force_login(admin_a)
    data = change_form_data(client.get(url))
    data.update({"phone": "01 42 04 96 77", "slug": "elsewhere", "time_zone": "Indian/Reunion"})

    client.force_login(officer_a)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert client.post(url, data).status_code == 403
    assert MemberAuthority.objects.get(pk=city_a.pk).phone == ""

    client.force_login(admin_a)
    response = client.post(url, data)
    assert response.status_code == 302
    stored = MemberAuthority.objects.get(pk=city_a.pk)
    assert (stored.phone, stored.time_zone) == ("01 42 04 96 77", "Indian/Reunion")
    assert stored.slug == "ville-a"  # not the administrators' to change
    assert AuditEntry.objects.get().verb == "member authority settings changed"


def test_an_administrator_adds_opening_hours_on_the_member_record(client, admin_a, city_a):
    url = admin_url(MemberAuthority, "change", city_a.pk)
    client.force_login(admin_a)
    data = change_form_data(client.get(url))
    data.update(
        {
            "opening_hours-TOTAL_FORMS": "1",
            "opening_hours-0-weekday": "0",
            "opening_hours-0-opens": "09:00",
            "opening_hours-0-closes": "12:30",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert [
        (hours.weekday, hours.opens.isoformat(), hours.closes.isoformat())
        for hours in city_a.opening_hours.all()
    ] == [(0, "09:00:00", "12:30:00")]
    assert AuditEntry.objects.filter(verb="opening hours saved").count() == 1


def test_an_administrator_cannot_add_a_member_authority(client, admin_a):
    client.force_login(admin_a)
    assert client.get(admin_url(MemberAuthority, "add")).status_code == 403


def test_an_outsider_sees_no_partnership_page(client, outsider, city_a):
    PartnershipFactory(authority=city_a)
    client.force_login(outsider)
    assert client.get(admin_url(Partnership, "changelist")).status_code == 403
    assert client.get(admin_url(Authority, "changelist")).status_code == 403


def test_the_directory_is_searched_by_siren(client, officer_a):
    AuthorityFactory(name="Suresnes", siren="219200730")
    AuthorityFactory(name="Nanterre", siren="219200508")
    client.force_login(officer_a)
    response = client.get(admin_url(Authority, "changelist") + "?q=219200730")
    assert [a.name for a in response.context["cl"].result_list] == ["Suresnes"]


def test_an_officer_cannot_tick_recognised_again_on_the_directory_form(client, officer_a):
    entity = ForeignAuthorityFactory(is_recognised_by_france=False)
    url = admin_url(Authority, "change", entity.pk)
    client.force_login(officer_a)
    data = change_form_data(client.get(url))
    data["is_recognised_by_france"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    assert not Authority.objects.get(pk=entity.pk).is_recognised_by_france
