"""A partnership's acts written in the workspace, in a real browser: the demo's officer records a
council decision from a partnership's page, then an agreement it approved, then takes the act's
next legal step (the signature) from the page's button; axe-core on the acts' forms (as opened,
with errors, and to correct) in French and English; nothing refused by the
Content-Security-Policy."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_public_accessibility import axe_violations, describe
from tests.browser.test_workspace import _sign_in, watch_refusals

pytestmark = pytest.mark.browser


def test_an_officer_records_a_decision_then_an_agreement_and_signs_it(
    page, demo, sign_in, foreign_requests, csp_violations
):
    from jumelage.agreements.models import Agreement, CouncilDecision
    from jumelage.partners.models import Partnership

    partnership = Partnership.objects.filter(authority=demo).order_by("pk").first()
    assert partnership is not None
    sign_in("officer", "browser-tests-only")
    page.goto(f"/espace/suresnes/partenariats/{partnership.pk}/")

    page.get_by_role("link", name="Enregistrer une délibération").first.click()
    page.wait_for_load_state()
    page.locator("input[name=number]").fill("2025-NAV-1")
    page.locator("input[name=date]").fill("12/05/2025")
    page.locator("textarea[name=subject]").fill("Approuve la convention-cadre 2025-2027")
    page.locator("input[name=transmitted_on]").fill("15/05/2025")
    page.locator("input[name=enforceable_on]").fill("16/05/2025")
    page.get_by_role("button", name="Enregistrer la délibération").click()
    page.wait_for_load_state()
    decision = CouncilDecision.objects.get(authority=demo, number="2025-NAV-1")
    assert "#steps-title" in page.url, page.url

    page.get_by_role("link", name="Enregistrer un acte").click()
    page.wait_for_load_state()
    page.locator("select[name=kind]").select_option("framework_convention")
    page.locator("input[name=title__fr]").fill("Convention-cadre 2025-2027")
    page.locator("textarea[name=object]").fill("Écoles et état civil")
    page.locator("input[name=forecast_commitment]").fill("30 000 €")
    page.locator("select[name=council_decision]").select_option(str(decision.pk))
    page.get_by_role("button", name="Enregistrer l'acte").click()
    page.wait_for_load_state()
    agreement = Agreement.objects.get(partnership=partnership, council_decision=decision)
    assert agreement.status == Agreement.Status.APPROVED
    assert page.url.endswith(f"#agreement-{agreement.pk}"), page.url

    # Its next step, the signature, from the page's button.
    step = page.locator("li.ws-step", has_text="Convention-cadre 2025-2027")
    step.locator("input[name=signed_on]").fill("20/05/2025")
    step.get_by_role("button", name="Enregistrer la signature").click()
    page.wait_for_load_state()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    assert str(agreement.signed_on) == "2025-05-20"
    assert csp_violations == []
    assert foreign_requests() == []


def _pages(partnership_pk: int, decision_pk: int, agreement_pk: int) -> list[tuple[str, str]]:
    pages = []
    for prefix, words in (
        ("/espace/suresnes/partenariats/", ("deliberations", "actes", "nouveau")),
        ("/en/workspace/suresnes/partnerships/", ("decisions", "acts", "new")),
    ):
        decisions, acts, new = words
        base = f"{prefix}{partnership_pk}/"
        pages += [
            (f"{base}{decisions}/{new}/", ""),
            (f"{base}{decisions}/{new}/", "errors"),
            (f"{base}{decisions}/{decision_pk}/", ""),
            (f"{base}{acts}/{new}/", ""),
            (f"{base}{acts}/{new}/", "errors"),
            (f"{base}{acts}/{agreement_pk}/", ""),
            (base, ""),
        ]
    return pages


def _do(page: Any, action: str) -> None:
    if action == "errors":
        page.locator("input[name$=_on], input[name=date]").first.fill("31/02/2025")
        page.locator("form.ws-form button[type=submit]").click()
        page.wait_for_load_state()
        page.locator(".ws-error-summary").wait_for()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_acts_forms_pass_axe_in_french_and_english(browser, live_server, demo, width):
    from jumelage.agreements.models import Agreement

    agreement = (
        Agreement.objects.filter(authority=demo, council_decision__isnull=False)
        .order_by("pk")
        .first()
    )
    assert agreement is not None and agreement.council_decision_id is not None
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}, locale="fr-FR"
    )
    page = context.new_page()
    refused = watch_refusals(page)
    try:
        _sign_in(page, "officer")
        failures = []
        for path, action in _pages(
            agreement.partnership_id, agreement.council_decision_id, agreement.pk
        ):
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            _do(page, action)
            assert page.get_by_role("heading", level=1).count() == 1, path
            violations = axe_violations(page)
            if violations:
                failures.append(
                    f"{path} ({action or 'as opened'}) at {width}px:\n{describe(violations)}"
                )
        assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)
        assert refused == []
    finally:
        context.close()
