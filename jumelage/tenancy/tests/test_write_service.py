"""The one write path: permission, stale edits, validation and the audit log."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jumelage.audit.models import AuditEntry
from jumelage.partners.models import Partnership
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory
from jumelage.tenancy.services import ConcurrentEditError, delete_owned, save_owned


def test_it_saves_and_records_who_changed_what(officer_a, city_a):
    partnership = Partnership(
        authority=city_a, partner=ForeignAuthorityFactory(), kind=Partnership.Kind.TWINNING
    )
    save_owned(partnership, user=officer_a, expected_version=None)
    assert partnership.version == 1
    partnership.status = Partnership.Status.DORMANT
    save_owned(partnership, user=officer_a, expected_version=1)
    entries = list(AuditEntry.objects.filter(object_id=str(partnership.pk)).order_by("id"))
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].user == officer_a
    assert entries[1].authority_id == city_a.pk
    assert entries[1].changes == {"status": ["active", "dormant"]}


def test_it_refuses_a_stale_edit_and_writes_nothing(officer_a, city_a):
    partnership = PartnershipFactory(authority=city_a)
    partnership.status = Partnership.Status.DORMANT
    save_owned(partnership, user=officer_a, expected_version=0)  # version 1
    partnership.started_year = 2001
    save_owned(partnership, user=officer_a, expected_version=1)  # a colleague's: version 2
    partnership.status = Partnership.Status.ENDED
    with pytest.raises(ConcurrentEditError, match="Someone else changed this record"):
        save_owned(partnership, user=officer_a, expected_version=1)
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.DORMANT


def test_it_refuses_a_user_of_another_authority(officer_b, city_a):
    partnership = PartnershipFactory(authority=city_a)
    partnership.status = Partnership.Status.ENDED
    with pytest.raises(PermissionDenied):
        save_owned(partnership, user=officer_b, expected_version=partnership.version)
    with pytest.raises(PermissionDenied):
        delete_owned(partnership, user=officer_b, expected_version=partnership.version)
    assert Partnership.objects.filter(pk=partnership.pk, status="active").exists()
    assert not AuditEntry.objects.exists()


def test_it_refuses_a_viewer(viewer_a, city_a):
    with pytest.raises(PermissionDenied):
        save_owned(
            PartnershipFactory.build(authority=city_a, partner=ForeignAuthorityFactory()),
            user=viewer_a,
            expected_version=None,
        )


def test_it_refuses_moving_a_record_to_another_authority(officer_a, officer_b, city_a, city_b):
    from jumelage.accounts.models import Membership

    Membership.objects.create(user=officer_a, authority=city_b, role="officer")
    partnership = PartnershipFactory(authority=city_a)
    partnership.authority = city_b
    with pytest.raises(PermissionDenied):
        save_owned(partnership, user=officer_a, expected_version=partnership.version)


def test_it_validates_before_writing(officer_a, city_a):
    partnership = Partnership(authority=city_a, partner=ForeignAuthorityFactory(), kind="bogus")
    with pytest.raises(ValidationError):
        save_owned(partnership, user=officer_a, expected_version=None)
    assert not Partnership.objects.exists()
    assert not AuditEntry.objects.exists()


def test_for_user_shows_only_the_users_authorities(officer_a, officer_b, outsider, city_a, city_b):
    mine = PartnershipFactory(authority=city_a)
    theirs = PartnershipFactory(authority=city_b)
    assert list(Partnership.objects.for_user(officer_a)) == [mine]
    assert list(Partnership.objects.for_user(officer_b)) == [theirs]
    assert list(Partnership.objects.for_user(outsider)) == []


def test_a_write_expires_the_authoritys_cached_pages(
    officer_a, city_a, city_b, django_capture_on_commit_callbacks
):
    from jumelage.core.cache import generation

    before_a, before_b = generation(city_a.pk), generation(city_b.pk)
    partnership = PartnershipFactory(authority=city_a)
    partnership.status = Partnership.Status.DORMANT
    with django_capture_on_commit_callbacks(execute=True):
        save_owned(partnership, user=officer_a, expected_version=partnership.version)
    assert generation(city_a.pk) > before_a
    assert generation(city_b.pk) == before_b


def test_a_rule_on_a_field_the_form_hides_is_shown_at_the_top(officer_a, city_a):
    from django import forms

    from jumelage.tenancy.admin import OwnedAdminForm

    class StatusOnlyForm(OwnedAdminForm):
        class Meta:
            model = Partnership
            fields = ["status"]

    partnership = PartnershipFactory(authority=city_a)
    form = StatusOnlyForm(data={"status": "active", "_version": "0"}, instance=partnership)
    error = ValidationError({"started_year": "Give the year."})
    assert form.is_valid()
    form._update_errors(form._shown_on_this_form(error))
    assert form.non_field_errors() == ["Give the year."]
    assert isinstance(form, forms.ModelForm)


def test_a_save_that_changes_nothing_writes_nothing(officer_a, city_a):
    partnership = PartnershipFactory(authority=city_a)
    partnership.status = Partnership.Status.DORMANT
    save_owned(partnership, user=officer_a, expected_version=0)
    save_owned(partnership, user=officer_a, expected_version=1)
    partnership.refresh_from_db()
    assert partnership.version == 1
    assert AuditEntry.objects.filter(object_id=str(partnership.pk)).count() == 1


# --- Versions: one per record, covering its rows ----------------------------------------------


def _theme(partnership, rank=1):
    from jumelage.core.tests.factories import AtlasThemeFactory
    from jumelage.partners.models import PartnershipTheme

    return PartnershipTheme(partnership=partnership, theme=AtlasThemeFactory(), rank=rank)


def test_it_refuses_a_change_that_does_not_say_which_version_it_saw(officer_a, city_a):
    partnership = PartnershipFactory(authority=city_a)
    partnership.status = Partnership.Status.ENDED
    with pytest.raises(ConcurrentEditError, match="Someone else changed this record"):
        save_owned(partnership, user=officer_a, expected_version=None)
    with pytest.raises(ConcurrentEditError):
        save_owned(_theme(partnership), user=officer_a, expected_version=None)
    with pytest.raises(ConcurrentEditError):
        delete_owned(partnership, user=officer_a, expected_version=None)
    assert Partnership.objects.get(pk=partnership.pk).status == Partnership.Status.ACTIVE
    assert not partnership.secondary_themes.exists()
    assert not AuditEntry.objects.exists()


def test_a_row_is_checked_against_its_records_version_and_moves_it_on(officer_a, city_a):
    partnership = PartnershipFactory(authority=city_a)
    theme = save_owned(_theme(partnership), user=officer_a, expected_version=0)
    assert Partnership.objects.get(pk=partnership.pk).version == 1
    assert partnership.version == 1  # the caller's copy follows
    theme.rank = 2
    with pytest.raises(ConcurrentEditError):
        save_owned(theme, user=officer_a, expected_version=0)
    with pytest.raises(ConcurrentEditError):
        delete_owned(theme, user=officer_a, expected_version=0)
    theme.refresh_from_db()
    assert theme.rank == 1
    delete_owned(theme, user=officer_a, expected_version=1)
    assert Partnership.objects.get(pk=partnership.pk).version == 2


def test_one_edit_checks_a_record_once_and_moves_it_on_once(officer_a, city_a):
    from jumelage.tenancy.services import one_edit

    partnership = PartnershipFactory(authority=city_a)
    with one_edit():
        partnership.status = Partnership.Status.DORMANT
        save_owned(partnership, user=officer_a, expected_version=0)
        save_owned(_theme(partnership, 1), user=officer_a, expected_version=0)
        save_owned(_theme(partnership, 2), user=officer_a, expected_version=0)
    assert Partnership.objects.get(pk=partnership.pk).version == 1
    assert partnership.secondary_themes.count() == 2

    with pytest.raises(ConcurrentEditError), one_edit():
        save_owned(_theme(partnership, 3), user=officer_a, expected_version=1)
        save_owned(_theme(partnership, 4), user=officer_a, expected_version=0)  # another page
    assert partnership.secondary_themes.count() == 2  # the whole edit was refused
    assert Partnership.objects.get(pk=partnership.pk).version == 1


def test_a_new_record_and_its_rows_are_one_edit_without_a_version(officer_a, city_a):
    from jumelage.tenancy.services import one_edit

    partnership = PartnershipFactory.build(authority=city_a, partner=ForeignAuthorityFactory())
    with one_edit():
        save_owned(partnership, user=officer_a, expected_version=None)
        save_owned(_theme(partnership), user=officer_a, expected_version=None)
    assert Partnership.objects.get(pk=partnership.pk).version == 1
    assert partnership.secondary_themes.count() == 1


def test_a_delete_reads_the_owner_from_the_database_not_the_callers_copy(officer_b, city_a, city_b):
    partnership = PartnershipFactory(authority=city_a)
    tampered = Partnership.objects.get(pk=partnership.pk)
    tampered.authority = city_b  # a copy that claims the attacker's authority
    with pytest.raises(PermissionDenied):
        delete_owned(tampered, user=officer_b, expected_version=partnership.version)
    assert Partnership.objects.filter(pk=partnership.pk).exists()
    assert not AuditEntry.objects.exists()


def test_deleting_a_record_deleted_meanwhile_says_so(officer_a, city_a):
    partnership = PartnershipFactory(authority=city_a)
    copy = Partnership.objects.get(pk=partnership.pk)
    delete_owned(partnership, user=officer_a, expected_version=partnership.version)
    with pytest.raises(ValidationError, match="deleted meanwhile"):
        delete_owned(copy, user=officer_a, expected_version=copy.version)
