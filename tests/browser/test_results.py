"""Approving a contributor's indicator update, in a real browser: the demo's contributor reports
a period's value on the civil registry project (a mistyped value first), the officer finds it
on the home's to-do list, approves it and it becomes the published value; a refused value comes
back to the contributor with its reason. Then axe-core on the results and people pages, in
French and English."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.test_public_accessibility import axe_violations, describe
from tests.browser.test_workspace import watch_refusals

pytestmark = pytest.mark.browser

PASSWORD = "browser-tests-only"
PROJECT_SLUG = "etat-civil-cap-haitien-exemple"


def _project_url(prefix: str = "/en/workspace") -> str:
    from jumelage.projects.models import Project

    project = Project.objects.get(slug=PROJECT_SLUG)
    word = "projects" if prefix.startswith("/en") else "projets"
    return f"{prefix}/suresnes/{word}/{project.pk}/"


def _signed_in(browser: Any, live_server: Any, username: str, **options: Any) -> tuple[Any, Any]:
    context = browser.new_context(base_url=live_server.url, **options)
    page = context.new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state()
    assert "/admin/login/" not in page.url, f"{username} could not sign in"
    return context, page


def _report(page: Any, indicator: str, year: str, value: str, comment: str = "") -> None:
    page.goto(_project_url())
    page.get_by_role(
        "link", name=re.compile(rf"Report the value \({re.escape(indicator)}, \S*{year}")
    ).click()
    page.wait_for_load_state()
    page.get_by_label("Value reached").fill(value)
    if comment:
        page.get_by_label("Comment").fill(comment)
    page.get_by_role("button", name="Send for approval").click()
    page.wait_for_load_state()


def test_an_officer_approves_a_contributors_indicator_update(browser, live_server, demo):
    registrars = "Number of civil registrars trained"
    contributor, page = _signed_in(browser, live_server, "contributor")
    errors = watch_refusals(page)
    try:
        # A mistyped value is refused, saying what to fix; nothing is sent.
        _report(page, registrars, "2026", "dix-huit")
        summary = page.get_by_role("alert")
        assert "There is a problem" in summary.text_content()
        summary.get_by_role("link").first.click()  # the summary leads to the field
        assert page.evaluate("document.activeElement.name") == "value"
        page.get_by_label("Value reached").fill("18")
        page.get_by_label("Comment").fill("Two training sessions in Cap-Haïtien")
        page.get_by_role("button", name="Send for approval").click()
        page.wait_for_load_state()
        assert page.get_by_text("Value sent: an officer approves it").is_visible()
        results = page.locator("section[aria-labelledby=results-title]")
        assert results.get_by_text("waiting for approval").first.is_visible()
        # Another value, which the officer will refuse.
        _report(page, "Share of birth registers digitised", "2025", "45")
        assert errors == []
    finally:
        contributor.close()

    officer, page = _signed_in(browser, live_server, "officer")
    errors = watch_refusals(page)
    try:
        page.goto("/en/workspace/suresnes/")
        page.get_by_role("link", name="2 indicator updates to approve").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", level=1).text_content() == "Values to approve"

        approval = page.locator("section.ws-approval", has_text=registrars)
        assert approval.get_by_text("Two training sessions in Cap-Haïtien").is_visible()
        approval.get_by_role("button", name="Approve and publish").click()
        page.wait_for_load_state()
        assert page.get_by_text("it is now the published value").is_visible()

        refusal = page.locator("section.ws-approval", has_text="Share of birth registers")
        refusal.get_by_role("button", name="Refuse").click()  # without a reason first
        page.wait_for_load_state()
        refusal = page.locator("section.ws-approval", has_text="Share of birth registers")
        assert refusal.get_by_text("Say why the value is refused").first.is_visible()
        refusal.get_by_label("Why is it refused?").fill("45 counts the 2024 registers too.")
        refusal.get_by_role("button", name="Refuse").click()
        page.wait_for_load_state()
        assert page.get_by_text("No value waits for approval.").is_visible()

        page.goto("/en/workspace/suresnes/")
        assert page.get_by_role("link", name=re.compile("indicator update")).count() == 0
        page.goto(_project_url())
        table = page.locator("table", has=page.locator("caption", has_text=registrars))
        row = table.locator("tbody tr", has_text="2026")
        assert row.locator("td").nth(1).text_content().strip() == "18"  # the published value
        assert errors == []
    finally:
        officer.close()

    contributor, page = _signed_in(browser, live_server, "contributor")
    try:
        page.goto(_project_url())
        assert page.get_by_text("Refused because: 45 counts the 2024 registers too.").is_visible()
    finally:
        contributor.close()

    # The public page shows the approved value, not the refused one.
    public = browser.new_context(base_url=live_server.url)
    try:
        page = public.new_page()
        page.goto(f"/en/suresnes/projects/{PROJECT_SLUG}/")
        text = page.locator("main").text_content()
        assert "18" in text and "45" not in text
    finally:
        public.close()


def _pages() -> list[str]:
    from jumelage.actors.models import Actor, Person
    from jumelage.projects.models import IndicatorPeriod

    period = IndicatorPeriod.objects.filter(
        indicator__result__project__slug=PROJECT_SLUG, actual_value__isnull=True
    ).first()
    assert period is not None
    actor = Actor.objects.filter(authority__slug="suresnes").first()
    person = Person.objects.filter(authority__slug="suresnes", is_volunteer=True).first()
    assert actor is not None and person is not None
    pages = []
    for prefix, words in (
        ("/espace", ("projets", "periodes", "valeurs-a-valider", "personnes", "acteurs")),
        ("/en/workspace", ("projects", "periods", "values-to-approve", "people", "actors")),
    ):
        project = _project_url(prefix)
        pages += [
            project,
            f"{project}{words[1]}/{period.pk}/",
            f"{prefix}/suresnes/{words[2]}/",
            f"{prefix}/suresnes/{words[3]}/",
            f"{prefix}/suresnes/{words[3]}/?q=eau%2C+espagnol%2C+mars",
            f"{prefix}/suresnes/{words[3]}/{person.pk}/",
            f"{prefix}/suresnes/{words[4]}/",
            f"{prefix}/suresnes/{words[4]}/{actor.pk}/",
        ]
    return pages


@pytest.mark.parametrize("width", [390, 1280])
def test_the_results_and_people_pages_pass_axe_in_french_and_english(
    browser, live_server, demo, width
):
    from jumelage.projects.models import IndicatorPeriod
    from jumelage.projects.result_services import indicator_update_submit

    # A value waiting, so that the values to approve show one with its forms.
    period = IndicatorPeriod.objects.filter(
        indicator__result__project__slug=PROJECT_SLUG, actual_value__isnull=False
    ).first()
    from django.contrib.auth import get_user_model

    indicator_update_submit(
        period=period,
        user=get_user_model().objects.get(username="contributor"),
        value=period.actual_value + 1,
        expected_version=period.indicator.version,
    )
    context, page = _signed_in(
        browser, live_server, "officer", viewport={"width": width, "height": 900}
    )
    errors = watch_refusals(page)
    try:
        failures = []
        for path in _pages():
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            assert page.get_by_role("heading", level=1).count() == 1, path
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
            violations = axe_violations(page)
            if violations:
                failures.append(f"{path} at {width}px:\n{describe(violations)}")
        assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)
        assert errors == []
    finally:
        context.close()
