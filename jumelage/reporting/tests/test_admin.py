"""The back office shows imported IATI data read-only; import runs only to their authority."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from jumelage.reporting.models import ExternalActivity, IatiOrganisation, ImportRun


def url(model: Any, view: str, *args: object) -> str:
    return reverse(f"admin:reporting_{model._meta.model_name}_{view}", args=args)


def test_members_read_imported_activities_and_nobody_edits_them(client, officer_a, officer_b):
    org = IatiOrganisation.objects.create(ref="FR-3", name={"fr": "AFD"}, type="10")
    activity = ExternalActivity.objects.create(
        iati_identifier="FR-3-X", reporting_org=org, title={"fr": "Eau"}, content_hash="x"
    )
    for user in (officer_a, officer_b):
        client.force_login(user)
        page = client.get(url(ExternalActivity, "change", activity.pk))
        assert page.status_code == 200
        assert "Eau" in page.content.decode()
        assert client.get(url(IatiOrganisation, "change", org.pk)).status_code == 200
        assert client.get(url(ExternalActivity, "add")).status_code == 403
        assert client.post(url(ExternalActivity, "change", activity.pk), {}).status_code == 403


def test_an_import_run_is_seen_only_by_the_members_of_its_authority(
    client, officer_a, officer_b, city_a
):
    run = ImportRun.objects.create(authority=city_a, file_name="afd.xml")
    client.force_login(officer_a)
    assert client.get(url(ImportRun, "change", run.pk)).status_code == 200
    assert list(client.get(url(ImportRun, "changelist")).context["cl"].result_list) == [run]
    client.force_login(officer_b)
    assert client.get(url(ImportRun, "change", run.pk)).status_code == 302
    assert list(client.get(url(ImportRun, "changelist")).context["cl"].result_list) == []


def test_the_back_office_is_closed_to_a_staff_user_of_no_authority(client, outsider):
    client.force_login(outsider)
    assert client.get(url(ExternalActivity, "changelist")).status_code == 403
