"""Writes of the partners app: partnerships, member authority settings, opening hours, labels."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from jumelage.accounts.tests.factories import UserFactory
from jumelage.audit.models import AuditEntry
from jumelage.core.tests.factories import CountryFactory
from jumelage.partners.models import Authority, Label, MemberAuthority, OpeningHours, Partnership
from jumelage.partners.services import (
    authority_save,
    label_save,
    member_settings_update,
    opening_hours_delete,
    opening_hours_save,
    partnership_save,
)
from jumelage.partners.tests.factories import (
    AuthorityFactory,
    ForeignAuthorityFactory,
    OpeningHoursFactory,
    PartnershipFactory,
)
from jumelage.tenancy.services import ConcurrentEditError


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def verbs_of(instance):
    return list(
        AuditEntry.objects.filter(model=instance._meta.label_lower, object_id=str(instance.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


# --- Partnerships -----------------------------------------------------------------------------


def test_it_saves_a_partnership_with_its_verb_in_the_audit_log(officer_a, city_a):
    partnership = Partnership(
        authority=city_a, partner=ForeignAuthorityFactory(), kind=Partnership.Kind.COOPERATION
    )
    partnership_save(partnership=partnership, user=officer_a)
    assert verbs_of(partnership) == ["partnership saved"]


def test_it_refuses_a_second_partnership_of_the_same_kind_with_the_same_partner(officer_a, city_a):
    existing = PartnershipFactory(authority=city_a, kind=Partnership.Kind.TWINNING)
    again = Partnership(authority=city_a, partner=existing.partner, kind=Partnership.Kind.TWINNING)
    with pytest.raises(ValidationError, match="already has a partnership of this kind"):
        partnership_save(partnership=again, user=officer_a)
    assert Partnership.objects.count() == 1


def test_it_refuses_a_partnership_that_ends_before_it_starts(officer_a, city_a):
    partnership = PartnershipFactory.build(
        authority=city_a,
        partner=ForeignAuthorityFactory(),
        started_year=1998,
        ended_on=datetime.date(1990, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        partnership_save(partnership=partnership, user=officer_a)
    assert "ends before the year it started" in " ".join(refused.value.message_dict["ended_on"])
    assert not Partnership.objects.exists()


def test_a_contributor_cannot_save_a_partnership(contributor_a, city_a):
    partnership = PartnershipFactory(authority=city_a)
    partnership.status = Partnership.Status.ENDED
    with pytest.raises(PermissionDenied):
        partnership_save(partnership=partnership, user=contributor_a)
    assert Partnership.objects.get(pk=partnership.pk).status == Partnership.Status.ACTIVE


# --- The shared directory ---------------------------------------------------------------------


def test_an_officer_adds_an_authority_to_the_directory(officer_a):
    authority = ForeignAuthorityFactory.build(name="Cap-Haïtien", country=CountryFactory(code="HT"))
    authority_save(authority=authority, user=officer_a)
    assert verbs_of(authority) == ["authority saved"]


def test_it_refuses_a_second_authority_with_the_same_siren(officer_a):
    AuthorityFactory(siren="219200730")
    with pytest.raises(ValidationError, match="already has this SIREN number"):
        authority_save(
            authority=AuthorityFactory.build(siren="219200730", country=CountryFactory(code="FR")),
            user=officer_a,
        )
    assert Authority.objects.filter(siren="219200730").count() == 1


def test_an_officer_marks_an_entity_their_authority_works_with_as_not_recognised(city_a, officer_a):
    entity = ForeignAuthorityFactory()
    PartnershipFactory(authority=city_a, partner=entity, status=Partnership.Status.ENDED)
    entity.is_recognised_by_france = False
    authority_save(authority=entity, user=officer_a, expected_version=entity.version)
    assert not Authority.objects.get(pk=entity.pk).is_recognised_by_france


def test_only_an_operator_marks_an_entity_as_recognised_again(officer_a):
    entity = ForeignAuthorityFactory(is_recognised_by_france=False)
    entity.is_recognised_by_france = True
    with pytest.raises(ValidationError, match="Only the operators of this site"):
        authority_save(authority=entity, user=officer_a, expected_version=entity.version)
    assert not Authority.objects.get(pk=entity.pk).is_recognised_by_france
    operator = UserFactory(username="operator", is_superuser=True)
    authority_save(authority=entity, user=operator, expected_version=entity.version)
    assert Authority.objects.get(pk=entity.pk).is_recognised_by_france


def test_a_viewer_cannot_change_the_directory(viewer_a):
    with pytest.raises(PermissionDenied):
        authority_save(
            authority=ForeignAuthorityFactory.build(country=CountryFactory(code="HT")),
            user=viewer_a,
        )
    assert not AuditEntry.objects.exists()


# --- Member authority settings: its administrators only ---------------------------------------


def test_an_administrator_changes_the_service_contact_introduction_and_goals(admin_a, city_a):
    member_settings_update(
        member=city_a,
        user=admin_a,
        expected_version=city_a.version,
        service_name="Actions internationales",
        street="22 rue des Carrières",
        postcode="92150",
        city="Suresnes",
        phone="01 42 04 96 77",
        introduction={"fr": "Plus de 50 ans d'action internationale."},
        goals={"fr": "Développement local durable"},
    )
    assert city_a.street == "22 rue des Carrières"
    stored = MemberAuthority.objects.get(pk=city_a.pk)
    assert stored.phone == "01 42 04 96 77"
    assert stored.goals == {"fr": "Développement local durable"}
    assert verbs_of(city_a) == ["member authority settings changed"]


@pytest.mark.parametrize("persona", ["officer_a", "contributor_a", "viewer_a", "officer_b"])
def test_only_the_authoritys_administrators_change_its_settings(persona, request, city_a):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        member_settings_update(member=city_a, user=user, expected_version=0, phone="01 00 00 00 00")
    assert MemberAuthority.objects.get(pk=city_a.pk).phone == ""
    assert not AuditEntry.objects.exists()


def test_settings_cannot_change_the_authoritys_address_on_the_site(admin_a, city_a):
    with pytest.raises(TypeError, match="slug"):
        member_settings_update(member=city_a, user=admin_a, expected_version=0, slug="elsewhere")
    assert MemberAuthority.objects.get(pk=city_a.pk).slug == "ville-a"


def test_it_refuses_an_invalid_e_mail_address_and_writes_nothing(admin_a, city_a):
    with pytest.raises(ValidationError):
        member_settings_update(
            member=city_a, user=admin_a, expected_version=0, email="not an address", phone="01"
        )
    stored = MemberAuthority.objects.get(pk=city_a.pk)
    assert (stored.email, stored.phone) == ("", "")
    assert city_a.phone == ""


def test_an_administrator_sets_the_opening_hours(admin_a, city_a):
    # Monday 9:00 to 12:30 and 13:30 to 18:00.
    morning = OpeningHours(member=city_a, weekday=0, opens="09:00", closes="12:30")
    afternoon = OpeningHours(member=city_a, weekday=0, opens="13:30", closes="18:00")
    opening_hours_save(hours=morning, user=admin_a, expected_version=0)
    opening_hours_save(hours=afternoon, user=admin_a, expected_version=1)  # each row moves it on
    assert city_a.opening_hours.count() == 2
    afternoon_pk = afternoon.pk
    opening_hours_delete(hours=afternoon, user=admin_a, expected_version=2)
    assert list(city_a.opening_hours.all()) == [morning]
    assert list(
        AuditEntry.objects.filter(model="partners.openinghours", object_id=str(afternoon_pk))
        .order_by("id")
        .values_list("verb", flat=True)
    ) == ["opening hours saved", "opening hours removed"]


def test_an_officer_cannot_set_the_opening_hours(officer_a, city_a):
    with pytest.raises(PermissionDenied):
        opening_hours_save(
            hours=OpeningHours(member=city_a, weekday=0, opens="09:00", closes="12:30"),
            user=officer_a,
            expected_version=0,
        )
    assert not OpeningHours.objects.exists()


def test_it_refuses_overlapping_opening_periods(admin_a, city_a):
    OpeningHoursFactory(member=city_a, weekday=4, opens="09:00", closes="12:30")
    overlapping = OpeningHours(member=city_a, weekday=4, opens="12:00", closes="17:00")
    with pytest.raises(ValidationError, match="overlaps"):
        opening_hours_save(hours=overlapping, user=admin_a, expected_version=0)
    assert OpeningHours.objects.count() == 1


def test_it_refuses_a_closing_time_before_the_opening_time(admin_a, city_a):
    hours = OpeningHours(member=city_a, weekday=0, opens="18:00", closes="09:00")
    with pytest.raises(ValidationError, match="closing time comes before the opening time"):
        opening_hours_save(hours=hours, user=admin_a, expected_version=0)
    assert not OpeningHours.objects.exists()


# --- Labels -----------------------------------------------------------------------------------


def test_it_records_a_label(officer_a, city_a):
    label = Label(authority=city_a, name="PACT2", granted_by="MEAE", started_year=2010)
    label_save(label=label, user=officer_a)
    assert verbs_of(label) == ["label saved"]


def test_it_refuses_a_label_that_ends_before_it_starts(officer_a, city_a):
    label = Label(authority=city_a, name="CNCD", started_year=2014, ended_year=2010)
    with pytest.raises(ValidationError) as refused:
        label_save(label=label, user=officer_a)
    assert "ends before it starts" in " ".join(refused.value.message_dict["ended_year"])
    assert not Label.objects.exists()


def test_a_stale_settings_page_is_refused_and_its_opening_hours_too(admin_a, city_a):
    member_settings_update(member=city_a, user=admin_a, expected_version=0, phone="01 42 04 96 77")
    with pytest.raises(ConcurrentEditError):
        member_settings_update(member=city_a, user=admin_a, expected_version=0, phone="01")
    with pytest.raises(ConcurrentEditError):
        opening_hours_save(
            hours=OpeningHours(member=city_a, weekday=1, opens="09:00", closes="12:00"),
            user=admin_a,
            expected_version=0,
        )
    assert MemberAuthority.objects.get(pk=city_a.pk).phone == "01 42 04 96 77"
    assert not OpeningHours.objects.exists()
