"""The back office, the report pages and the sign-in pages carry the Content-Security-Policy and
the Permissions-Policy, hold nothing inline that the policy refuses, and are never framed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jumelage.projects.tests.factories import ProjectFactory
from jumelage.public.tests.test_security_headers import inline_code, policy
from jumelage.reporting.models import SpreadsheetJob


def back_office_urls(city_a, officer_a) -> list[str]:
    project = ProjectFactory(authority=city_a)
    job = SpreadsheetJob.objects.create(
        owner=officer_a,
        kind=SpreadsheetJob.Kind.EXPORT,
        list_name="partnerships",
        file_format="xlsx",
        status=SpreadsheetJob.Status.RUNNING,
        started_at=timezone.now(),
    )
    return [
        reverse("admin:index"),
        reverse("admin:projects_project_changelist"),
        reverse("admin:projects_project_change", args=[project.pk]),
        reverse("admin:projects_project_add"),
        reverse("reporting:oda_declaration", args=[city_a.slug, 2025]),
        reverse("reporting:atlas_sheets", args=[city_a.slug]),
        reverse("reporting:iati_check", args=[city_a.slug]),
        reverse("reporting:spreadsheets"),
        reverse("reporting:spreadsheet_job", args=[job.pk]),
    ]


def signed_out_urls() -> list[str]:
    return [
        reverse("admin:login"),
        reverse("admin_password_reset"),
        reverse("password_reset_done"),
    ]


def check(response, url: str) -> None:
    assert response.status_code in {200, 429}, url
    directives = policy(response)
    assert directives["script-src"] == ["'self'"], url
    assert directives["style-src"] == ["'self'"], url
    assert directives["frame-ancestors"] == ["'none'"], url
    assert response.headers["X-Frame-Options"] == "DENY", url
    assert "camera=()" in response.headers["Permissions-Policy"], url
    assert inline_code(response.content.decode()) == [], url


def test_every_back_office_and_report_page_carries_the_policy_and_nothing_inline(
    client, city_a, officer_a
):
    urls = back_office_urls(city_a, officer_a)
    client.force_login(officer_a)
    for url in urls:
        check(client.get(url), url)


def test_the_sign_in_and_reset_pages_carry_the_policy_and_nothing_inline(db):
    for url in signed_out_urls():
        check(Client().get(url), url)


def test_the_lockout_page_carries_the_policy(officer_a, settings):
    settings.AXES_FAILURE_LIMIT = 1
    response = Client().post(reverse("admin:login"), {"username": "officer_a", "password": "x"})
    assert response.status_code == 429
    check(response, "lockout")


@pytest.mark.parametrize("url", ["/api/v1/projects", "/documents/1/x.pdf"])
def test_answers_that_are_not_pages_get_the_policy_too(client, db, url):
    assert "Content-Security-Policy" in client.get(url).headers
