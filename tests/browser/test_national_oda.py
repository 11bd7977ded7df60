"""A national body's reader in a real browser: signs in, lands on the ODA of every member
authority, opens the demo's year, reads Suresnes' line and downloads the CSV; axe-core finds no
violation on the page (nor on the back office's home that links to it) in French and in
English, at phone and desktop widths; the
Content-Security-Policy refuses nothing and no request leaves the site."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_public_accessibility import axe_violations, describe
from tests.browser.test_workspace import watch_refusals

pytestmark = pytest.mark.browser

YEAR = 2025  # the year of the demo's payments
PAGE_FR = f"/reporting/national/oda/{YEAR}/"
PAGE_EN = f"/en/reporting/national/oda/{YEAR}/"
PASSWORD = "browser-tests-only"


@pytest.fixture
def reader(demo: Any) -> Any:
    """A reader of a national body: marked by the instance, a member of no authority."""
    from jumelage.accounts.tests.factories import UserFactory

    return UserFactory(username="ministere", reads_national_reports=True, password=PASSWORD)


def test_a_national_reader_lands_on_every_authoritys_oda_and_downloads_it(
    page, reader, sign_in, foreign_requests, csp_violations
):
    sign_in("ministere", PASSWORD)
    assert "/reporting/national/oda/" in page.url, page.url  # no workspace: this page
    page.goto(PAGE_FR)
    assert page.get_by_role("heading", level=1).text_content() == (
        f"APD de toutes les collectivités membres pour {YEAR}"
    )
    authorities = page.get_by_role("table", name="Par collectivité, par montant décroissant")
    assert authorities.get_by_role("rowheader", name="Suresnes").is_visible()
    assert page.get_by_role("table", name="Par catégorie").is_visible()
    assert (
        page.get_by_role("table", name="Par pays")
        .get_by_role("rowheader", name="Haïti")
        .is_visible()
    )

    with page.expect_download() as download:
        page.get_by_role("link", name="tableau CSV (séparateur point-virgule, pour Excel)").click()
    assert download.value.suggested_filename == f"oda-national-{YEAR}.csv"
    with open(download.value.path(), encoding="utf-8-sig") as file:
        lines = file.read().splitlines()
    assert any(line.startswith("Suresnes;suresnes;") for line in lines), lines
    assert csp_violations == []
    assert foreign_requests() == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_national_page_passes_axe_in_french_and_english(browser, live_server, reader, width):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}, locale="fr-FR"
    )
    page: Any = context.new_page()
    refused = watch_refusals(page)
    try:
        page.goto("/admin/login/")
        page.fill("#id_username", "ministere")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_load_state()
        failures = []
        # The page, and the back office's home that links to it.
        for path in (PAGE_FR, PAGE_EN, "/admin/", "/en/admin/"):
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            assert page.locator("html").get_attribute("lang") == ("en" if "/en/" in path else "fr")
            violations = axe_violations(page)
            if violations:
                failures.append(f"{path} at {width}px:\n{describe(violations)}")
        assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)
        assert refused == []
    finally:
        context.close()
