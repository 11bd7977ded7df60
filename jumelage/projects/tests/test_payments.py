"""The payments ledger in the domain: payments without a project (owned by the authority), the
euro amount the treasury actually paid (used by the ODA declaration, the IATI file and the
legal thresholds), pasted spreadsheet rows (read, checked, recorded once), and a missing rate an
officer records."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from lxml import etree

from jumelage.audit.models import AuditEntry
from jumelage.core.models import ExchangeRate
from jumelage.core.tests.factories import (
    CountryFactory,
    ExchangeRateFactory,
    OdaEligibilityFactory,
)
from jumelage.partners.tests.factories import PartnershipFactory
from jumelage.projects.models import Transaction
from jumelage.projects.payments import ledger_lines, ledger_payments, read_pasted_payments
from jumelage.projects.services import payment_save, payments_record_pasted
from jumelage.projects.tests.factories import (
    ProjectCountryFactory,
    ProjectFactory,
    ProjectSectorFactory,
    TransactionFactory,
)
from jumelage.register.services import exchange_rate_record
from jumelage.reporting.iati.export import write_activities
from jumelage.reporting.iati.reference import safe_parser
from jumelage.reporting.oda.selectors import ACTION_RATE, oda_declaration
from jumelage.tenancy.services import ConcurrentEditError

pytestmark = pytest.mark.django_db

Nature = Transaction.Nature


def fee(member, **fields):
    values = {
        "authority": member,
        "project": None,
        "nature": Nature.MEMBERSHIP_FEE,
        "transaction_type": "3",
        "date": datetime.date(2025, 3, 1),
        "amount": Decimal("1200.00"),
        "receiver": "Cités Unies France",
    }
    values.update(fields)
    return Transaction(**values)


# --- Payments without a project ------------------------------------------------------------------


def test_a_membership_fee_is_recorded_without_a_project_and_owned_by_its_authority(
    city_a, officer_a
):
    payment = payment_save(payment=fee(city_a), user=officer_a, expected_version=None)
    assert payment.project_id is None
    assert Transaction.objects.of_authority(city_a.pk).get() == payment
    entry = AuditEntry.objects.get(object_id=str(payment.pk))
    assert entry.authority_id == city_a.pk


def test_a_payment_without_a_project_must_say_what_it_pays(city_a, officer_a):
    with pytest.raises(ValidationError) as refused:
        payment_save(
            payment=fee(city_a, nature=Nature.PROJECT), user=officer_a, expected_version=None
        )
    assert "project" in refused.value.message_dict
    assert not Transaction.objects.exists()


def test_a_fee_cannot_be_tied_to_a_project(city_a, officer_a):
    project = ProjectFactory(authority=city_a)
    with pytest.raises(ValidationError):
        payment_save(payment=fee(city_a, project=project), user=officer_a, expected_version=None)
    assert not Transaction.objects.exists()


def test_another_authoritys_project_or_partnership_is_refused(city_a, city_b, officer_a):
    other_project = ProjectFactory(authority=city_b)
    payment = fee(city_a, project=other_project, nature=Nature.PROJECT)
    with pytest.raises(ValidationError):
        payment_save(payment=payment, user=officer_a, expected_version=None)
    partnership = PartnershipFactory(authority=city_b)
    with pytest.raises(ValidationError):
        payment_save(
            payment=fee(city_a, partnership=partnership), user=officer_a, expected_version=None
        )
    assert not Transaction.objects.exists()


def test_an_officer_of_another_authority_cannot_record_or_change_its_payments(
    city_a, officer_a, officer_b, viewer_a
):
    with pytest.raises(PermissionDenied):
        payment_save(payment=fee(city_a), user=officer_b, expected_version=None)
    with pytest.raises(PermissionDenied):
        payment_save(payment=fee(city_a), user=viewer_a, expected_version=None)
    payment = payment_save(payment=fee(city_a), user=officer_a, expected_version=None)
    payment.amount = Decimal(1)
    with pytest.raises(PermissionDenied):
        payment_save(payment=payment, user=officer_b, expected_version=payment.version)
    assert Transaction.objects.get().amount == Decimal("1200.00")


def test_a_stale_correction_is_refused(city_a, officer_a):
    payment = payment_save(payment=fee(city_a), user=officer_a, expected_version=None)
    seen = payment.version
    first = Transaction.objects.get(pk=payment.pk)
    first.receiver = "CUF"
    payment_save(payment=first, user=officer_a, expected_version=seen)
    late = Transaction.objects.get(pk=payment.pk)
    late.receiver = "Someone else"
    with pytest.raises(ConcurrentEditError):
        payment_save(payment=late, user=officer_a, expected_version=seen)
    assert Transaction.objects.get().receiver == "CUF"


def test_the_ledger_lists_the_authoritys_payments_with_and_without_a_project(
    city_a, city_b, officer_a
):
    project = ProjectFactory(authority=city_a)
    mine = TransactionFactory(project=project)
    membership = payment_save(payment=fee(city_a), user=officer_a, expected_version=None)
    TransactionFactory(project=ProjectFactory(authority=city_b))
    assert set(ledger_payments(city_a, officer_a)) == {mine, membership}


# --- The euro amount actually paid ---------------------------------------------------------------


def test_the_euro_amount_of_a_euro_payment_is_its_amount(city_a, officer_a):
    with pytest.raises(ValidationError) as refused:
        payment_save(
            payment=fee(city_a, amount_eur=Decimal("1000.00")),
            user=officer_a,
            expected_version=None,
        )
    assert "amount_eur" in refused.value.message_dict


def test_the_ledger_values_a_payment_at_the_euros_paid_else_at_a_rate_else_says_none(city_a):
    project = ProjectFactory(authority=city_a)
    paid = TransactionFactory(
        project=project, amount="45000000", currency="XOF", amount_eur=Decimal("68602.11")
    )
    pegged = TransactionFactory(project=project, amount="655957", currency="XOF")
    floating = TransactionFactory(project=project, amount="1405", currency="HTG")
    lines = {line.payment.pk: line for line in ledger_lines([paid, pegged, floating])}
    assert (lines[paid.pk].euros, lines[paid.pk].paid) == (Decimal("68602.11"), True)
    assert lines[pegged.pk].euros == Decimal("1000.00")  # the CFA franc's fixed parity
    assert lines[floating.pk].missing_rate and lines[floating.pk].euros is None
    ExchangeRateFactory(currency="HTG", date=datetime.date(2025, 1, 1), rate="140.5")
    assert ledger_lines([floating])[0].euros == Decimal("10.00")


def oda_reference():
    haiti = CountryFactory(code="HT", name_en="Haiti")
    senegal = CountryFactory(code="SN", name_en="Senegal")
    for country in (haiti, senegal):
        OdaEligibilityFactory(country=country, year=2025, income_group="LDC")
    return haiti, senegal


def test_the_oda_declaration_counts_the_euros_the_treasury_paid(city_a):
    _haiti, senegal = oda_reference()
    project = ProjectFactory(authority=city_a)
    payment = TransactionFactory(
        project=project,
        amount="45000000",
        currency="XOF",
        amount_eur="68000.00",  # the mandat, not the parity's 68 602,11
        recipient_country=senegal,
        channel_code="12000",
    )
    declaration = oda_declaration(city_a, 2025)
    assert [(i.pk, i.amount_eur) for i in declaration.counted] == [
        (payment.pk, Decimal("68000.00"))
    ]


def test_a_payment_without_a_rate_is_to_fix_with_the_rate_form_offered(city_a):
    haiti, _senegal = oda_reference()
    TransactionFactory(
        project=ProjectFactory(authority=city_a),
        amount="1405",
        currency="HTG",
        recipient_country=haiti,
        channel_code="12000",
    )
    declaration = oda_declaration(city_a, 2025)
    assert [w.action for w in declaration.to_fix] == [ACTION_RATE]


def test_a_membership_fee_is_left_out_of_the_oda_declaration_unless_given_a_category(
    city_a, officer_a
):
    oda_reference()
    plain = payment_save(payment=fee(city_a), user=officer_a, expected_version=None)
    multilateral = payment_save(
        payment=fee(
            city_a,
            receiver="A body on the DAC list",
            oda_category=Transaction.OdaCategory.MULTILATERAL,
            channel_code="",
            date=datetime.date(2025, 4, 1),
        ),
        user=officer_a,
        expected_version=None,
    )
    declaration = oda_declaration(city_a, 2025)
    assert [e.item.pk for e in declaration.excluded] == [plain.pk]
    assert "membership fee" in declaration.excluded[0].reason
    assert [item.pk for item in declaration.counted] == [multilateral.pk]
    assert declaration.counted[0].project_title == "A membership fee"


def test_the_iati_file_states_the_euros_paid_and_leaves_out_payments_without_a_project(
    city_a, officer_a
):
    OdaEligibilityFactory(country=CountryFactory(code="SN"), year=2025)
    project = ProjectFactory(
        authority=city_a,
        is_public=True,
        summary={"fr": "Un projet."},
        planned_start=datetime.date(2025, 1, 1),
        planned_end=datetime.date(2026, 12, 31),
    )
    ProjectCountryFactory(project=project, country=CountryFactory(code="SN"))
    ProjectSectorFactory(project=project, code="15112")
    TransactionFactory(
        project=project,
        amount="45000000",
        currency="XOF",
        amount_eur="68602.11",
        date=datetime.date(2025, 5, 12),
        recipient_country=None,
    )
    payment_save(payment=fee(city_a), user=officer_a, expected_version=None)
    output = io.BytesIO()
    write_activities(city_a, output)
    root = etree.fromstring(output.getvalue(), safe_parser())
    values = root.findall(".//transaction/value")
    assert [(v.text, v.get("currency"), v.get("value-date")) for v in values] == [
        ("68602.11", None, "2025-05-12")  # the project's currency is the euro
    ]


def test_a_subsidy_is_compared_with_the_threshold_in_the_euros_paid(city_a, officer_a):
    project = ProjectFactory(authority=city_a)
    # 16 000 000 XOF is 24 391,85 € at the parity, above 23 000 €; the mandat paid 22 900 €.
    payment = Transaction(
        authority=city_a,
        project=project,
        transaction_type="3",
        date=datetime.date(2025, 5, 1),
        amount=Decimal("16000000"),
        currency="XOF",
        amount_eur=Decimal("22900.00"),
        is_subsidy=True,
        receiver="Association",
    )
    payment_save(payment=payment, user=officer_a, expected_version=None)
    payment.amount_eur = None
    with pytest.raises(ValidationError) as refused:
        payment_save(payment=payment, user=officer_a, expected_version=payment.version)
    assert "agreement" in refused.value.message_dict


# --- Pasted rows ---------------------------------------------------------------------------------

PASTED = (
    "Date\tMontant\tDevise\tMontant en euros\tBénéficiaire\tCatégorie\tPays\tMandat\tImputation\n"
    "12/05/2025\t45 000 000 FCFA\t\t68 602,11\tCommune de Dakar\t1\tSénégal\tM-2025-118\t65748\n"
    "13/05/2025\t3 870,40 €\t\t\tAssociation\t2\tSénégal\tM-2025-119\t6574\n"
    "32/05/2025\t100\t\t\tX\t\t\t\t\n"
    "14/05/2025\tdouze\t\t\t\t\t\t\t\n"
)


@pytest.fixture
def senegal():
    return CountryFactory(code="SN", name_fr="Sénégal", name_en="Senegal")


def test_pasted_rows_are_read_in_french_with_each_rows_problems(city_a, senegal):
    project = ProjectFactory(authority=city_a)
    pasted = read_pasted_payments(PASTED, member=city_a, project=project)
    assert pasted.had_header
    assert [row.number for row in pasted.clean_rows] == [2, 3]
    first = pasted.clean_rows[0].payment
    assert (first.amount, first.currency, first.amount_eur) == (
        Decimal("45000000"),
        "XOF",  # FCFA in Senegal
        Decimal("68602.11"),
    )
    assert (first.order_number, first.budget_line, first.recipient_country_id) == (
        "M-2025-118",
        "65748",
        "SN",
    )
    bad_date, bad_amount = pasted.rows[2], pasted.rows[3]
    assert bad_date.payment is None and bad_date.problems
    assert bad_amount.problems and "Amount" in bad_amount.problems[0]
    assert not Transaction.objects.exists()


def test_rows_without_a_header_follow_the_ledgers_order(city_a, senegal):
    pasted = read_pasted_payments(
        "01/02/2025\t1 200\tEUR\t\tCités Unies France\n",
        member=city_a,
        nature=Nature.MEMBERSHIP_FEE,
    )
    assert not pasted.had_header
    payment = pasted.clean_rows[0].payment
    assert (payment.project_id, payment.nature, payment.receiver) == (
        None,
        Nature.MEMBERSHIP_FEE,
        "Cités Unies France",
    )


def test_fcfa_without_a_country_asks_which_cfa_franc(city_a):
    pasted = read_pasted_payments("12/05/2025\t45 000 000 FCFA\n", member=city_a)
    assert "XOF or XAF" in " ".join(pasted.rows[0].problems)


def test_recording_a_paste_twice_records_each_payment_once(city_a, officer_a, senegal):
    project = ProjectFactory(authority=city_a)
    pasted = read_pasted_payments(PASTED, member=city_a, project=project)
    assert len(payments_record_pasted(pasted=pasted, member=city_a, user=officer_a)) == 2
    again = read_pasted_payments(PASTED, member=city_a, project=project)
    assert not again.clean_rows
    assert [bool(row.duplicate) for row in again.rows[:2]] == [True, True]
    assert payments_record_pasted(pasted=pasted, member=city_a, user=officer_a) == []
    assert Transaction.objects.count() == 2


def test_the_same_payment_pasted_twice_in_one_paste_is_recorded_once(city_a, officer_a):
    line = "01/02/2025\t1 200\tEUR\t\tCités Unies France\t\t\tM-1\n"
    pasted = read_pasted_payments(line * 2, member=city_a, nature=Nature.MEMBERSHIP_FEE)
    assert len(pasted.clean_rows) == 1 and pasted.rows[1].duplicate


@pytest.mark.parametrize("header", ["En nature", "Valorisation", "Apport en nature"])
def test_an_in_kind_column_is_read_from_oui_non_and_x_and_stored(city_a, officer_a, header):
    project = ProjectFactory(authority=city_a)
    pasted = read_pasted_payments(
        f"Date\tMontant\tBénéficiaire\tN° de mandat\t{header}\n"
        "12/05/2025\t1 500,00 €\tMairie de Dogbo\tM-1\toui\n"
        "13/05/2025\t800 €\tMairie de Dogbo\tM-2\tnon\n"
        "14/05/2025\t300 €\tMairie de Dogbo\tM-3\tx\n"
        "15/05/2025\t200 €\tMairie de Dogbo\tM-4\t\n"
        "16/05/2025\t100 €\tMairie de Dogbo\tM-5\tpeut-être\n",
        member=city_a,
        project=project,
    )

    assert pasted.had_header
    assert [row.number for row in pasted.clean_rows] == [2, 3, 4, 5]
    assert "peut-être" in " ".join(pasted.rows[4].problems)
    payments_record_pasted(pasted=pasted, member=city_a, user=officer_a)
    assert sorted(Transaction.objects.values_list("order_number", "amount", "in_kind")) == [
        ("M-1", Decimal("1500.00"), True),
        ("M-2", Decimal("800.00"), False),
        ("M-3", Decimal("300.00"), True),
        ("M-4", Decimal("200.00"), False),
    ]


def test_in_kind_is_the_tenth_column_without_a_header(city_a, officer_a):
    pasted = read_pasted_payments(
        "01/02/2025\t1 200\tEUR\t\tCités Unies France\t\t\tM-1\t6281\toui\n",
        member=city_a,
        nature=Nature.MEMBERSHIP_FEE,
    )
    payments_record_pasted(pasted=pasted, member=city_a, user=officer_a)
    assert list(Transaction.objects.values_list("budget_line", "in_kind", "nature")) == [
        ("6281", True, Nature.MEMBERSHIP_FEE)
    ]


def test_a_paste_is_recorded_all_or_nothing(city_a, officer_a, viewer_a, senegal):
    project = ProjectFactory(authority=city_a)
    pasted = read_pasted_payments(PASTED, member=city_a, project=project)
    with pytest.raises(PermissionDenied):
        payments_record_pasted(pasted=pasted, member=city_a, user=viewer_a)
    assert not Transaction.objects.exists()


# --- A missing rate ------------------------------------------------------------------------------


def test_an_officer_records_a_missing_rate_with_its_source_audited(city_a, officer_a):
    entry = exchange_rate_record(
        user=officer_a,
        authority_id=city_a.pk,
        currency="htg",
        date=datetime.date(2025, 1, 1),
        rate=Decimal("140.5"),
        source="Banque de la République d'Haïti",
    )
    assert (entry.currency, entry.rate) == ("HTG", Decimal("140.5"))
    audit = AuditEntry.objects.get(object_id=str(entry.pk))
    assert (audit.authority_id, audit.user_id) == (city_a.pk, officer_a.pk)


@pytest.mark.parametrize(
    ("currency", "source", "field"),
    [("XOF", "x", "currency"), ("EUR", "x", "currency"), ("HTG", " ", "source")],
)
def test_a_rate_the_site_needs_not_or_without_source_is_refused(
    city_a, officer_a, currency, source, field
):
    with pytest.raises(ValidationError) as refused:
        exchange_rate_record(
            user=officer_a,
            authority_id=city_a.pk,
            currency=currency,
            date=datetime.date(2025, 1, 1),
            rate=Decimal("2"),
            source=source,
        )
    assert field in refused.value.message_dict
    assert not ExchangeRate.objects.exists()


def test_an_officer_does_not_overwrite_a_recorded_rate(city_a, officer_a):
    ExchangeRateFactory(currency="HTG", date=datetime.date(2025, 1, 1), rate="140.5")
    with pytest.raises(ValidationError):
        exchange_rate_record(
            user=officer_a,
            authority_id=city_a.pk,
            currency="HTG",
            date=datetime.date(2025, 1, 1),
            rate=Decimal("1"),
            source="mine",
        )
    assert ExchangeRate.objects.get().rate == Decimal("140.5")


def test_a_viewer_or_another_authoritys_officer_records_no_rate(city_a, viewer_a, officer_b):
    for user in (viewer_a, officer_b):
        with pytest.raises(PermissionDenied):
            exchange_rate_record(
                user=user,
                authority_id=city_a.pk,
                currency="HTG",
                date=datetime.date(2025, 1, 1),
                rate=Decimal("140.5"),
                source="x",
            )
    assert not ExchangeRate.objects.exists()
