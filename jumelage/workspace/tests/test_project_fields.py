"""The project form's objectives, SDG targets, ODA purpose and IATI identifier: written through
`projects.services.project_save` like the rest of the form (SDG targets checked against the
UN list as loaded from the reference files, typed as officers type them); the identifier's
rule is the IATI file's, shown beside the box as a warning. Another authority finds nothing,
a viewer cannot write, a stale page writes nothing."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from jumelage.audit.models import AuditEntry
from jumelage.core.models import CodelistItem
from jumelage.core.reference_data import REFERENCE_DIR, read_codelist
from jumelage.projects.models import Project
from jumelage.projects.tests.factories import ProjectFactory
from jumelage.reporting.iati.export import ActivityBuilder
from jumelage.tenancy.access import may_write
from jumelage.workspace.pages.projects import FORM_MODELS
from jumelage.workspace.tests.test_project_edit import codes, edit_url, form_data  # noqa: F401

# The countries and sectors the form's rows use (`test_project_edit.codes`).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("codes")]

DEVELOPMENT = Project.OdaPurpose.DEVELOPMENT
ORG_ID = "FR-RCS-123456789"  # city_a's SIREN (conftest)


@pytest.fixture
def sdg_list(db):
    """The UN SDG targets as the instance loads them (`load_reference`)."""
    path = REFERENCE_DIR / "iati" / "codelists" / "UNSDG-Targets.xml"
    CodelistItem.objects.bulk_create(read_codelist(path, "UNSDG-Targets"))


@pytest.fixture
def project(city_a):
    return ProjectFactory(
        authority=city_a,
        title={"fr": "Avant"},
        slug="eau-cap-haitien",
        objectives={"fr": "Ancien objectif"},
        sdg_targets=[],
        version=1,
    )


def fields(**overrides: object) -> dict[str, object]:
    return form_data(
        **{
            "version": 1,
            "objectives__fr": "Des fontaines qui marchent toute l'année.",
            "objectives__en": "Fountains that work all year round.",
            "sdg_targets": "6.1, 16.6",
            "oda_purpose": DEVELOPMENT,
            "iati_identifier": f"{ORG_ID}-EAU-2025",
            **overrides,
        }
    )


def unchanged(project: Project) -> None:
    project.refresh_from_db()
    assert project.title == {"fr": "Avant"}
    assert project.objectives == {"fr": "Ancien objectif"}
    assert project.sdg_targets == []
    assert project.oda_purpose == Project.OdaPurpose.NOT_CHECKED
    assert project.iati_identifier == ""
    assert project.version == 1
    assert not AuditEntry.objects.filter(object_id=str(project.pk)).exists()


def test_an_officer_writes_the_four_fields_and_reads_them_back(
    client, officer_a, project, sdg_list
):
    client.force_login(officer_a)
    response = client.post(edit_url(project), fields())

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.objectives == {
        "fr": "Des fontaines qui marchent toute l'année.",
        "en": "Fountains that work all year round.",
    }
    assert project.sdg_targets == ["6.1", "16.6"]
    assert project.oda_purpose == DEVELOPMENT
    assert project.iati_identifier == f"{ORG_ID}-EAU-2025"
    assert project.version == 2
    entry = AuditEntry.objects.get(object_id=str(project.pk), action="update")
    assert {"sdg_targets", "oda_purpose", "iati_identifier", "objectives"} <= set(entry.changes)

    page = client.get(edit_url(project)).content.decode()
    assert ">\n6.1, 16.6</textarea>" in page
    assert f'value="{ORG_ID}-EAU-2025"' in page
    assert f'value="{DEVELOPMENT}" id="id_oda_purpose_1" checked' in page
    assert "Fountains that work all year round." in page
    # No warning: the identifier passes the IATI file's check.
    assert 'id="id_iati_identifier-warning"' not in page


def test_the_back_office_is_no_longer_needed_for_them(client, officer_a, project):
    client.force_login(officer_a)
    page = client.get(edit_url(project)).content.decode()
    assert "still written in the" not in page
    assert "/admin/projects/project/" not in page
    assert "<legend>Objectives and SDGs</legend>" in page
    assert "<legend>ODA and IATI</legend>" in page
    # Each box is tied to its hint for screen readers, on the first display too.
    assert 'aria-describedby="id_sdg_targets-hint"' in page
    assert 'aria-describedby="id_iati_identifier-hint"' in page


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("6,1 ; 16,6", ["6.1", "16.6"]),
        ("6.1 16.6 4.A", ["6.1", "16.6", "4.a"]),
        ("6.1\r\n16.6\r\n6.1\r\n", ["6.1", "16.6"]),
        ("", []),
    ],
)
def test_sdg_targets_are_read_as_officers_type_them(
    client, officer_a, project, sdg_list, typed, stored
):
    client.force_login(officer_a)
    response = client.post(edit_url(project), fields(sdg_targets=typed))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.sdg_targets == stored


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("6.1, 42.1", "“42.1” is not a code of the IATI list"),
        ("6.1, 6.9", "“6.9” is not a code of the IATI list"),
        ("6.1 ODD", "“ODD” is not written as an SDG target"),
        ("6.1, 6.1.2", "“6.1.2” is not written as an SDG target"),
    ],
)
def test_a_target_that_is_not_one_is_named_and_nothing_is_written(
    client, officer_a, project, sdg_list, typed, named
):
    client.force_login(officer_a)
    response = client.post(edit_url(project), fields(sdg_targets=typed, **{"title__fr": "Après"}))
    page = response.content.decode()
    assert response.status_code == 400
    assert named in page
    assert 'aria-describedby="id_sdg_targets-hint id_sdg_targets-error"' in page
    assert 'href="#id_sdg_targets"' in page  # the error summary leads to the box
    # What the officer typed comes back, to correct rather than retype.
    assert f">\n{typed}</textarea>" in page
    unchanged(project)


def test_an_unknown_oda_purpose_is_refused(client, officer_a, project, sdg_list):
    client.force_login(officer_a)
    response = client.post(edit_url(project), fields(oda_purpose="maybe"))
    assert response.status_code == 400
    assert 'id="id_oda_purpose-error"' in response.content.decode()
    unchanged(project)


def test_a_stale_page_writes_none_of_them(client, officer_a, project, sdg_list):
    Project.objects.filter(pk=project.pk).update(version=2)
    client.force_login(officer_a)
    response = client.post(edit_url(project), fields(version=1))
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    project.refresh_from_db()
    assert project.version == 2
    assert project.sdg_targets == [] and project.iati_identifier == ""
    assert project.oda_purpose == Project.OdaPurpose.NOT_CHECKED
    assert project.objectives == {"fr": "Ancien objectif"}


def test_another_authoritys_officer_gets_404_and_writes_nothing(
    client, officer_b, project, sdg_list
):
    client.force_login(officer_b)
    assert client.get(edit_url(project)).status_code == 404
    assert client.post(edit_url(project), fields()).status_code == 404
    other = f"/en/workspace/ville-b/projects/{project.pk}/edit/"
    assert client.post(other, fields()).status_code == 404
    unchanged(project)


def test_a_viewer_cannot_write_them(client, viewer_a, project, sdg_list):
    client.force_login(viewer_a)
    assert client.post(edit_url(project), fields()).status_code == 403
    unchanged(project)


def test_a_contributor_writes_them_as_the_access_rule_says(
    client, city_a, contributor_a, project, sdg_list
):
    allowed = all(may_write(contributor_a, city_a.pk, m.write_roles) for m in FORM_MODELS)
    client.force_login(contributor_a)
    response = client.post(edit_url(project), fields())
    if allowed:
        assert response.status_code == 302
        project.refresh_from_db()
        assert project.sdg_targets == ["6.1", "16.6"]
    else:
        assert response.status_code == 403
        unchanged(project)


def test_the_identifier_hint_says_what_the_file_uses_when_it_is_empty(
    client, city_a, officer_a, project
):
    """The hint's identifier is the one the IATI export writes (the same function)."""
    client.force_login(officer_a)
    page = client.get(edit_url(project)).content.decode()
    written = ActivityBuilder(city_a).identifier(project)
    assert written == f"{ORG_ID}-eau-cap-haitien"
    assert f"Left empty, the file uses {written}." in page
    assert f"organisation id, {ORG_ID}, a hyphen" in page
    page = client.get("/en/workspace/ville-a/projects/new/").content.decode()
    assert f"Left empty, the file uses {ORG_ID}, a hyphen and the project" in page


def test_an_identifier_the_iati_file_refuses_is_saved_with_a_warning_beside_its_box(
    client, officer_a, project, sdg_list
):
    """The prefix rule is the IATI file's (`reporting.iati.rules`, rule 1.1.21): the domain
    does not repeat it, the page says what the file's check says."""
    client.force_login(officer_a)
    response = client.post(edit_url(project), fields(iati_identifier="EAU-2025"), follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.iati_identifier == "EAU-2025"
    assert "does not start with the organisation id" in page
    assert "Until then, the IATI file leaves the project out." in page

    page = client.get(edit_url(project)).content.decode()
    assert 'id="id_iati_identifier-warning"' in page
    assert 'aria-describedby="id_iati_identifier-hint id_iati_identifier-warning"' in page
    assert f"change it to start with “{ORG_ID}-”" in page


def test_the_preview_shows_the_objectives_and_writes_nothing(client, officer_a, project, sdg_list):
    client.force_login(officer_a)
    response = client.post(f"/en/workspace/ville-a/projects/{project.pk}/preview/", fields())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Fountains that work all year round." in page
    unchanged(project)


def test_the_new_fields_speak_french(client, officer_a, project):
    client.force_login(officer_a)
    page = client.get(f"/espace/ville-a/projets/{project.pk}/modifier/").content.decode()
    with translation.override("fr"):
        wanted = [
            gettext("Objectives and SDGs"),
            gettext("ODA and IATI"),
            gettext("Main objective, for the ODA declaration"),
            gettext("Left empty, the file uses %(identifier)s.")
            % {"identifier": f"{ORG_ID}-eau-cap-haitien"},
        ]
    assert wanted[0] != "Objectives and SDGs"
    for text in wanted:
        assert escape(text) in page, text
