"""The workspace's "1 % laws" budgets: the page of a year (ceilings, use, the payments taken on
each budget), a budget recorded, changed and removed through the services, and the payment
form's choice of the budget a payment is taken on. Another authority's budgets are never shown
nor reachable (404); viewers read only; the page costs the same queries whatever the number of
budgets."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from jumelage.audit.models import AuditEntry
from jumelage.projects.models import ServiceBudget, Transaction
from jumelage.projects.tests.factories import (
    ProjectFactory,
    ServiceBudgetFactory,
    TransactionFactory,
)

pytestmark = pytest.mark.django_db

PAGE = "/en/workspace/ville-a/service-budgets/2025/"
NEW = "/en/workspace/ville-a/service-budgets/new/"


def edit_url(budget: ServiceBudget, slug: str = "ville-a") -> str:
    return f"/en/workspace/{slug}/service-budgets/{budget.pk}/edit/"


def remove_url(budget: ServiceBudget, slug: str = "ville-a") -> str:
    return f"/en/workspace/{slug}/service-budgets/{budget.pk}/remove/"


def budget_with_money(city, amount="2500.00", kind="water", resources="1000000.00"):
    budget = ServiceBudgetFactory(authority=city, year=2025, kind=kind, resources=resources)
    TransactionFactory(
        project=ProjectFactory(authority=city, title={"en": "Water in Cap-Haïtien"}),
        service_budget=budget,
        amount=amount,
        date=datetime.date(2025, 5, 1),
        description="Drilling",
    )
    return budget


def form_data(**fields):
    data = {"year": "2025", "kind": "water", "resources": "120 000,50", "reference": ""}
    data.update(fields)
    return data


# --- The page -----------------------------------------------------------------------------------


def test_the_page_shows_each_budget_with_its_ceiling_use_and_payments(client, officer_a, city_a):
    budget = budget_with_money(city_a, kind="water", resources="1000000.00")
    ServiceBudgetFactory(authority=city_a, year=2025, kind="waste", resources="250000.00")
    client.force_login(officer_a)
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Drinking water" in page and "Household waste" in page
    assert "€1,000,000.00" in page and "€10,000.00" in page  # resources and ceiling
    assert "€2,500.00" in page and "€7,500.00" in page  # used and left
    assert "Drilling" in page and "Water in Cap-Haïtien" in page
    payment = Transaction.objects.get(service_budget=budget)
    assert reverse("workspace:payment_edit", args=["ville-a", payment.pk]) in page
    assert "admin/projects/transaction" not in page
    # The years around, to move from one to the other.
    assert 'href="/en/workspace/ville-a/service-budgets/2024/"' in page
    assert 'href="/en/workspace/ville-a/service-budgets/2026/"' in page
    assert edit_url(budget) in page and remove_url(budget) in page


def test_an_empty_year_says_what_the_budgets_are_for_and_how_to_add_one(client, officer_a, city_a):
    client.force_login(officer_a)
    page = client.get(PAGE).content.decode()
    assert "No service budget recorded for 2025" in page
    assert "may give up to 1 % of the resources of that service's budget" in page
    assert "international action in the same sector" in page
    assert f'href="{NEW}?year=2025"' in page


def test_the_current_address_leads_to_this_years_page(client, officer_a, city_a):
    client.force_login(officer_a)
    response = client.get("/en/workspace/ville-a/service-budgets/")
    year = timezone.localdate().year
    assert response["Location"] == f"/en/workspace/ville-a/service-budgets/{year}/"


def test_a_year_outside_the_range_is_a_404(client, officer_a, city_a):
    client.force_login(officer_a)
    assert client.get("/en/workspace/ville-a/service-budgets/1900/").status_code == 404


def test_another_authoritys_budgets_never_show_nor_open(client, officer_a, city_a, city_b):
    theirs = budget_with_money(city_b, amount="7777.77")
    client.force_login(officer_a)
    page = client.get(PAGE).content.decode()
    assert "7,777.77" not in page and "Drilling" not in page
    assert "No service budget recorded for 2025" in page
    # Their ids in our addresses, and our address for them: 404, nothing changed.
    assert client.get(edit_url(theirs)).status_code == 404
    assert client.post(edit_url(theirs), form_data(resources="1")).status_code == 404
    assert client.post(remove_url(theirs), {"version": "1"}).status_code == 404
    assert client.get("/en/workspace/ville-b/service-budgets/2025/").status_code == 404
    assert client.get(edit_url(theirs, "ville-b")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.resources == Decimal("1000000.00")
    assert ServiceBudget.objects.filter(pk=theirs.pk).exists()


def test_a_user_of_no_authority_gets_a_404(client, outsider, city_a):
    client.force_login(outsider)
    assert client.get(PAGE).status_code == 404


def test_the_page_costs_the_same_queries_for_two_and_ten_budgets(
    client, officer_a, city_a, django_assert_num_queries
):
    client.force_login(officer_a)
    client.get(PAGE)  # the session, once
    for kind in ("water", "waste"):
        budget_with_money(city_a, kind=kind)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as two:
        assert client.get(PAGE).status_code == 200
    # The session and user, the authority and memberships, the years, the budgets, their
    # transactions with their projects, the role to write (no rate: euros only).
    assert len(two) == 8
    # Ten budgets: five services in 2025 with a payment each, and five of another year.
    for kind in ("sanitation", "energy", "mobility"):
        budget_with_money(city_a, kind=kind)
    for kind, _label in ServiceBudget.Kind.choices:
        ServiceBudgetFactory(authority=city_a, year=2024, kind=kind)
    assert ServiceBudget.objects.filter(authority=city_a).count() == 10
    with django_assert_num_queries(8):
        response = client.get(PAGE)
    assert len(response.context["budgets"].uses) == 5


# --- Recording, changing, removing --------------------------------------------------------------


def test_an_officer_records_a_budget_written_the_french_way(client, officer_a, city_a):
    client.force_login(officer_a)
    response = client.post(NEW, form_data(resources="120 000,50 €", reference="BA eau 2025"))
    budget = ServiceBudget.objects.get(authority=city_a)
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}#budget-{budget.pk}"
    assert budget.resources == Decimal("120000.50") and budget.reference == "BA eau 2025"
    assert budget.version == 1
    entry = AuditEntry.objects.get(object_id=str(budget.pk), action=AuditEntry.Action.CREATE)
    assert entry.authority_id == city_a.pk and entry.user == officer_a


@pytest.mark.parametrize("typed", ["120 000,50", "120 000 €", "120000.50"])
def test_the_amount_reads_as_officers_write_it(client, officer_a, city_a, typed):
    client.force_login(officer_a)
    assert client.post(NEW, form_data(resources=typed)).status_code == 302
    assert ServiceBudget.objects.get(authority=city_a).resources in (
        Decimal("120000.50"),
        Decimal("120000"),
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("douze mille", None),
        ("-5 000", "Write a positive amount."),
        ("120 000 USD", "A French budget is voted in euros"),
        ("", "This field is required."),
    ],
)
def test_a_bad_amount_is_refused_with_a_message_and_nothing_written(
    client, officer_a, city_a, typed, message
):
    client.force_login(officer_a)
    response = client.post(NEW, form_data(resources=typed))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert response.context["form"].errors["resources"]
    if message:
        assert message in page
    assert not ServiceBudget.objects.exists()


def test_a_second_budget_of_the_same_service_and_year_is_refused_clearly(client, officer_a, city_a):
    ServiceBudgetFactory(authority=city_a, year=2025, kind="water")
    client.force_login(officer_a)
    response = client.post(NEW, form_data())
    assert response.status_code == 400
    assert "already has this service&#x27;s budget for this year" in response.content.decode()
    assert ServiceBudget.objects.filter(authority=city_a).count() == 1


def test_the_same_service_and_year_in_another_authority_does_not_count(
    client, officer_a, city_a, city_b
):
    ServiceBudgetFactory(authority=city_b, year=2025, kind="water")
    client.force_login(officer_a)
    assert client.post(NEW, form_data()).status_code == 302


def test_an_officer_changes_a_budget_with_the_version_seen(client, officer_a, city_a):
    budget = ServiceBudgetFactory(authority=city_a, year=2025, kind="water", version=1)
    client.force_login(officer_a)
    form = client.get(edit_url(budget)).content.decode()
    assert 'name="version" value="1"' in form
    response = client.post(edit_url(budget), form_data(resources="2 000 000", version="1"))
    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.resources == Decimal("2000000") and budget.version == 2


def test_a_stale_form_is_refused_with_a_message_and_nothing_written(client, officer_a, city_a):
    budget = ServiceBudgetFactory(authority=city_a, year=2025, kind="water", version=3)
    client.force_login(officer_a)
    response = client.post(edit_url(budget), form_data(resources="5", version="2"))
    assert response.status_code == 409
    assert "Someone else changed this record while you were editing it." in (
        response.content.decode()
    )
    budget.refresh_from_db()
    assert budget.resources == Decimal("1000000.00") and budget.version == 3


def test_a_viewer_reads_but_cannot_write(client, viewer_a, city_a):
    budget = budget_with_money(city_a)
    client.force_login(viewer_a)
    page = client.get(PAGE).content.decode()
    assert "Drinking water" in page
    assert NEW not in page and edit_url(budget) not in page and remove_url(budget) not in page
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data(kind="waste")).status_code == 403
    assert client.post(edit_url(budget), form_data(resources="1", version="1")).status_code == 403
    assert client.post(remove_url(budget), {"version": str(budget.version)}).status_code == 403
    assert ServiceBudget.objects.filter(authority=city_a).count() == 1


def test_a_budget_without_payments_is_removed(client, officer_a, city_a):
    budget = ServiceBudgetFactory(authority=city_a, year=2025, kind="waste", version=1)
    client.force_login(officer_a)
    response = client.post(remove_url(budget), {"version": "1"}, follow=True)
    assert "The household waste 2025 budget is removed." in response.content.decode()
    assert not ServiceBudget.objects.filter(pk=budget.pk).exists()
    assert AuditEntry.objects.filter(
        object_id=str(budget.pk), action=AuditEntry.Action.DELETE
    ).exists()


def test_a_budget_with_payments_taken_on_it_is_not_removed(client, officer_a, city_a):
    budget = budget_with_money(city_a)
    client.force_login(officer_a)
    response = client.post(remove_url(budget), {"version": str(budget.version)}, follow=True)
    assert "1 transaction is taken on this budget" in response.content.decode()
    assert ServiceBudget.objects.filter(pk=budget.pk).exists()


def test_a_stale_removal_removes_nothing(client, officer_a, city_a):
    budget = ServiceBudgetFactory(authority=city_a, year=2025, kind="waste", version=2)
    client.force_login(officer_a)
    response = client.post(remove_url(budget), {"version": "1"}, follow=True)
    assert "Someone else changed this record" in response.content.decode()
    assert ServiceBudget.objects.filter(pk=budget.pk).exists()


# --- The payment form ---------------------------------------------------------------------------


PAYMENT_NEW = "/en/workspace/ville-a/payments/new/"


def payment_data(project, **fields):
    data = {
        "for_project": str(project.pk),
        "recipient_country": "",
        "date": "12/05/2025",
        "amount": "3 000,00",
        "currency": "",
        "amount_eur": "",
        "receiver": "Commune de Cap-Haïtien",
        "oda_category": "1",
        "order_number": "M-1",
        "budget_line": "",
        "description": "Pumps",
        "version": "",
    }
    data.update(fields)
    return data


def test_the_payment_form_offers_only_the_authoritys_budgets_of_the_payments_year(
    client, officer_a, city_a, city_b
):
    project = ProjectFactory(authority=city_a)
    ours = ServiceBudgetFactory(authority=city_a, year=2025, kind="water")
    last_year = ServiceBudgetFactory(authority=city_a, year=2024, kind="waste")
    theirs = ServiceBudgetFactory(authority=city_b, year=2025, kind="energy")
    payment = TransactionFactory(project=project, date=datetime.date(2025, 3, 1))
    client.force_login(officer_a)
    form = client.get(f"/en/workspace/ville-a/payments/{payment.pk}/edit/").context["form"]
    offered = [value for value, _label in form.fields["service_budget"].choices if value]
    assert offered == [ours.pk]
    assert last_year.pk not in offered and theirs.pk not in offered


def test_a_new_payment_is_offered_this_years_and_last_years_budgets_by_year(
    client, officer_a, city_a
):
    """Before its date is typed, a new payment may be this year's or last year's (January's
    payments often are): both years' budgets, grouped by year; once the date is typed (a form
    sent back with an error), that year's only."""
    this_year = timezone.localdate().year
    now = ServiceBudgetFactory(authority=city_a, year=this_year, kind="water")
    last = ServiceBudgetFactory(authority=city_a, year=this_year - 1, kind="waste")
    older = ServiceBudgetFactory(authority=city_a, year=this_year - 2, kind="energy")
    client.force_login(officer_a)
    response = client.get(PAYMENT_NEW)
    field = response.context["form"].fields["service_budget"]
    groups = [(label, [value for value, _name in options]) for label, options in field.choices[1:]]
    assert groups == [(str(this_year), [now.pk]), (str(this_year - 1), [last.pk])]
    page = response.content.decode()
    assert f'<optgroup label="{this_year - 1}">' in page
    assert older.pk not in [value for _label, values in groups for value in values]
    project = ProjectFactory(authority=city_a)
    dated = payment_data(project, date=f"12/05/{this_year - 1}", amount="pas un montant")
    again = client.post(PAYMENT_NEW, dated)
    assert again.status_code == 400
    offered = [value for value, _name in again.context["form"].fields["service_budget"].choices]
    assert offered == ["", last.pk]


def test_the_payment_form_offers_no_budget_when_the_authority_has_none(
    client, officer_a, city_a, city_b
):
    ServiceBudgetFactory(authority=city_b, year=2025, kind="water")
    client.force_login(officer_a)
    response = client.get(PAYMENT_NEW)
    assert "service_budget" not in response.context["form"].fields
    assert "Taken on the service budget" not in response.content.decode()


def test_a_payment_is_taken_on_a_budget_and_shows_it(client, officer_a, city_a):
    project = ProjectFactory(authority=city_a)
    budget = ServiceBudgetFactory(authority=city_a, year=2025, kind="water")
    client.force_login(officer_a)
    response = client.post(PAYMENT_NEW, payment_data(project, service_budget=str(budget.pk)))
    assert response.status_code == 302
    payment = Transaction.objects.get(order_number="M-1")
    assert payment.service_budget_id == budget.pk
    ledger = client.get("/en/workspace/ville-a/payments/").content.decode()
    assert "1 %: drinking water 2025 budget" in ledger
    assert f'href="{PAGE}#budget-{budget.pk}"' in ledger
    project_page = client.get(f"/en/workspace/ville-a/projects/{project.pk}/").content.decode()
    assert "1 %: drinking water 2025 budget" in project_page


def test_a_payment_over_the_ceiling_is_refused_with_the_rules_message(client, officer_a, city_a):
    project = ProjectFactory(authority=city_a)
    budget = ServiceBudgetFactory(authority=city_a, year=2025, kind="water", resources="100000")
    client.force_login(officer_a)
    response = client.post(
        PAYMENT_NEW, payment_data(project, amount="1 000,01", service_budget=str(budget.pk))
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["service_budget"]
    assert any("may give at most 1 % of its resources" in error for error in errors)
    assert not Transaction.objects.filter(order_number="M-1").exists()


def test_another_authoritys_budget_is_refused_on_a_payment(client, officer_a, city_a, city_b):
    project = ProjectFactory(authority=city_a)
    theirs = ServiceBudgetFactory(authority=city_b, year=2025, kind="water")
    ServiceBudgetFactory(authority=city_a, year=2025, kind="water")
    client.force_login(officer_a)
    response = client.post(PAYMENT_NEW, payment_data(project, service_budget=str(theirs.pk)))
    assert response.status_code == 400
    assert "Choose one of your authority's service budgets" in " ".join(
        response.context["form"].errors["service_budget"]
    )
    assert not Transaction.objects.filter(order_number="M-1").exists()


def test_a_budget_of_another_year_is_refused_by_the_rule(client, officer_a, city_a):
    project = ProjectFactory(authority=city_a)
    ServiceBudgetFactory(authority=city_a, year=2025, kind="water")
    old = ServiceBudgetFactory(authority=city_a, year=2024, kind="water")
    client.force_login(officer_a)
    response = client.post(PAYMENT_NEW, payment_data(project, service_budget=str(old.pk)))
    assert response.status_code == 400
    assert "the 1 % is counted on each year's budget" in " ".join(
        response.context["form"].errors["service_budget"]
    )


# --- Reach, old addresses, French -------------------------------------------------------------


def test_the_payments_and_reports_pages_link_to_the_budgets(client, officer_a, city_a):
    client.force_login(officer_a)
    current = "/en/workspace/ville-a/service-budgets/"
    assert f'href="{current}"' in client.get("/en/workspace/ville-a/payments/").content.decode()
    assert f'href="{current}"' in client.get("/en/workspace/ville-a/reports/").content.decode()


def test_the_old_back_office_addresses_lead_to_the_workspace(client, officer_a, city_a):
    client.force_login(officer_a)
    old = reverse("reporting:budget_ceilings", args=["ville-a", 2025])
    assert client.get(old)["Location"] == PAGE
    current = client.get(reverse("reporting:budget_ceilings_current", args=["ville-a"]))
    year = timezone.localdate().year
    assert current["Location"] == f"/en/workspace/ville-a/service-budgets/{year}/"


def test_the_page_reads_in_french(client, officer_a, city_a):
    client.force_login(officer_a)
    page = client.get("/espace/ville-a/budgets-de-service/2025/").content.decode()
    with translation.override("fr"):
        title = gettext("1 %% laws budgets, %(year)s") % {"year": 2025}
    assert title != "1 % laws budgets, 2025"
    assert title in page


def test_the_years_stop_at_the_pages_bounds_and_a_full_year_offers_no_add(
    client, officer_a, city_a
):
    client.force_login(officer_a)
    page = client.get("/en/workspace/ville-a/service-budgets/2100/").content.decode()
    assert "/service-budgets/2101/" not in page and "/service-budgets/2099/" in page
    for kind, _label in ServiceBudget.Kind.choices:
        ServiceBudgetFactory(authority=city_a, year=2025, kind=kind)
    assert f'href="{NEW}?year=2025"' not in client.get(PAGE).content.decode()
