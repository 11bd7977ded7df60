"""The identifiers of a member authority's own directory entry (its SIREN, its IATI organisation
id), written by `member_identifiers_update`: by that authority's administrators only, on that
authority's entry only (the directory is shared: an administrator of A never changes B's
entry), checked the way IATI defines an organisation id, with the entry's version."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jumelage.accounts.models import Role
from jumelage.accounts.tests.factories import MembershipFactory, UserFactory
from jumelage.audit.models import AuditEntry
from jumelage.partners.models import Authority
from jumelage.partners.services import (
    authority_save,
    member_identifiers_update,
    town_position_save,
)
from jumelage.partners.tests.factories import AuthorityFactory, MemberAuthorityFactory
from jumelage.tenancy.services import ConcurrentEditError

pytestmark = pytest.mark.django_db

SURESNES = "219200730"  # a real SIREN, with a valid key


@pytest.fixture
def admin_b(city_b):
    user = UserFactory(username="admin_b")
    MembershipFactory(user=user, authority=city_b, role=Role.ADMIN)
    return user


def entry(member) -> Authority:
    return Authority.objects.get(pk=member.authority_id)


def test_an_administrator_gives_the_identifiers_of_their_own_entry(city_a, admin_a):
    before = entry(city_a).version
    saved = member_identifiers_update(
        member=city_a,
        user=admin_a,
        expected_version=before,
        siren=SURESNES,
        iati_org_id="FR-RCS-219200730",
    )
    fresh = entry(city_a)
    assert (fresh.siren, fresh.iati_org_id) == (SURESNES, "FR-RCS-219200730")
    assert fresh.version == before + 1 == saved.version
    audit = AuditEntry.objects.filter(model="partners.authority", object_id=str(fresh.pk)).latest(
        "at"
    )
    assert audit.verb == "authority saved" and audit.user == admin_a


def test_an_administrator_of_a_never_changes_the_entry_of_b(city_a, city_b, admin_a):
    other = entry(city_b)
    with pytest.raises(PermissionDenied):
        member_identifiers_update(
            member=city_b,
            user=admin_a,
            expected_version=other.version,
            iati_org_id="FR-RCS-219200730",
        )
    assert entry(city_b).iati_org_id == "" and entry(city_b).version == other.version
    assert entry(city_a).iati_org_id == ""
    assert not AuditEntry.objects.filter(model="partners.authority").exists()


def test_each_administrator_changes_only_their_own_of_two_entries(city_a, city_b, admin_a, admin_b):
    member_identifiers_update(
        member=city_b,
        user=admin_b,
        expected_version=entry(city_b).version,
        iati_org_id="XI-IATI-VILLEB",
    )
    assert entry(city_b).iati_org_id == "XI-IATI-VILLEB"
    assert entry(city_a).iati_org_id == ""


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CONTRIBUTOR, Role.VIEWER])
def test_only_administrators_change_it(city_a, role):
    user = UserFactory()
    MembershipFactory(user=user, authority=city_a, role=role)
    version = entry(city_a).version
    with pytest.raises(PermissionDenied):
        member_identifiers_update(
            member=city_a, user=user, expected_version=version, iati_org_id="XI-IATI-A"
        )
    assert entry(city_a).iati_org_id == ""


def test_a_stale_version_is_refused_and_writes_nothing(city_a, admin_a):
    version = entry(city_a).version
    with pytest.raises(ConcurrentEditError):
        member_identifiers_update(
            member=city_a, user=admin_a, expected_version=version + 1, iati_org_id="XI-IATI-A"
        )
    with pytest.raises(ConcurrentEditError):
        member_identifiers_update(
            member=city_a, user=admin_a, expected_version=None, iati_org_id="XI-IATI-A"
        )
    assert entry(city_a).iati_org_id == "" and entry(city_a).version == version


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("FR-SIRET-219200730", "does not start with a registration agency"),
        ("FR-INSEE-219200730", "withdrew the prefix FR-INSEE"),
        ("FR-RCS-219200731", "its last digit does not match"),
        ("FR-RCS-21920073000012", "is a SIRET"),
        ("FR-RCS-2192", "nine digits"),
        # The model's own shape check speaks first for these two (the form's field gives the
        # precise message: jumelage/workspace/tests/test_settings_identifiers.py).
        ("GB-CHC-123/4", "An IATI organisation id looks like"),
        ("FR-RCS-", "An IATI organisation id looks like"),
        ("fr-rcs-219200730", "Write the IATI organisation id as IATI does: FR-RCS-219200730"),
    ],
)
def test_an_id_iati_would_refuse_is_refused_with_what_to_fix(city_a, admin_a, typed, words):
    version = entry(city_a).version
    with pytest.raises(ValidationError) as refused:
        member_identifiers_update(
            member=city_a, user=admin_a, expected_version=version, iati_org_id=typed
        )
    assert any(words in message for message in refused.value.message_dict["iati_org_id"])
    assert entry(city_a).iati_org_id == "" and entry(city_a).version == version


def test_a_siren_with_a_wrong_key_is_refused(city_a, admin_a):
    version = entry(city_a).version
    with pytest.raises(ValidationError) as refused:
        member_identifiers_update(
            member=city_a, user=admin_a, expected_version=version, siren="219200731"
        )
    assert "last digit" in " ".join(refused.value.message_dict["siren"])
    assert entry(city_a).siren == "123456789"


def test_an_id_another_authority_has_is_refused(city_a, city_b, admin_a):
    Authority.objects.filter(pk=city_b.authority_id).update(iati_org_id="FR-RCS-219200730")
    with pytest.raises(ValidationError) as refused:
        member_identifiers_update(
            member=city_a,
            user=admin_a,
            expected_version=entry(city_a).version,
            iati_org_id="FR-RCS-219200730",
        )
    assert "Another authority of the directory already has this IATI organisation id" in str(
        refused.value
    )
    assert entry(city_a).iati_org_id == ""


def test_other_fields_of_the_entry_are_not_changed_here(city_a, admin_a):
    with pytest.raises(TypeError):
        member_identifiers_update(
            member=city_a, user=admin_a, expected_version=entry(city_a).version, name="Autre"
        )


def test_the_check_holds_on_every_write_of_the_directory(admin_a, city_a):
    # A partner town only A uses: its officers correct it directly, through the same rule.
    town = AuthorityFactory(name="Kragujevac", added_by=city_a)
    town.iati_org_id = "RS-XYZ-1"
    with pytest.raises(ValidationError) as refused:
        authority_save(authority=town, user=admin_a, expected_version=town.version)
    assert "registration agency" in " ".join(refused.value.message_dict["iati_org_id"])
    assert Authority.objects.get(pk=town.pk).iati_org_id == ""


def test_an_id_stored_before_the_check_does_not_block_other_corrections(admin_a):
    member = MemberAuthorityFactory(
        authority=AuthorityFactory(iati_org_id="FR-SIRET-21920073000012", siren="111111111")
    )
    MembershipFactory(user=admin_a, authority=member, role=Role.ADMIN)
    town = entry(member)
    result = town_position_save(
        town=town,
        latitude="48.87",
        longitude="2.22",
        user=admin_a,
        expected_version=town.version,
        authority_id=member.pk,
    )
    assert result == "saved"
    assert entry(member).latitude is not None


def test_an_agency_prefix_with_an_underscore_is_taken(city_a, admin_a):
    """Belgium's register is BE-BCE_KBO in IATI's list: the model's own format check once
    refused its underscore, after the service had accepted the id."""
    member_identifiers_update(
        member=city_a,
        user=admin_a,
        expected_version=entry(city_a).version,
        siren="",
        iati_org_id="BE-BCE_KBO-0207436061",
    )
    assert entry(city_a).iati_org_id == "BE-BCE_KBO-0207436061"
