"""The workspace's payments ledger: the authority's payments, a line added or corrected in place
(htmx) or as a page, a stale correction refused, bad input answered without a write, pasted
rows, the rate form. Another authority's payments are neither listed nor reachable (404);
viewers read only; the pages cost the same queries whatever the number of payments."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from jumelage.core.models import ExchangeRate
from jumelage.core.tests.factories import CountryFactory, ExchangeRateFactory
from jumelage.projects.models import Transaction
from jumelage.projects.tests.factories import (
    ProjectCountryFactory,
    ProjectFactory,
    TransactionFactory,
)

pytestmark = pytest.mark.django_db

LEDGER = "/en/workspace/ville-a/payments/"
NEW = "/en/workspace/ville-a/payments/new/"
PASTE = "/en/workspace/ville-a/payments/paste/"
RATE = "/en/workspace/ville-a/exchange-rates/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def edit_url(payment: Transaction) -> str:
    return f"/en/workspace/ville-a/payments/{payment.pk}/edit/"


@pytest.fixture
def senegal():
    return CountryFactory(code="SN", name_fr="Sénégal", name_en="Senegal")


@pytest.fixture
def project(city_a):
    return ProjectFactory(authority=city_a, title={"en": "Wells", "fr": "Puits"})


def payment_data(**fields):
    data = {
        "for_project": "",
        "recipient_country": "SN",
        "date": "12/05/2025",
        "amount": "45 000 000 FCFA",
        "currency": "",
        "amount_eur": "68 602,11",
        "receiver": "Commune de Dakar",
        "oda_category": "1",
        "order_number": "M-2025-118",
        "budget_line": "65748",
    }
    data.update(fields)
    return data


# --- Reading -------------------------------------------------------------------------------------


def test_the_ledger_lists_the_authoritys_payments_and_none_of_another(
    client, city_a, city_b, officer_a, project
):
    TransactionFactory(project=project, receiver="Commune de Dakar", order_number="M-1")
    Transaction.objects.create(
        authority=city_a,
        nature=Transaction.Nature.MEMBERSHIP_FEE,
        transaction_type="3",
        date=datetime.date(2025, 2, 1),
        amount=Decimal("1200"),
        receiver="Cités Unies France",
    )
    TransactionFactory(project=ProjectFactory(authority=city_b), receiver="Other town")
    client.force_login(officer_a)
    page = client.get(LEDGER).content.decode()
    assert "Commune de Dakar" in page and "Cités Unies France" in page
    assert "A membership fee" in page
    assert "Other town" not in page
    assert 'aria-current="page">Payments' in page  # the menu's entry, in the workspace


def test_another_authoritys_payment_is_not_found(client, city_a, city_b, officer_b, project):
    payment = TransactionFactory(project=project)
    client.force_login(officer_b)
    assert client.get(LEDGER).status_code == 404
    assert client.get(edit_url(payment)).status_code == 404
    own = f"/en/workspace/ville-b/payments/{payment.pk}/"
    assert client.get(own + "edit/").status_code == 404
    assert client.get(own, **HTMX).status_code == 404
    response = client.post(own + "edit/", payment_data(version=payment.version))
    assert response.status_code == 404
    assert Transaction.objects.get().amount == Decimal("5000.00")


def test_a_viewer_reads_the_ledger_but_records_nothing(client, city_a, viewer_a, project):
    payment = TransactionFactory(project=project)
    client.force_login(viewer_a)
    page = client.get(LEDGER).content.decode()
    assert "Add a payment" not in page and "Correct" not in page
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, payment_data(project="-1")).status_code == 403
    assert client.post(edit_url(payment), payment_data(version=1)).status_code == 403
    assert client.post(PASTE, {"rows": "01/02/2025\t100"}).status_code == 403
    assert client.get(RATE).status_code == 403
    assert Transaction.objects.count() == 1


def test_a_contributor_is_not_offered_to_record_payments(client, city_a, contributor_a):
    client.force_login(contributor_a)
    assert "Add a payment" not in client.get(LEDGER).content.decode()
    assert client.post(NEW, payment_data(project="-1")).status_code == 403


# --- Adding and correcting a line ----------------------------------------------------------------


def test_an_officer_records_45_million_fcfa_with_its_euro_value_in_place(
    client, city_a, officer_a, project, senegal
):
    client.force_login(officer_a)
    form = client.get(f"{NEW}?for_project={project.pk}", **HTMX).content.decode()
    assert form.lstrip().startswith('<tr id="payment-new"')
    response = client.post(NEW, payment_data(for_project=project.pk), **HTMX)
    row = response.content.decode()
    payment = Transaction.objects.get()
    assert (payment.project, payment.currency, payment.amount, payment.amount_eur) == (
        project,
        "XOF",
        Decimal("45000000"),
        Decimal("68602.11"),
    )
    assert (payment.order_number, payment.budget_line, payment.authority) == (
        "M-2025-118",
        "65748",
        city_a,
    )
    assert row.lstrip().startswith(f'<tr id="payment-{payment.pk}"')
    assert "45,000,000.00\u00a0XOF" in row and "€68,602.11" in row


def test_the_line_shows_in_french_format(client, city_a, officer_a, project, french):
    TransactionFactory(
        project=project, amount="45000000", currency="XOF", amount_eur=Decimal("68602.11")
    )
    client.force_login(officer_a)
    page = client.get(f"/espace/ville-a/projets/{project.pk}/").content.decode()
    assert "45\u00a0000\u00a0000,00\u00a0XOF" in page
    assert "68\u00a0602,11\u00a0€" in page


def test_without_javascript_the_form_is_a_page_and_the_save_goes_back(
    client, city_a, officer_a, senegal
):
    client.force_login(officer_a)
    page = client.get(NEW).content.decode()
    assert "<h1>Add a payment</h1>" in page
    response = client.post(NEW, payment_data(project="-2"))
    assert response.status_code == 302 and response.url == LEDGER
    payment = Transaction.objects.get()
    assert (payment.project, payment.nature) == (None, Transaction.Nature.NETWORK_CONTRIBUTION)


def test_a_correction_in_place_saves_through_the_version(client, city_a, officer_a, project):
    payment = TransactionFactory(project=project, receiver="Old")
    client.force_login(officer_a)
    form = client.get(edit_url(payment) + f"?for_project={project.pk}", **HTMX).content.decode()
    assert f'name="version" value="{payment.version}"' in form
    data = payment_data(
        for_project=project.pk,
        recipient_country="",
        amount="5 000",
        amount_eur="",
        receiver="New",
        version=payment.version,
    )
    row = client.post(edit_url(payment), data, **HTMX).content.decode()
    payment.refresh_from_db()
    assert payment.receiver == "New" and payment.version == 1
    assert ">New<" in row.replace("<td>New", ">New<")


def test_a_stale_correction_is_refused_with_a_message_and_changes_nothing(
    client, city_a, officer_a, project
):
    payment = TransactionFactory(project=project, receiver="Seen")
    seen = payment.version
    Transaction.objects.filter(pk=payment.pk).update(receiver="Colleague", version=seen + 1)
    client.force_login(officer_a)
    data = payment_data(
        for_project=project.pk,
        recipient_country="",
        amount="5 000",
        amount_eur="",
        receiver="Mine",
        version=seen,
    )
    form = client.post(edit_url(payment), data, **HTMX).content.decode()
    assert "Someone else changed this record" in form
    assert Transaction.objects.get().receiver == "Colleague"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"amount": "douze"}, "is not an amount"),
        ({"amount": "45 000 000 FCFA", "recipient_country": ""}, "XOF"),
        ({"date": "32/13/2025"}, "date"),
        ({"amount_eur": "-3"}, "Write a positive amount."),
        ({"amount": "100", "currency": "EUR", "amount_eur": "90"}, "This payment is in euros"),
        ({"currency": "HTG"}, "currency says HTG"),
        ({"project": ""}, "Choose the project"),
    ],
)
def test_bad_input_is_answered_on_the_form_and_writes_nothing(
    client, city_a, officer_a, senegal, fields, message
):
    client.force_login(officer_a)
    data = payment_data(**{"project": "-1", **fields})
    htmx = client.post(NEW, data, **HTMX)
    assert htmx.status_code == 200 and message in htmx.content.decode()
    page = client.post(NEW, data)
    assert page.status_code == 400 and message in page.content.decode()
    assert (
        'aria-invalid="true"' in page.content.decode() or "ws-alert-error" in page.content.decode()
    )
    assert not Transaction.objects.exists()


def test_a_missing_rate_is_shown_with_the_way_to_record_it(client, city_a, officer_a, project):
    TransactionFactory(project=project, amount="1405", currency="HTG")
    client.force_login(officer_a)
    page = client.get(LEDGER).content.decode()
    assert "no rate" in page
    assert f"{RATE}?currency=HTG&amp;date=2025-06-01&amp;next=" in page


# --- Pasting -------------------------------------------------------------------------------------

PASTED = (
    "Date\tMontant\tDevise\tMontant en euros\tBénéficiaire\tCatégorie\tPays\tMandat\tImputation\n"
    "12/05/2025\t45 000 000 FCFA\t\t68 602,11\tCommune de Dakar\t1\tSénégal\tM-118\t65748\n"
    "13/05/2025\t3 870,40 €\t\t\tAssociation\t2\tSénégal\tM-119\t6574\n"
    "14/05/2025\tdouze\t\t\t\t\t\t\t\n"
)


def test_a_paste_is_previewed_then_its_clean_rows_recorded_once(
    client, city_a, officer_a, project, senegal
):
    client.force_login(officer_a)
    data = {"rows": PASTED, "for_project": project.pk, "action": "preview"}
    preview = client.post(PASTE, data).content.decode()
    assert "Record the 2 clean rows" in preview
    assert "is not an amount" in preview
    assert not Transaction.objects.exists()
    response = client.post(PASTE, {**data, "action": "record"})
    assert response.status_code == 302
    assert Transaction.objects.filter(project=project).count() == 2
    again = client.post(PASTE, data).content.decode()
    assert "Record the" not in again and "already recorded" in again
    client.post(PASTE, {**data, "action": "record"})
    assert Transaction.objects.count() == 2


def test_a_paste_on_the_ledger_records_fees_without_a_project(client, city_a, officer_a):
    client.force_login(officer_a)
    data = {"rows": "01/02/2025\t1 200\tEUR\t\tCUF\n", "nature": "membership_fee"}
    client.post(PASTE, {**data, "action": "record"})
    payment = Transaction.objects.get()
    assert (payment.project, payment.nature) == (None, "membership_fee")


def test_an_empty_or_another_authoritys_paste_writes_nothing(client, city_a, city_b, officer_a):
    client.force_login(officer_a)
    assert client.post(PASTE, {"rows": "", "action": "record"}).status_code == 400
    other = ProjectFactory(authority=city_b)
    data = {"rows": "01/02/2025\t100\n", "for_project": other.pk, "action": "record"}
    assert client.post(PASTE, data).status_code == 404
    assert client.post(PASTE, {**data, "for_project": "x"}).status_code == 404
    assert not Transaction.objects.exists()


# --- The rate form -------------------------------------------------------------------------------


def test_the_rate_form_says_which_way_round_and_records_the_rate(client, city_a, officer_a):
    client.force_login(officer_a)
    form = client.get(f"{RATE}?currency=HTG&date=2025-06-01&next={LEDGER}").content.decode()
    assert "1 EUR = … units of the currency" in form
    assert 'name="currency" value="HTG"' in form and 'value="01/06/2025"' in form
    data = {
        "currency": "HTG",
        "date": "01/01/2025",
        "rate": "140,5",
        "source": "BRH",
        "next": LEDGER,
    }
    response = client.post(RATE, data)
    assert response.status_code == 302 and response.url == LEDGER
    rate = ExchangeRate.objects.get()
    assert (rate.currency, rate.rate, rate.source) == ("HTG", Decimal("140.5"), "BRH")


def test_the_rate_form_refuses_a_pegged_currency_and_an_outside_return_address(
    client, city_a, officer_a
):
    client.force_login(officer_a)
    data = {"currency": "FCFA", "date": "01/01/2025", "rate": "655", "source": "x"}
    page = client.post(RATE, data).content.decode()
    assert "XOF or XAF" in page
    data = {**data, "currency": "XOF", "next": "https://evil.example/"}
    response = client.post(RATE, data)
    assert response.status_code == 400 and "fixed to the euro" in response.content.decode()
    assert "evil.example" not in response.content.decode()
    assert not ExchangeRate.objects.exists()


# --- Queries -------------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _payments(project, count: int) -> None:
    for n in range(count):
        TransactionFactory(
            project=project,
            amount="1405" if n % 2 else "1000",
            currency="HTG" if n % 2 else "EUR",
            receiver=f"Receiver {n}",
        )


def test_the_ledger_and_the_project_page_cost_the_same_queries_whatever_the_payments(
    client, city_a, officer_a, project
):
    ProjectCountryFactory(project=project, country=CountryFactory(code="HT"))
    ExchangeRateFactory(currency="HTG", date=datetime.date(2025, 1, 1), rate="140.5")
    client.force_login(officer_a)
    client.get("/en/workspace/ville-a/")
    project_url = f"/en/workspace/ville-a/projects/{project.pk}/"
    _payments(project, 2)
    small = _queries(client, LEDGER), _queries(client, project_url)
    _payments(project, 18)
    large = _queries(client, LEDGER), _queries(client, project_url)
    assert small == large


def test_the_french_ledger_reads_the_catalogue(client, city_a, officer_a, french):
    client.force_login(officer_a)
    page = client.get("/espace/ville-a/paiements/").content.decode()
    assert gettext("Add a payment") in page


def test_the_country_list_offers_the_authoritys_countries_first(client, city_a, officer_a):
    from jumelage.core.tests.factories import CountryFactory
    from jumelage.projects.tests.factories import ProjectCountryFactory

    CountryFactory(code="DE")
    ProjectCountryFactory(
        project=ProjectFactory(authority=city_a), country=CountryFactory(code="RS")
    )
    client.force_login(officer_a)
    page = client.get("/en/workspace/ville-a/payments/new/").content.decode()
    select = page[page.index('name="recipient_country"') :]
    select = select[: select.index("</select>")]
    assert "data-search-select" in select
    usual, everything = select.split("<optgroup")[1:3]
    assert 'label="Usual choices"' in usual and 'value="RS"' in usual and '"DE"' not in usual
    assert 'value="DE"' in everything and 'value="RS"' in everything
