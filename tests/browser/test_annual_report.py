"""A viewer reading the annual report, in a real browser: the deputy mayor signs in, opens the
reports from the menu, reads the 2025 report of the demo (figures, charts and their tables) in
French then in English, downloads its PDF; axe-core finds no violation in either language, at
phone and desktop widths; the Content-Security-Policy refuses nothing (the charts are SVG with
presentation attributes only) and no request leaves the site."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_public_accessibility import axe_violations, describe
from tests.browser.test_workspace import _sign_in, watch_refusals

pytestmark = pytest.mark.browser

YEAR = 2025  # the year of the demo's projects
REPORT_FR = f"/espace/suresnes/rapport-annuel/{YEAR}/"
REPORT_EN = f"/en/workspace/suresnes/annual-report/{YEAR}/"


def test_a_viewer_reads_the_annual_report_and_downloads_it(
    page, demo, sign_in, foreign_requests, csp_violations
):
    sign_in("viewer", "browser-tests-only")
    page.goto("/espace/suresnes/")
    page.get_by_role("navigation", name="Menu de l'espace de travail").get_by_role(
        "link", name="Rapports et déclarations"
    ).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).text_content() == "Rapports et déclarations"
    page.get_by_role("link", name=f"Rapport annuel {YEAR}", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith(REPORT_FR), page.url
    assert page.get_by_role("heading", level=1).text_content() == f"Rapport annuel {YEAR}"

    brief = page.locator(".report-figure")
    spent = brief.filter(has_text="Dépenses").locator(".report-figure-value").inner_text()
    assert spent.replace("\u202f", " ").replace("\xa0", " ") == "22 000 €"
    leverage = brief.filter(has_text="Effet levier").locator(".report-figure-value")
    assert leverage.inner_text() == "1,67"
    # Each chart is an image with a name, and its figures are in a table beside it.
    charts = page.get_by_role("img")
    assert charts.count() == 4
    country = page.get_by_role("table", name="Dépenses par pays\u202f: montants et parts")
    assert country.get_by_role("rowheader", name="Haïti").is_visible()
    assert country.get_by_role("cell", name="12 000 €").is_visible()
    assert page.get_by_role("heading", level=2, name="Ce qui a été accompli").is_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name=f"Télécharger le rapport {YEAR} (PDF)").click()
    pdf = download.value
    assert pdf.suggested_filename == f"rapport-annuel-{YEAR}-suresnes.pdf"
    with open(pdf.path(), "rb") as file:
        assert file.read(5) == b"%PDF-"

    page.get_by_role("navigation", name="Langue").get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.url.endswith(REPORT_EN), page.url
    assert page.get_by_role("heading", level=1).text_content() == f"Annual report {YEAR}"
    assert page.get_by_role("table", name="Money spent by country: amounts and shares").is_visible()
    assert csp_violations == []
    assert foreign_requests() == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_reports_pass_axe_in_french_and_english(browser, live_server, demo, width):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}, locale="fr-FR"
    )
    page: Any = context.new_page()
    refused = watch_refusals(page)
    try:
        _sign_in(page, "viewer")
        failures = []
        for path in (
            "/espace/suresnes/rapports/",
            REPORT_FR,
            "/en/workspace/suresnes/reports/",
            REPORT_EN,
        ):
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            assert page.locator("html").get_attribute("lang") == ("en" if "/en/" in path else "fr")
            violations = axe_violations(page)
            if violations:
                failures.append(f"{path} at {width}px:\n{describe(violations)}")
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)
        assert refused == []
    finally:
        context.close()
