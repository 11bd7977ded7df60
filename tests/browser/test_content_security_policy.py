"""The Content-Security-Policy refuses nothing that the pages need: public pages, the map,
an embeddable block, the back office's own scripts (lists, forms, autocomplete) and the report
pages (htmx) load with no violation reported by the browser."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def visit(page: Any, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    assert "Content-Security-Policy" in response.headers or "content-security-policy" in (
        response.headers
    ), path
    page.wait_for_load_state("networkidle")


def test_public_pages_load_with_no_policy_violation(page, demo, csp_violations):
    from jumelage.content.models import NewsItem

    news = NewsItem.objects.filter(authority=demo, is_public=True).first()
    for path in [
        "/",
        f"/{demo.slug}/",
        f"/{demo.slug}/actualites/{news.slug}/",
        f"/{demo.slug}/contact/",
        f"/{demo.slug}/map.svg",
        f"/{demo.slug}/embed/twin-towns/?map=1",
        f"/en/{demo.slug}/",
    ]:
        visit(page, path)
    page.goto(f"/{demo.slug}/")
    # The map's styles come from the linked stylesheet: the sea is drawn in its colour.
    sea = page.locator(".jm-sea").first.evaluate("element => getComputedStyle(element).fill")
    assert sea == "rgb(221, 232, 243)"
    assert csp_violations == []


def test_back_office_pages_load_with_no_policy_violation(page, demo, sign_in, csp_violations):
    from django.utils import timezone

    from jumelage.accounts.models import User
    from jumelage.projects.models import Project
    from jumelage.reporting.models import SpreadsheetJob

    visit(page, "/admin/login/")
    sign_in("officer", "browser-tests-only")
    project = Project.objects.filter(authority=demo).first()
    job = SpreadsheetJob.objects.create(
        owner=User.objects.get(username="officer"),
        kind=SpreadsheetJob.Kind.EXPORT,
        list_name="partnerships",
        file_format="xlsx",
        status=SpreadsheetJob.Status.RUNNING,
        started_at=timezone.now(),
    )
    for path in [
        "/admin/",
        "/admin/projects/project/",
        "/admin/projects/project/add/",
        f"/admin/projects/project/{project.pk}/change/",
        f"/reporting/oda/{demo.slug}/2025/",
        "/reporting/spreadsheets/",
        f"/reporting/spreadsheets/jobs/{job.pk}/",
        "/en/admin/password_reset/",
    ]:
        visit(page, path)
        if path.endswith("/change/"):
            # The country autocomplete (select2, jQuery) opens its list.
            page.locator(".select2-selection").first.click()
            page.locator(".select2-dropdown").wait_for()
    assert csp_violations == []
