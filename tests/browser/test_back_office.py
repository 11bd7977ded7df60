"""The back office in a real browser: signing in, a list page, the interface language."""

from __future__ import annotations

import pytest

from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory

pytestmark = pytest.mark.browser


def test_an_officer_signs_in_and_sees_their_partnerships(
    page, sign_in, foreign_requests, officer_a, city_a, city_b, tmp_path
):
    PartnershipFactory(authority=city_a, partner=ForeignAuthorityFactory(name="Cap-Haïtien"))
    PartnershipFactory(authority=city_b, partner=ForeignAuthorityFactory(name="Kragujevac"))

    page.goto("/admin/")
    assert "/admin/login/" in page.url  # signed out: sent to the sign-in page
    sign_in("officer_a")
    page.goto("/admin/partners/partnership/")

    assert page.get_by_text("Cap-Haïtien").first.is_visible()
    assert page.get_by_text("Kragujevac").count() == 0  # another city's partnership
    screenshot = tmp_path / "partnerships.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 1000
    assert foreign_requests() == []


def test_the_interface_is_french_by_default_and_english_under_en(page, db):
    page.goto("/admin/login/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_text("Nom d\u2019utilisateur").count() == 1

    page.goto("/en/admin/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("Username").count() == 1
