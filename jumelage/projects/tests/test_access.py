"""Access with two authorities: officer_b never reads or changes city_a's projects, plans,
lines or transactions; contributor_a edits a project's text but not its money."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from jumelage.audit.services import snapshot
from jumelage.projects.models import ExpenseLine, FinancingPlan, Project, Transaction
from jumelage.projects.selectors import plans_with_totals, projects_overview
from jumelage.projects.tests.admin_helpers import admin_url, errors_of, form_data
from jumelage.projects.tests.factories import (
    ApplicationFactory,
    ExpenseLineFactory,
    FinancingPlanFactory,
    ProjectFactory,
    ProjectSectorFactory,
    ResourceLineFactory,
    ResultFactory,
    TransactionFactory,
)
from jumelage.tenancy.services import save_owned


@pytest.fixture
def records_a(city_a):
    project = ProjectFactory(authority=city_a, title={"fr": "Projet secret de A"})
    plan = FinancingPlanFactory(project=project)
    return {
        "project": project,
        "financingplan": plan,
        "expense": ExpenseLineFactory(plan=plan, label="Ligne de A", amount="1000.00"),
        "resource": ResourceLineFactory(plan=plan, amount="1000.00"),
        "transaction": TransactionFactory(project=project, description="Paiement de A"),
        "application": ApplicationFactory(project=project),
        "result": ResultFactory(project=project),
    }


@pytest.fixture
def records_b(city_b):
    project = ProjectFactory(authority=city_b, title={"fr": "Projet de B"})
    plan = FinancingPlanFactory(project=project)
    ExpenseLineFactory(plan=plan, label="Ligne de B", amount="10.00")
    ResourceLineFactory(plan=plan, amount="10.00")
    return {"project": project, "financingplan": plan}


LISTED = ["project", "financingplan", "transaction", "application", "result"]


@pytest.mark.parametrize("model", LISTED)
def test_officer_b_does_not_see_city_as_records_in_lists(
    client, officer_b, records_a, records_b, model
):
    client.force_login(officer_b)
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert records_a[model] not in list(response.context["cl"].result_list)
    assert "de A" not in response.content.decode()


@pytest.mark.parametrize("model", LISTED)
def test_officer_b_cannot_open_or_post_city_as_records(client, officer_b, records_a, model):
    client.force_login(officer_b)
    url = admin_url(model, "change", records_a[model].pk)
    response = client.get(url)
    # The admin answers as for a record that does not exist: back to the index.
    assert response.status_code == 302
    assert "de A" not in client.get(response.url).content.decode()
    record = records_a[model]
    before = snapshot(type(record).objects.get(pk=record.pk))
    response = client.post(url, {"status": "cancelled", "description": "changed by B"})
    assert response.status_code in (302, 403)
    assert client.get(admin_url(model, "delete", record.pk)).status_code != 200
    client.post(admin_url(model, "delete", record.pk), {"post": "yes"})
    assert snapshot(type(record).objects.get(pk=record.pk)) == before


def test_officer_b_posts_change_nothing_of_city_a(client, officer_b, records_a):
    client.force_login(officer_b)
    client.post(
        admin_url("project", "change", records_a["project"].pk),
        {"title__fr": "Pris par B", "status": "cancelled", "slug": "b"},
    )
    client.post(admin_url("project", "delete", records_a["project"].pk), {"post": "yes"})
    project = Project.objects.get(pk=records_a["project"].pk)
    assert project.title == {"fr": "Projet secret de A"}
    assert project.status == Project.Status.RUNNING


def test_a_tampered_line_id_in_a_plan_form_changes_nothing(client, officer_b, records_a, records_b):
    client.force_login(officer_b)
    plan_b = records_b["financingplan"]
    data = form_data(client.get(admin_url("financingplan", "change", plan_b.pk)))
    # officer_b swaps the id of their own line for city_a's line.
    data["expenses-0-id"] = str(records_a["expense"].pk)
    data["expenses-0-amount"] = "1.00"
    response = client.post(admin_url("financingplan", "change", plan_b.pk), data)
    assert response.status_code == 200
    assert any("does not belong to this record" in error for error in errors_of(response))
    line = ExpenseLine.objects.get(pk=records_a["expense"].pk)
    assert (line.plan_id, line.amount) == (records_a["financingplan"].pk, Decimal("1000.00"))


def test_a_tampered_line_id_of_another_plan_of_the_same_authority_changes_nothing(
    client, officer_a, city_a, records_a
):
    client.force_login(officer_a)
    other = FinancingPlanFactory(project=records_a["project"])
    ExpenseLineFactory(plan=other, amount="5.00")
    data = form_data(client.get(admin_url("financingplan", "change", other.pk)))
    data["expenses-0-id"] = str(records_a["expense"].pk)
    response = client.post(admin_url("financingplan", "change", other.pk), data)
    assert response.status_code == 200
    assert (
        ExpenseLine.objects.get(pk=records_a["expense"].pk).plan_id == records_a["financingplan"].pk
    )


def test_a_tampered_sector_id_changes_nothing(client, officer_b, city_a, records_b):
    sector_a = ProjectSectorFactory(project=ProjectFactory(authority=city_a), code="15112")
    ProjectSectorFactory(project=records_b["project"], code="14030")
    client.force_login(officer_b)
    url = admin_url("project", "change", records_b["project"].pk)
    data = form_data(client.get(url))
    data["sectors-0-id"] = str(sector_a.pk)
    data["sectors-0-code"] = "99810"
    response = client.post(url, data)
    assert response.status_code == 200
    sector_a.refresh_from_db()
    assert (sector_a.code, sector_a.project.authority_id) == ("15112", city_a.pk)


def test_a_tampered_project_id_on_a_new_transaction_is_refused(client, officer_b, records_a):
    client.force_login(officer_b)
    data = form_data(client.get(admin_url("transaction", "add")))
    data.update(
        {
            "project": str(records_a["project"].pk),
            "transaction_type": "3",
            "date": "2025-06-01",
            "amount": "10.00",
            "currency": "EUR",
        }
    )
    response = client.post(admin_url("transaction", "add"), data)
    assert response.status_code == 200
    assert Transaction.objects.count() == 1


def test_selectors_never_return_city_as_records_to_officer_b(officer_b, records_a, records_b):
    assert list(projects_overview(user=officer_b)) == [records_b["project"]]
    plans = plans_with_totals(FinancingPlan.objects.for_user(officer_b))
    assert list(plans) == [records_b["financingplan"]]
    assert not ExpenseLine.objects.for_user(officer_b).filter(pk=records_a["expense"].pk)
    assert not Transaction.objects.for_user(officer_b).exists()


# --- contributor_a: content yes, money no -----------------------------------------------------


def test_contributor_a_edits_a_projects_text(client, contributor_a, records_a):
    client.force_login(contributor_a)
    url = admin_url("project", "change", records_a["project"].pk)
    data = form_data(client.get(url))
    data["summary__fr"] = "Un résumé écrit par un acteur local."
    response = client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    project = Project.objects.get(pk=records_a["project"].pk)
    assert project.summary == {"fr": "Un résumé écrit par un acteur local."}


def test_contributor_a_sees_sectors_but_cannot_change_them(client, contributor_a, records_a):
    ProjectSectorFactory(project=records_a["project"], code="15112")
    client.force_login(contributor_a)
    url = admin_url("project", "change", records_a["project"].pk)
    page = client.get(url)
    html = page.content.decode()
    assert "15112" in html
    assert 'name="sectors-0-code"' not in html


def test_contributor_a_cannot_change_a_transaction(client, contributor_a, records_a):
    transaction = records_a["transaction"]
    client.force_login(contributor_a)
    url = admin_url("transaction", "change", transaction.pk)
    assert client.get(url).status_code == 200  # read only
    response = client.post(url, {"amount": "1.00", "description": "changed"})
    assert response.status_code == 403
    assert client.get(admin_url("transaction", "add")).status_code == 403
    transaction.description = "changed"
    with pytest.raises(PermissionDenied):
        save_owned(transaction, user=contributor_a, expected_version=transaction.version)
    assert Transaction.objects.get(pk=transaction.pk).description == "Paiement de A"


def test_contributor_a_cannot_change_a_financing_plan(client, contributor_a, records_a):
    plan = records_a["financingplan"]
    client.force_login(contributor_a)
    response = client.post(admin_url("financingplan", "change", plan.pk), {"status": "adopted"})
    assert response.status_code == 403
    line = records_a["expense"]
    line.amount = Decimal("1.00")
    with pytest.raises(PermissionDenied):
        save_owned(line, user=contributor_a, expected_version=line.plan.version)
    assert ExpenseLine.objects.get(pk=line.pk).amount == Decimal("1000.00")


def test_viewer_a_reads_but_changes_nothing(client, viewer_a, records_a):
    client.force_login(viewer_a)
    url = admin_url("project", "change", records_a["project"].pk)
    assert client.get(url).status_code == 200
    assert client.post(url, {"status": "cancelled"}).status_code == 403
    assert Project.objects.get(pk=records_a["project"].pk).status == Project.Status.RUNNING
