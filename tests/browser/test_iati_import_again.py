"""Another publisher's IATI file imported twice, in a real browser: the demo's officer sends it
from the spreadsheets page, follows the job to its result, then sends the very same file again
(as one does after fetching it anew) and is told it was imported already, with nothing read or
written. axe-core on the form and on both job pages, in French."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_public_accessibility import axe_violations, describe
from tests.browser.test_workspace import watch_refusals

pytestmark = pytest.mark.browser

FILE = Path(__file__).parents[2] / "jumelage/reporting/tests/data/afd_like.xml"


def french(text: str) -> str:
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("fr"):
        return gettext(text)


def test_the_same_iati_file_sent_again_is_not_read_again(browser, live_server, demo):
    from jumelage.partners.models import MemberAuthority
    from jumelage.reporting.models import ExternalActivity, ImportRun

    suresnes = MemberAuthority.objects.get(slug="suresnes")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="fr-FR"
    )
    page = context.new_page()
    page.set_default_timeout(60_000)  # a loaded machine: the import runs as a job
    refused = watch_refusals(page)
    failures: list[str] = []

    def check() -> None:
        page.wait_for_load_state()
        violations = axe_violations(page)
        if violations:
            failures.append(f"{page.url}:\n{describe(violations)}")

    def send() -> str:
        response = page.goto("/reporting/spreadsheets/")
        assert response is not None and response.status == 200
        check()
        form = page.locator("form[action$='/iati-import/']")
        form.locator("select[name='authority']").select_option(value=str(suresnes.pk))
        form.locator("input[type=file]").set_input_files(str(FILE))
        form.locator("[type=submit]").click()
        page.wait_for_load_state()
        page.locator("#job-progress[aria-busy='false']").wait_for()
        check()
        return page.locator("#job-progress").inner_text()

    try:
        page.goto("/admin/login/")
        page.fill("#id_username", "officer")
        page.fill("#id_password", "browser-tests-only")
        page.click("input[type=submit]")
        page.wait_for_load_state()

        first = send()
        assert first.strip().startswith("3 activités importées"), first
        assert ExternalActivity.objects.count() == 3
        stored = list(ExternalActivity.objects.order_by("pk").values())

        again = send()
        words = french(
            "The same file was imported on %(when)s and its %(activities)s activities are "
            "stored as it left them: nothing was read again or written. %(warnings)s "
            "warnings (listed on the IATI imports page)."
        )
        before_date = words.split("%(when)s")[0]
        assert before_date in again, again
        assert "rien n'a été relu ni écrit" in words  # the catalogue's French, as shipped
        assert list(ExternalActivity.objects.order_by("pk").values()) == stored
        runs = list(ImportRun.objects.order_by("pk"))
        assert len(runs) == 2 and runs[1].same_as == runs[0]
        assert page.locator("h1").inner_text().startswith("Import IATI")
        page.screenshot(path="/tmp/iati-import-again.png", full_page=True)
        page.click("#job-progress a[href*='importrun']")
        page.wait_for_load_state()
        assert "afd_like.xml" in page.locator("#result_list").inner_text()
    finally:
        context.close()
    assert not failures, "\n\n".join(failures)
    assert not refused, refused
