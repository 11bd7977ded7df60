"""Every kind of public page of the demo, in French and in English, checked by axe-core against
the WCAG 2.1 A and AA rules (and axe's best practices: landmarks, heading order); then reflow at
200 % zoom and on a narrow phone, and no request to another host."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

AXE_VERSION = "4.14.1"
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def public_pages(member: Any) -> list[str]:
    """One address of each kind of public page of the demo (French, unprefixed)."""
    from django.utils import translation

    from jumelage.content.models import NewsItem
    from jumelage.partners.models import Authority
    from jumelage.public.links import partner_url

    cap_haitien = Authority.objects.get(name="Cap-Haïtien")
    kragujevac = Authority.objects.get(name="Kragujevac")
    news = NewsItem.objects.filter(authority=member, is_public=True).first()
    with translation.override("fr"):
        cap_haitien_url = partner_url(member, cap_haitien)
        kragujevac_url = partner_url(member, kragujevac)
    pages = [
        "/accessibilite/",
        f"/{member.slug}/",
        cap_haitien_url,
        kragujevac_url,
        f"/{member.slug}/projets/",
        f"/{member.slug}/projets/etat-civil-cap-haitien-exemple/",
        f"/{member.slug}/projets/echange-scolaire-kragujevac-exemple/",
        f"/{member.slug}/actualites/",
        f"/{member.slug}/actualites/{news.slug}/",
        f"/{member.slug}/visites/",
        f"/{member.slug}/contact/",
        f"/{member.slug}/embed/twin-towns/?map=1",
        f"/{member.slug}/embed/projects/",
    ]
    return pages


def english(path: str) -> str:
    """The same page in English: its English address (the words are translated)."""
    from django.urls import translate_url
    from django.utils import translation

    with translation.override("fr"):
        return translate_url(path, "en")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    # Evaluated through the DevTools protocol, not added as an inline <script>: the pages'
    # Content-Security-Policy refuses inline scripts, and stays on while axe checks them.
    page.evaluate(AXE)
    version = page.evaluate("axe.version")
    assert version == AXE_VERSION, version
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return result["violations"]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
        lines.append(
            f"  {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"    {violation['helpUrl']}\n    on: {'; '.join(targets)}"
        )
    return "\n".join(lines)


def test_every_public_page_passes_axe_in_french_and_in_english(page, demo, foreign_requests):
    failures = []
    checked = 0
    pages = public_pages(demo)
    for path in [*pages, english("/"), *(english(p) for p in pages)]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        expected = "en" if path.startswith("/en/") else "fr"
        assert page.locator("html").get_attribute("lang") == expected, path
        violations = axe_violations(page)
        if violations:
            failures.append(f"{path}:\n{describe(violations)}")
        checked += 1

    assert checked == 2 * len(pages) + 1
    assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)
    assert foreign_requests() == []


@pytest.mark.parametrize("width", [320, 640])
def test_pages_reflow_without_horizontal_scrolling(browser, live_server, demo, width):
    # 640 CSS pixels is a 1280 px screen at 200 % zoom; 320 is WCAG 1.4.10's narrow width.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    try:
        for path in public_pages(demo):
            page.goto(path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    finally:
        context.close()


def test_the_skip_link_is_first_and_moves_the_focus_to_the_content(page, demo):
    page.goto("/suresnes/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == page.locator(".skip-link").text_content().strip()
    assert page.locator(".skip-link").is_visible()  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


def test_the_pages_work_without_javascript(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/suresnes/")
        assert page.get_by_role("heading", level=1).is_visible()
        assert page.locator("svg.jm-map").is_visible()
        copy = page.locator("a[data-copy-link]")
        assert copy.get_attribute("href") == f"{live_server.url}/suresnes/"
        copy.click()
        page.wait_for_load_state()
        assert page.url == f"{live_server.url}/suresnes/"  # a plain link to the page itself
    finally:
        context.close()


def test_the_print_stylesheet_keeps_the_content_and_drops_the_navigation(page, demo):
    page.goto("/suresnes/")
    page.emulate_media(media="print")
    assert not page.locator(".main-nav").is_visible()
    assert not page.locator(".share").is_visible()
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator(".contact-card").is_visible()
