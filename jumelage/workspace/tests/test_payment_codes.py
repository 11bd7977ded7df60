"""The ledger form's section of CRS codes (purpose code, channel, flow, finance and aid types):
collapsed until needed, each a select of its IATI list with the French names, written through
the payment service (checked against the lists, versioned, audited); a bad code, a stale page
or another authority's officer writes nothing; the ODA declaration and the IATI file read the
corrected codes."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext
from lxml import etree

from jumelage.audit.models import AuditEntry
from jumelage.core.models import Codelist
from jumelage.core.tests.factories import CodelistItemFactory, CountryFactory, OdaEligibilityFactory
from jumelage.projects.models import Transaction
from jumelage.projects.tests.factories import ProjectFactory, TransactionFactory
from jumelage.reporting.iati.export import write_activities
from jumelage.reporting.iati.reference import safe_parser
from jumelage.reporting.oda.selectors import oda_declaration
from jumelage.reporting.tests.factories import full_project

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
CODES = ("sector_code", "channel_code", "flow_type", "finance_type", "aid_type")


@pytest.fixture
def codelists(db):
    """A few codes of each list, with their French names where IATI has them."""
    rows = [
        (Codelist.SECTOR, "15112", "Decentralisation", "Décentralisation", True),
        (Codelist.SECTOR, "14030", "Basic drinking water", "Eau potable de base", True),
        (Codelist.SECTOR, "15110", "Old public sector code", "", False),
        (Codelist.CRS_CHANNEL, "12002", "Local Government", "Gouvernement local", True),
        (Codelist.CRS_CHANNEL, "22000", "Donor country-based NGO", "ONG du pays donneur", True),
        (Codelist.FLOW_TYPE, "10", "ODA", "APD", True),
        (Codelist.FLOW_TYPE, "30", "Private grants", "Dons privés", True),
        (Codelist.FINANCE_TYPE, "110", "Standard grant", "Don standard", True),
        (Codelist.AID_TYPE, "C01", "Project-type interventions", "Interventions projet", True),
        (Codelist.AID_TYPE, "D02", "Other technical assistance", "Autre assistance", True),
    ]
    for codelist, code, name_en, name_fr, active in rows:
        CodelistItemFactory(
            codelist=codelist, code=code, name_en=name_en, name_fr=name_fr, is_active=active
        )


@pytest.fixture
def payment(city_a, codelists):
    project = ProjectFactory(authority=city_a, title={"en": "Wells", "fr": "Puits"})
    return TransactionFactory(project=project, receiver="Commune de Dakar", channel_code="")


def edit_url(payment: Transaction, slug: str = "ville-a") -> str:
    return f"/en/workspace/{slug}/payments/{payment.pk}/edit/"


def data(payment: Transaction, **fields: object) -> dict[str, object]:
    """The form as the officer sends it, the payment's other values unchanged."""
    values: dict[str, object] = {
        "for_project": payment.project_id,
        "recipient_country": payment.recipient_country_id,
        "date": payment.date.strftime("%d/%m/%Y"),
        "amount": str(payment.amount),
        "currency": payment.currency,
        "receiver": payment.receiver,
        "oda_category": payment.oda_category,
        "sector_code": payment.sector_code,
        "channel_code": payment.channel_code,
        "flow_type": payment.flow_type,
        "finance_type": payment.finance_type,
        "aid_type": payment.aid_type,
        "version": payment.version,
    }
    values.update(fields)
    return values


def codes_of(payment: Transaction) -> tuple[object, ...]:
    row = Transaction.objects.values_list(*CODES, "version").get(pk=payment.pk)
    return tuple(row)


def select_of(page: str, name: str) -> str:
    start = page.index(f'name="{name}"')
    return page[start : page.index("</select>", start)]


# --- The section ---------------------------------------------------------------------------------


def test_the_codes_are_in_a_collapsed_section_named_in_french(client, officer_a, payment, french):
    client.force_login(officer_a)
    page = client.get(f"/espace/ville-a/paiements/{payment.pk}/modifier/").content.decode()
    section = page[page.index(f'id="payment-{payment.pk}-oda"') :]
    assert section.startswith(f'id="payment-{payment.pk}-oda">')  # collapsed
    assert gettext("Details for the ODA declaration and IATI") in section
    assert "<legend" in section
    sectors = select_of(page, "sector_code")
    assert "15112 – Décentralisation" in sectors  # noqa: RUF001
    assert 'value="15112" selected' in sectors
    assert "data-search-select" in sectors
    assert "12002 – Gouvernement local" in select_of(page, "channel_code")  # noqa: RUF001
    assert 'value="C01" selected' in select_of(page, "aid_type")
    # A withdrawn code is offered only to a payment that already has it.
    assert 'value="15110"' not in sectors


def test_a_new_payment_starts_with_the_usual_codes(client, officer_a, codelists):
    client.force_login(officer_a)
    page = client.get("/en/workspace/ville-a/payments/new/").content.decode()
    assert 'value="10" selected' in select_of(page, "flow_type")
    assert 'value="110" selected' in select_of(page, "finance_type")
    assert 'value="C01" selected' in select_of(page, "aid_type")
    assert "Usual choices" in select_of(page, "channel_code")  # the common channels first


def test_without_the_codelists_the_codes_are_text_boxes(client, officer_a, city_a):
    payment = TransactionFactory(project=ProjectFactory(authority=city_a))
    client.force_login(officer_a)
    page = client.get(edit_url(payment)).content.decode()
    assert '<input type="text" name="sector_code" value="15112" maxlength="5"' in page
    assert 'name="aid_type" value="C01"' in page


def test_a_withdrawn_code_the_payment_has_is_kept(client, officer_a, payment):
    Transaction.objects.filter(pk=payment.pk).update(sector_code="15110")
    payment.refresh_from_db()
    client.force_login(officer_a)
    page = client.get(edit_url(payment)).content.decode()
    assert 'value="15110" selected' in select_of(page, "sector_code")
    response = client.post(edit_url(payment), data(payment, receiver="Dakar"))
    assert response.status_code == 302
    payment.refresh_from_db()
    assert (payment.sector_code, payment.receiver) == ("15110", "Dakar")


# --- Writing -------------------------------------------------------------------------------------


def test_an_officer_corrects_the_codes_through_the_service(client, officer_a, payment):
    client.force_login(officer_a)
    fields = {
        "sector_code": "14030",
        "channel_code": "12002",
        "flow_type": "10",
        "finance_type": "110",
        "aid_type": "d02",  # typed in lower case, stored as the list writes it
    }
    row = client.post(edit_url(payment), data(payment, **fields), **HTMX)
    assert row.status_code == 200 and row.content.decode().lstrip().startswith("<tr")
    assert codes_of(payment) == ("14030", "12002", "10", "110", "D02", payment.version + 1)
    entry = AuditEntry.objects.filter(object_id=str(payment.pk)).latest("pk")
    assert entry.changes["channel_code"] == ["", "12002"]


@pytest.mark.parametrize(
    ("field", "code", "message"),
    [
        ("sector_code", "99999", "is not a code of the IATI list"),
        ("sector_code", "1511", "A CRS purpose code has five digits"),
        ("channel_code", "77777", "is not a code of the IATI list"),
        ("flow_type", "99", "is not a code of the IATI list"),
        ("aid_type", "Z99", "is not a code of the IATI list"),
        ("sector_code", "15110", "has been withdrawn"),
    ],
)
def test_a_bad_code_is_answered_in_the_open_section_and_writes_nothing(
    client, officer_a, payment, field, code, message
):
    before = codes_of(payment)
    client.force_login(officer_a)
    for extra in ({}, HTMX):
        response = client.post(edit_url(payment), data(payment, **{field: code}), **extra)
        page = response.content.decode()
        assert message in page
        assert f'id="payment-{payment.pk}-oda" open' in page
        error = f"payment-{payment.pk}-{field}-error-1"
        assert f'id="{error}"' in page and f"{error}" in select_of(page, field)
    assert codes_of(payment) == before


def test_a_stale_page_writes_no_code(client, officer_a, payment):
    Transaction.objects.filter(pk=payment.pk).update(aid_type="D02", version=payment.version + 1)
    client.force_login(officer_a)
    page = client.post(
        edit_url(payment), data(payment, channel_code="12002"), **HTMX
    ).content.decode()
    assert "Someone else changed this record" in page
    assert codes_of(payment) == ("15112", "", "10", "110", "D02", payment.version + 1)


def test_another_authoritys_officer_finds_nothing_and_writes_nothing(
    client, city_b, officer_b, payment
):
    before = codes_of(payment)
    client.force_login(officer_b)
    for slug in ("ville-a", "ville-b"):
        url = edit_url(payment, slug)
        assert client.get(f"{url}?open=oda").status_code == 404
        assert client.post(url, data(payment, channel_code="12002")).status_code == 404
    assert codes_of(payment) == before


def test_a_page_without_the_section_keeps_the_codes(client, officer_a, payment):
    """A form opened before the section existed (or an old script) posts no code: none is lost."""
    Transaction.objects.filter(pk=payment.pk).update(channel_code="22000")
    payment.refresh_from_db()
    client.force_login(officer_a)
    sent = {k: v for k, v in data(payment, receiver="Dakar").items() if k not in CODES}
    assert client.post(edit_url(payment), sent).status_code == 302
    assert codes_of(payment)[:5] == ("15112", "22000", "10", "110", "C01")


# --- What the reports read -----------------------------------------------------------------------


def test_the_oda_declaration_reads_the_corrected_codes(client, city_a, officer_a, payment):
    OdaEligibilityFactory(year=2025)
    before = oda_declaration(city_a, 2025)
    assert [item.channel_code for item in before.counted] == [""]
    assert any("no CRS channel" in warning.message for warning in before.warnings)
    client.force_login(officer_a)
    client.post(edit_url(payment), data(payment, channel_code="12002", sector_code="14030"))
    after = oda_declaration(city_a, 2025)
    item = after.counted[0]
    assert (item.sector_code, item.channel_code) == ("14030", "12002")
    assert not after.warnings


def test_the_iati_file_reads_the_corrected_aid_type(client, city_a, officer_a, codelists):
    project = full_project(city_a)
    payment = TransactionFactory(
        project=project, date=datetime.date(2025, 6, 1), amount=Decimal("700.00")
    )
    client.force_login(officer_a)
    response = client.post(edit_url(payment), data(payment, aid_type="D02"))
    assert response.status_code == 302
    output = io.BytesIO()
    write_activities(city_a, output)
    root = etree.fromstring(output.getvalue(), safe_parser())
    aid_types = [
        t.find("aid-type").get("code")
        for t in root.iter("transaction")
        if t.find("aid-type") is not None
    ]
    assert aid_types == ["D02"]


# --- Queries -------------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_form_costs_the_same_queries_whatever_the_length_of_the_lists(
    client, officer_a, payment
):
    client.force_login(officer_a)
    CountryFactory(code="SN")
    url = edit_url(payment)
    small = _queries(client, url), _queries(client, "/en/workspace/ville-a/payments/new/")
    for n in range(40):
        CodelistItemFactory(codelist=Codelist.SECTOR, code=f"{43000 + n}", name_en=f"S{n}")
        CodelistItemFactory(codelist=Codelist.CRS_CHANNEL, code=f"{51000 + n}", name_en=f"C{n}")
        CodelistItemFactory(codelist=Codelist.AID_TYPE, code=f"X{n:02}", name_en=f"A{n}")
    TransactionFactory(project=payment.project, channel_code="22000")
    large = _queries(client, url), _queries(client, "/en/workspace/ville-a/payments/new/")
    assert small == large
