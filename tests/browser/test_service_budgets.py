"""The "1 % laws" budgets in a real browser: the demo's officer opens the page from the
payments, reads the empty year's explanation, records a budget (a bad amount first, refused with
its message), and finds it with its ceiling. axe-core on the empty page, the form in error and
the page with a budget."""

from __future__ import annotations

import datetime

import pytest

from tests.browser.test_public_accessibility import axe_violations, describe

pytestmark = pytest.mark.browser


def test_an_officer_records_a_budget_and_the_pages_pass_axe(
    page, demo, sign_in, foreign_requests, csp_violations
):
    from jumelage.projects.models import ServiceBudget

    year = datetime.date.today().year
    failures: list[str] = []

    def check(what: str) -> None:
        violations = axe_violations(page)
        if violations:
            failures.append(f"{what}:\n{describe(violations)}")

    sign_in("officer", "browser-tests-only")
    page.goto("/espace/suresnes/paiements/")
    page.get_by_role("link", name="Budgets des lois 1 %", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/espace/suresnes/budgets-de-service/{year}/"), page.url
    heading = f"Budgets des lois 1 %, {year}"
    assert page.get_by_role("heading", level=1, name=heading).is_visible()
    assert page.get_by_text("dans le même domaine", exact=False).first.is_visible()
    check("the empty year")

    page.get_by_role("link", name=f"Enregistrer un budget de {year}").first.click()
    page.wait_for_load_state()
    page.get_by_label("Service").select_option("water")
    page.get_by_label("Ressources du budget, en euros").fill("douze mille")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".ws-error-summary").is_visible()
    assert not ServiceBudget.objects.filter(authority=demo).exists()
    check("the form in error")

    page.get_by_label("Ressources du budget, en euros").fill("120 000,50 €")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_load_state()
    budget = ServiceBudget.objects.get(authority=demo)
    assert str(budget.resources) == "120000.50"
    assert page.get_by_role("status").get_by_text("est enregistré", exact=False).is_visible()
    table = page.get_by_role("table").first
    assert table.get_by_text("1 200,00", exact=False).first.is_visible()  # the ceiling
    check("the page with a budget")

    assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)
    assert csp_violations == []
    assert foreign_requests() == []
