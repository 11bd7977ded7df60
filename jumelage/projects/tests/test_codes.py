"""Codes are checked against the IATI codelists when those lists are loaded (GUIDE §5.1)."""

import pytest
from django.core.exceptions import ValidationError

from jumelage.core.tests.factories import CodelistItemFactory
from jumelage.projects.models import ProjectSector, Transaction
from jumelage.projects.tests.factories import ProjectFactory, TransactionFactory
from jumelage.tenancy.services import save_owned


@pytest.fixture
def project(city_a):
    return ProjectFactory(authority=city_a)


def _transaction(project, **fields):
    values = {"project": project, "transaction_type": "3", "date": "2025-06-01", "amount": "100"}
    values.update(fields)
    return Transaction(**values)


def test_codes_pass_unchecked_while_the_lists_are_not_loaded(project, officer_a):
    save_owned(
        _transaction(project, transaction_type="99", aid_type="ZZZ"),
        user=officer_a,
        expected_version=None,
    )
    save_owned(
        ProjectSector(project=project, code="12345"),
        user=officer_a,
        expected_version=project.version,
    )
    project.sdg_targets = ["99.9"]
    save_owned(project, user=officer_a, expected_version=project.version)


def test_a_transaction_code_missing_from_its_loaded_list_is_refused(project, officer_a):
    CodelistItemFactory(codelist="TransactionType", code="3", name_en="Disbursement")
    CodelistItemFactory(codelist="AidType", code="C01", name_en="Project-type interventions")
    save_owned(_transaction(project), user=officer_a, expected_version=None)
    with pytest.raises(ValidationError) as refused:
        save_owned(
            _transaction(project, transaction_type="99", aid_type="ZZZ"),
            user=officer_a,
            expected_version=None,
        )
    assert set(refused.value.message_dict) == {"transaction_type", "aid_type"}
    assert "“99” is not a code" in refused.value.message_dict["transaction_type"][0]


def test_a_withdrawn_code_is_refused_as_a_new_value_but_kept_on_an_old_record(project, officer_a):
    CodelistItemFactory(codelist="FlowType", code="10", name_en="ODA")
    CodelistItemFactory(codelist="FlowType", code="20", name_en="OOF", is_active=False)
    with pytest.raises(ValidationError, match="withdrawn"):
        save_owned(_transaction(project, flow_type="20"), user=officer_a, expected_version=None)
    old = TransactionFactory(project=project, flow_type="20")
    old.description = "corrected"
    save_owned(old, user=officer_a, expected_version=old.version)


def test_a_transaction_sector_has_five_digits(project, officer_a):
    with pytest.raises(ValidationError, match="five digits"):
        save_owned(_transaction(project, sector_code="151"), user=officer_a, expected_version=None)


def test_sector_codes_are_checked_in_their_vocabulary(project, officer_a):
    CodelistItemFactory(codelist="Sector", code="15112")
    CodelistItemFactory(codelist="SectorCategory", code="151", name_en="Government")
    save_owned(
        ProjectSector(project=project, code="15112"),
        user=officer_a,
        expected_version=project.version,
    )
    save_owned(
        ProjectSector(project=project, vocabulary="2", code="151"),
        user=officer_a,
        expected_version=project.version,
    )
    with pytest.raises(ValidationError, match="not a code"):
        save_owned(
            ProjectSector(project=project, code="15199"),
            user=officer_a,
            expected_version=project.version,
        )
    with pytest.raises(ValidationError, match="3 digits"):
        save_owned(
            ProjectSector(project=project, vocabulary="2", code="15112"),
            user=officer_a,
            expected_version=project.version,
        )


def test_sdg_targets_are_checked_against_their_list(project, officer_a):
    CodelistItemFactory(codelist="UNSDG-Targets", code="6.1", name_en="Drinking water")
    CodelistItemFactory(codelist="UNSDG-Targets", code="16.6", name_en="Institutions")
    project.sdg_targets = ["6.1", "16.6"]
    save_owned(project, user=officer_a, expected_version=project.version)
    project.sdg_targets = ["6.1", "42.1"]
    with pytest.raises(ValidationError, match=r"“42\.1” is not a code"):
        save_owned(project, user=officer_a, expected_version=project.version)
    project.sdg_targets = "6.1"
    with pytest.raises(ValidationError, match="list of codes"):
        save_owned(project, user=officer_a, expected_version=project.version)
