"""The financing plan editor in a real browser: the demo's officer builds a plan for the
Ministry's call that asks it for more than its cap, sees the check and the refusal with its
reason, fixes the line in place and submits the plan; axe-core finds nothing on the editor in
French and English, and the Content-Security-Policy refuses nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.test_public_accessibility import axe_violations, describe

pytestmark = pytest.mark.browser

PROJECT = "Appui à l'état civil de Cap-Haïtien (exemple)"


def _line(page: Any, form: Any, values: dict[str, str]) -> None:
    for label, value in values.items():
        field = form.get_by_label(label, exact=True)
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(label=value)
        elif field.get_attribute("type") == "checkbox":
            field.set_checked(value == "on")
        else:
            field.fill(value)


def _add(page: Any, summary: str, values: dict[str, str]) -> None:
    details = page.locator("details", has=page.get_by_text(summary, exact=True))
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    _line(page, details, values)
    with page.expect_response(re.compile(r"/(nouveau|new)/$")):
        details.get_by_role("button", name="Ajouter la ligne").click()
    page.wait_for_timeout(300)  # htmx swaps the editor once the answer is in


def test_building_a_plan_over_the_cap_seeing_the_refusal_and_fixing_it(
    page, demo, sign_in, csp_violations, foreign_requests
):
    sign_in("officer", "browser-tests-only")
    page.goto("/espace/suresnes/projets/")
    page.get_by_role("link", name=PROJECT).click()
    page.get_by_role("link", name="Nouveau plan de financement").click()
    page.wait_for_load_state()
    page.get_by_label("Titre", exact=True).fill("Phase 2")
    call = page.get_by_label("Appel à projets", exact=True)
    option = call.locator("option", has_text="Appel à projets de soutien à la coopération")
    call.select_option(value=option.get_attribute("value"))
    page.get_by_role("button", name="Créer le plan").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1, name="Phase 2").is_visible()

    # The project runs over 2025 and 2026: each expense gets its year.
    _add(
        page,
        "Ajouter une ligne de dépenses",
        {"Libellé": "Formation des officiers", "Année": "2026", "Montant": "100 000"},
    )
    _add(
        page,
        "Ajouter une ligne de recettes",
        {"Apport propre": "on", "Montant": "20 000 €", "Année": "2026"},
    )
    _add(
        page,
        "Ajouter une ligne de recettes",
        {
            "Financeur": "Ministère de l'Europe et des Affaires étrangères (MEAE)",
            "Montant": "80 000",
            "Année": "2026",
        },
    )
    checks = page.locator("#plan-checks")
    assert "80,00\u202f% du coût total" in checks.inner_text()
    assert "au plus 70,00\u202f%" in checks.inner_text()

    page.get_by_role("button", name="Soumettre au financeur").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "ne peut être ni soumis ni adopté" in alert.inner_text()
    assert "au plus 70,00\u202f%" in alert.inner_text()

    # Fix it in place: the Ministry's line becomes 70 000, the city's own 30 000.
    meae = page.locator("tr", has=page.get_by_role("rowheader", name="MEAE"))
    meae.get_by_role("link", name=re.compile("^Modifier")).click()
    form = page.locator("tr.ws-row-editing")
    form.get_by_label("Montant", exact=True).fill("70 000")
    form.get_by_role("button", name="Enregistrer la ligne").click()
    form.wait_for(state="detached")  # the row is itself again, the checks follow
    own = page.locator("tr", has=page.get_by_role("rowheader", name="Apport propre"))
    own.get_by_role("link", name=re.compile("^Modifier")).click()
    form = page.locator("tr.ws-row-editing")
    form.get_by_label("Montant", exact=True).fill("30 000")
    form.get_by_role("button", name="Enregistrer la ligne").click()
    form.wait_for(state="detached")  # the row is itself again, the checks follow
    assert page.get_by_text("Toutes les vérifications sont passées.").is_visible()

    page.get_by_role("button", name="Soumettre au financeur").click()
    page.get_by_text("Plan soumis.").wait_for()
    assert "Soumis" in page.locator("#plan-editor").inner_text()

    failures = []
    french = page.url
    english = french.replace("/espace/suresnes/projets/", "/en/workspace/suresnes/projects/")
    for path in (french, english):
        page.goto(path)
        violations = axe_violations(page)
        if violations:
            failures.append(f"{path}:\n{describe(violations)}")
        # A row as a form, too.
        page.locator("#plan-editor a[hx-get]").first.click()
        page.locator("tr.ws-row-editing").wait_for()
        violations = axe_violations(page)
        if violations:
            failures.append(f"{path} (a row being changed):\n{describe(violations)}")
    assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)
    assert csp_violations == []
    assert foreign_requests() == []
