"""The demo city's public page in a real browser: what it shows from the data, the map, the
share links, the language switch, and that nothing is asked of another host."""

from __future__ import annotations

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

TWIN_TOWNS = ["Colmenar Viejo", "Hackney", "Hann. Münden", "Holon", "Kragujevac", "Villach"]


def test_the_suresnes_page_shows_its_twin_towns_cooperations_and_service(
    page, demo, foreign_requests
):
    page.goto("/en/suresnes/")

    assert page.get_by_role("heading", level=1).text_content() == "International relations"
    twin_list = page.locator("#partner-towns .town-list").first
    names = [name.strip() for name in twin_list.locator(".town-name").all_text_contents()]
    assert [name.split(" (")[0] for name in names] == TWIN_TOWNS
    cooperations = page.locator("#cooperation .card-title").all_text_contents()
    assert [c.split(" (")[0].strip() for c in cooperations] == ["Cap-Haïtien", "Kragujevac"]
    contact = page.locator(".contact-card")
    assert "22 rue des Carrières" in contact.text_content()
    assert contact.get_by_role("link", name="01 42 04 96 77").get_attribute("href") == (
        "tel:+33142049677"
    )
    assert contact.locator(".hours-row").count() == 5  # Monday to Friday
    assert contact.locator(".open-now").count() == 1  # open or closed, always said in words
    # Foreign names carry their language.
    assert page.locator('.local-name[lang="sr"]').first.text_content() == "(Крагујевац)"
    assert page.locator('.local-name[lang="he"][dir="rtl"]').count() >= 1
    assert foreign_requests() == []


def test_the_map_is_an_image_with_a_name_and_a_marker_per_twin_town(page, demo):
    page.goto("/en/suresnes/")

    svg = page.get_by_role("img", name="Map of the partner towns of Suresnes")
    assert svg.count() == 1
    description = page.locator("svg.jm-map desc").text_content()
    for town in [*TWIN_TOWNS, "Cap-Haïtien"]:
        assert town in description
    wide = page.locator("svg.jm-map g.jm-wide")
    assert wide.is_visible()
    # One circle per twin town (Kragujevac's sits in its cooperation diamond), one diamond per
    # cooperation, one square for the city itself.
    assert wide.locator("circle.jm-twin").count() == len(TWIN_TOWNS)
    assert wide.locator("path.jm-coop").count() == 2
    assert wide.locator("rect.jm-member").count() == 1
    labels = wide.locator("text").all_text_contents()
    assert sorted(labels) == sorted([*TWIN_TOWNS, "Cap-Haïtien", "Suresnes"])
    # The list beside it names every twin town too.
    assert page.locator("#partner-towns .town-list").first.locator("li").count() == 6


def test_on_a_phone_the_map_shows_bigger_marks_for_the_same_towns(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto("/suresnes/")
        assert not page.locator("svg.jm-map g.jm-wide").is_visible()
        narrow = page.locator("svg.jm-map g.jm-narrow")
        assert narrow.is_visible()
        assert narrow.locator("circle.jm-twin").count() == len(TWIN_TOWNS)
        assert "Suresnes" in narrow.locator("text").all_text_contents()
    finally:
        context.close()


def test_the_share_links_are_plain_links_to_this_page(page, demo, live_server):
    page.goto("/en/suresnes/")
    address = quote(f"{live_server.url}/en/suresnes/", safe="")
    share = page.locator(".share")

    hrefs = share.locator("a").evaluate_all("links => links.map(link => link.href)")
    assert f"https://www.facebook.com/sharer/sharer.php?u={address}" in hrefs
    assert f"https://www.linkedin.com/sharing/share-offsite/?url={address}" in hrefs
    assert any(h.startswith(f"https://twitter.com/intent/tweet?url={address}") for h in hrefs)
    assert any(h.startswith("mailto:?subject=") and address in h for h in hrefs)
    assert share.get_by_role("link", name="Share on Facebook").count() == 1
    assert share.get_by_role("link", name="Share on X (formerly Twitter)").count() == 1


def test_copy_the_link_copies_the_address_and_says_so(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto("/en/suresnes/")
        page.get_by_role("link", name="Copy the link").click()
        status = page.locator("[data-copy-status]")
        status.wait_for(state="visible")
        assert status.text_content() == "Link copied to the clipboard."
        assert page.url == f"{live_server.url}/en/suresnes/"  # no navigation
        assert page.evaluate("navigator.clipboard.readText()") == (
            f"{live_server.url}/en/suresnes/"
        )
    finally:
        context.close()


def test_the_language_switch_leads_to_the_same_page_in_the_other_language(page, demo):
    page.goto("/suresnes/projets/etat-civil-cap-haitien-exemple/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Appui à l'état civil" in page.get_by_role("heading", level=1).text_content()

    page.get_by_role("navigation", name="Langue").get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.url.endswith("/en/suresnes/projects/etat-civil-cap-haitien-exemple/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Civil registration support" in page.get_by_role("heading", level=1).text_content()

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Français").click()
    page.wait_for_load_state()
    assert page.url.endswith("/suresnes/projets/etat-civil-cap-haitien-exemple/")
    assert "/en/" not in page.url
    assert page.context.cookies() == []  # the choice is in the address, not in a cookie


def test_an_unpublished_project_answers_404_in_the_browser(page, demo):
    from jumelage.projects.models import Project

    project = Project.objects.get(authority=demo, slug="etat-civil-cap-haitien-exemple")
    Project.objects.filter(pk=project.pk).update(is_public=False)
    from django.core.cache import cache

    cache.clear()  # a direct update skips the services that expire the pages

    response = page.goto("/suresnes/projets/etat-civil-cap-haitien-exemple/")
    assert response.status == 404
    page.goto("/suresnes/")
    assert page.get_by_text("Appui à l'état civil de Cap-Haïtien").count() == 0
