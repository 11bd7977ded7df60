"""The back office of projects: pages render, lists run a constant number of queries, whole-set
checks show on the page, and writes go through the services."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jumelage.audit.models import AuditEntry
from jumelage.core.tests.factories import CodelistItemFactory
from jumelage.projects.models import FinancingPlan, Project
from jumelage.projects.tests.admin_helpers import admin_url, errors_of, form_data
from jumelage.projects.tests.factories import (
    ApplicationFactory,
    CallFactory,
    ExpenseLineFactory,
    FinancingPlanFactory,
    FunderFactory,
    IndicatorFactory,
    IndicatorPeriodFactory,
    InstalmentFactory,
    ProjectCountryFactory,
    ProjectFactory,
    ProjectSectorFactory,
    ReportDueFactory,
    ResourceLineFactory,
    ResultFactory,
    TransactionFactory,
)


@pytest.fixture
def officer(client, officer_a):
    client.force_login(officer_a)
    return officer_a


def _project(city_a):
    project = ProjectFactory(authority=city_a)
    ProjectSectorFactory(project=project)
    ProjectCountryFactory(project=project)
    return project


def _plan(city_a):
    plan = FinancingPlanFactory(project=ProjectFactory(authority=city_a))
    ExpenseLineFactory(plan=plan)
    ResourceLineFactory(plan=plan)
    return plan


def _application(city_a):
    application = ApplicationFactory(project=ProjectFactory(authority=city_a))
    InstalmentFactory(application=application)
    ReportDueFactory(application=application)
    return application


def _indicator(city_a):
    indicator = IndicatorFactory(result=ResultFactory(project=ProjectFactory(authority=city_a)))
    IndicatorPeriodFactory(indicator=indicator)
    return indicator


MAKERS = {
    "project": _project,
    "financingplan": _plan,
    "application": _application,
    "transaction": lambda city: TransactionFactory(project=ProjectFactory(authority=city)),
    "result": lambda city: ResultFactory(project=ProjectFactory(authority=city)),
    "indicator": _indicator,
    "funder": lambda city: FunderFactory(),
    "call": lambda city: CallFactory(),
}


@pytest.mark.parametrize("model", MAKERS)
def test_every_page_renders_and_saves_unchanged(client, officer, city_a, model):
    obj = MAKERS[model](city_a)
    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "add")).status_code == 200
    page = client.get(admin_url(model, "change", obj.pk))
    assert page.status_code == 200
    response = client.post(admin_url(model, "change", obj.pk), form_data(page))
    assert response.status_code == 302, errors_of(response)


@pytest.mark.parametrize("model", MAKERS)
def test_every_list_runs_the_same_queries_for_one_row_as_for_ten(
    client, officer, city_a, model, django_assert_num_queries
):
    url = admin_url(model, "changelist")
    client.get(url)  # warm the caches (content types, session)
    MAKERS[model](city_a)
    with CaptureQueriesContext(connection) as one_row:
        assert client.get(url).status_code == 200
    for _ in range(9):
        MAKERS[model](city_a)
    with django_assert_num_queries(len(one_row)):
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 10


def test_project_search_finds_a_title_in_any_language_with_accents(client, officer, city_a):
    ProjectFactory(authority=city_a, title={"fr": "Coopération hospitalière"}, slug="hopital")
    ProjectFactory(authority=city_a, title={"sr": "Водовод Крагујевац"}, slug="eau")
    ProjectFactory(authority=city_a, title={"fr": "Francophonie"}, slug="autre")

    def found(term):
        response = client.get(admin_url("project", "changelist"), {"q": term})
        return sorted(p.slug for p in response.context["cl"].result_list)

    assert found("opération") == ["hopital"]
    assert found("Водовод") == ["eau"]
    # The JSON's keys are not searched: "fr" matches no title by its language code.
    assert found("fr") == ["autre"]


# --- Sectors and countries ---------------------------------------------------------------------


def test_sector_percentages_that_do_not_add_up_show_on_the_page(client, officer, city_a):
    project = ProjectFactory(authority=city_a)
    ProjectSectorFactory(project=project, code="15112", percentage=100)
    page = client.get(admin_url("project", "change", project.pk))
    data = form_data(page)
    data["sectors-0-percentage"] = "60"
    data["sectors-1-code"] = "14030"
    data["sectors-1-percentage"] = "30"
    response = client.post(admin_url("project", "change", project.pk), data)
    assert response.status_code == 200
    assert any("add up to 90" in error for error in errors_of(response))
    assert list(project.sectors.values_list("percentage", flat=True)) == [Decimal(100)]


def test_sectors_and_countries_are_saved_through_the_services(client, officer, city_a):
    project = ProjectFactory(authority=city_a)
    ProjectSectorFactory(project=project, code="15112", percentage=100)
    page = client.get(admin_url("project", "change", project.pk))
    data = form_data(page)
    data.update(
        {
            "sectors-0-percentage": "60",
            "sectors-1-vocabulary": "1",
            "sectors-1-code": "14030",
            "sectors-1-percentage": "40",
            "countries-0-country": "HT",
            "countries-0-percentage": "100",
        }
    )
    from jumelage.core.tests.factories import CountryFactory

    CountryFactory(code="HT")
    response = client.post(admin_url("project", "change", project.pk), data)
    assert response.status_code == 302, errors_of(response)
    assert dict(project.sectors.values_list("code", "percentage")) == {
        "15112": Decimal("60.00"),
        "14030": Decimal("40.00"),
    }
    assert list(project.countries.values_list("country_id", flat=True)) == ["HT"]
    assert AuditEntry.objects.filter(model="projects.projectsector").count() == 2


def test_a_sector_code_is_chosen_from_the_loaded_list(client, officer, city_a):
    CodelistItemFactory(codelist="Sector", code="15112", name_en="Decentralisation")
    project = ProjectFactory(authority=city_a)
    page = client.get(admin_url("project", "change", project.pk))
    assert '<option value="15112">15112' in page.content.decode()


def test_sdg_targets_are_typed_as_a_list_of_codes(client, officer, city_a):
    project = ProjectFactory(authority=city_a)
    data = form_data(client.get(admin_url("project", "change", project.pk)))
    data["sdg_targets"] = "6.1, 16.6"
    response = client.post(admin_url("project", "change", project.pk), data)
    assert response.status_code == 302, errors_of(response)
    project.refresh_from_db()
    assert project.sdg_targets == ["6.1", "16.6"]


def test_a_title_is_typed_one_box_per_language(client, officer, city_a):
    project = ProjectFactory(authority=city_a, title={"fr": "Eau", "sr": "Вода"})
    page = client.get(admin_url("project", "change", project.pk))
    html = page.content.decode()
    assert 'name="title__fr"' in html and 'name="title__en"' in html
    assert 'name="title__sr"' in html and 'value="Вода"' in html
    data = form_data(page)
    data["title__en"] = "Water"
    response = client.post(admin_url("project", "change", project.pk), data)
    assert response.status_code == 302, errors_of(response)
    project.refresh_from_db()
    assert project.title == {"fr": "Eau", "en": "Water", "sr": "Вода"}


# --- Financing plans ---------------------------------------------------------------------------


def _plan_page(client, plan):
    page = client.get(admin_url("financingplan", "change", plan.pk))
    return form_data(page)


@pytest.mark.usefixtures("french")
def test_the_plan_page_shows_its_summary(client, officer, city_a):
    plan = FinancingPlanFactory(project=ProjectFactory(authority=city_a))
    ExpenseLineFactory(plan=plan, amount="1000.00")
    ResourceLineFactory(plan=plan, amount="200.00")
    ResourceLineFactory(plan=plan, is_own=False, funder=FunderFactory(), amount="600.00")
    html = client.get(admin_url("financingplan", "change", plan.pk)).content.decode()
    assert "3,00" in html  # leverage: 600 external for 200 own
    assert "20,00 %" in html  # own share
    assert "200,00 EUR" in html  # the resources missing


@pytest.mark.usefixtures("french")
def test_submitting_an_unbalanced_plan_shows_the_totals_on_the_page(client, officer, city_a):
    plan = FinancingPlanFactory(project=ProjectFactory(authority=city_a))
    ExpenseLineFactory(plan=plan, amount="1000.00")
    ResourceLineFactory(plan=plan, amount="400.00")
    data = _plan_page(client, plan)
    data["status"] = "submitted"
    response = client.post(admin_url("financingplan", "change", plan.pk), data)
    assert response.status_code == 200
    assert any("600,00 EUR" in error for error in errors_of(response))
    plan.refresh_from_db()
    assert plan.status == FinancingPlan.Status.DRAFT


def test_fixing_the_lines_and_submitting_the_plan_in_one_save(client, officer, city_a):
    plan = FinancingPlanFactory(project=ProjectFactory(authority=city_a))
    ExpenseLineFactory(plan=plan, amount="1000.00", year=2026)  # a project of 2025-2027
    ResourceLineFactory(plan=plan, amount="400.00")
    data = _plan_page(client, plan)
    data["status"] = "submitted"
    data["resources-0-amount"] = "1000.00"
    response = client.post(admin_url("financingplan", "change", plan.pk), data)
    assert response.status_code == 302, errors_of(response)
    plan.refresh_from_db()
    assert plan.status == FinancingPlan.Status.SUBMITTED
    assert plan.resources.get().amount == Decimal("1000.00")


@pytest.mark.usefixtures("french")
def test_a_submitted_plan_refuses_lines_that_unbalance_it_on_the_page(client, officer, city_a):
    plan = FinancingPlanFactory(project=ProjectFactory(authority=city_a), status="submitted")
    ExpenseLineFactory(plan=plan, amount="1000.00")
    ResourceLineFactory(plan=plan, amount="1000.00")
    data = _plan_page(client, plan)
    data["expenses-1-label"] = "Missions"
    data["expenses-1-amount"] = "500.00"
    response = client.post(admin_url("financingplan", "change", plan.pk), data)
    assert response.status_code == 200
    assert any("1\u00a0500,00 EUR" in error for error in errors_of(response))
    assert plan.expenses.count() == 1
    # Both sides at once keep it balanced: accepted.
    data["resources-1-is_own"] = "on"
    data["resources-1-amount"] = "500.00"
    response = client.post(admin_url("financingplan", "change", plan.pk), data)
    assert response.status_code == 302, errors_of(response)
    assert plan.expenses.count() == 2


def test_a_new_plan_is_created_with_its_lines(client, officer, city_a):
    project = ProjectFactory(authority=city_a)
    data = form_data(client.get(admin_url("financingplan", "add")))
    data.update(
        {
            "project": str(project.pk),
            "status": "adopted",
            "expenses-0-label": "Travaux",
            "expenses-0-amount": "5000.00",
            "expenses-0-year": "2025",  # the project runs from 2025 to 2027
            "resources-0-is_own": "on",
            "resources-0-amount": "5000.00",
        }
    )
    response = client.post(admin_url("financingplan", "add"), data)
    assert response.status_code == 302, errors_of(response)
    plan = FinancingPlan.objects.get(project=project)
    assert plan.status == "adopted"
    assert plan.expenses.count() == plan.resources.count() == 1


def test_the_application_page_shows_the_warnings(client, officer, city_a):
    application = ApplicationFactory(
        project=ProjectFactory(authority=city_a),
        call=CallFactory(max_amount="1000.00"),
        amount_requested="5000.00",
    )
    html = client.get(admin_url("application", "change", application.pk)).content.decode()
    assert "above the call&#x27;s maximum grant" in html


def test_transaction_codes_are_chosen_from_the_loaded_lists(client, officer, city_a):
    CodelistItemFactory(codelist="TransactionType", code="3", name_en="Disbursement")
    transaction = TransactionFactory(project=ProjectFactory(authority=city_a))
    html = client.get(admin_url("transaction", "change", transaction.pk)).content.decode()
    assert '<option value="3" selected>3' in html
    listing = client.get(admin_url("transaction", "changelist")).content.decode()
    assert "Disbursement" in listing


def test_the_project_list_is_empty_of_other_authorities_projects(client, officer, city_b):
    ProjectFactory(authority=city_b)
    response = client.get(admin_url("project", "changelist"))
    assert list(response.context["cl"].result_list) == []
    assert Project.objects.count() == 1


def test_the_demo_mark_is_offered_only_on_a_demo_record(client, officer, city_a):
    """A real record, or a new one, never shows the "example data" box; a demo record shows
    it, so that an officer can take the mark off a record made real."""
    real = ProjectFactory(authority=city_a, is_example=False)
    demo = ProjectFactory(authority=city_a, is_example=True)
    pages = {
        "add": client.get("/admin/projects/project/add/"),
        "real": client.get(f"/admin/projects/project/{real.pk}/change/"),
        "demo": client.get(f"/admin/projects/project/{demo.pk}/change/"),
    }
    assert all(page.status_code == 200 for page in pages.values())
    assert 'name="is_example"' not in pages["add"].content.decode()
    assert 'name="is_example"' not in pages["real"].content.decode()
    assert 'name="is_example"' in pages["demo"].content.decode()
