"""The public IATI file per authority, and the staff page listing what the export leaves out."""

from __future__ import annotations

import pytest
from django.urls import reverse
from lxml import etree

from jumelage.projects.models import Project
from jumelage.reporting.iati.reference import activity_schema, safe_parser
from jumelage.reporting.tests.factories import full_project


def file_url(slug: str) -> str:
    return reverse("reporting:iati_activities", args=[slug])


def check_url(slug: str) -> str:
    return reverse("reporting:iati_check", args=[slug])


def test_the_public_url_streams_a_valid_file_of_the_published_projects(client, city_a, city_b):
    mine = full_project(city_a)
    full_project(city_a, is_public=False)
    full_project(city_b)
    response = client.get(file_url("ville-a"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("application/xml")
    root = etree.fromstring(b"".join(response.streaming_content), safe_parser())
    assert activity_schema().validate(root), activity_schema().error_log
    assert [a.findtext("iati-identifier") for a in root] == [f"FR-RCS-123456789-{mine.slug}"]


def test_the_public_url_is_at_iati_slug_activities_xml():
    from django.utils import translation

    with translation.override("fr"):  # the site's default language has no prefix
        assert file_url("ville-a") == "/iati/ville-a/activities.xml"


def test_the_public_url_leaves_out_a_broken_project_and_serves_the_rest(client, city_a):
    good = full_project(city_a)
    bad = full_project(city_a)
    bad.sectors.all().delete()
    root = etree.fromstring(
        b"".join(client.get(file_url("ville-a")).streaming_content), safe_parser()
    )
    assert [a.findtext("iati-identifier") for a in root] == [f"FR-RCS-123456789-{good.slug}"]


@pytest.mark.parametrize("case", ["unknown", "inactive", "unpublished", "all_broken"])
def test_the_public_url_is_404_when_there_is_nothing_to_publish(client, city_a, case):
    project = full_project(city_a)
    slug = "ville-a"
    if case == "unknown":
        slug = "nowhere"
    elif case == "inactive":
        city_a.is_active = False
        city_a.save()
    elif case == "unpublished":
        Project.objects.filter(pk=project.pk).update(is_public=False)
    else:
        project.sectors.all().delete()
    assert client.get(file_url(slug)).status_code == 404


def test_the_check_page_lists_left_out_projects_with_what_to_fix(client, officer_a, city_a):
    full_project(city_a)
    bad = full_project(city_a, title={"fr": "Projet sans secteur"})
    bad.sectors.all().delete()
    client.force_login(officer_a)
    response = client.get(check_url("ville-a"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Projet sans secteur" in page
    assert "No sector is given; add at least one DAC sector" in page
    assert "admin/base_site.html" in [t.name for t in response.templates]
    # Each project leads to its form in the workspace, where what is listed is fixed.
    edit = reverse("workspace:project_edit", args=["ville-a", bad.pk])
    assert f'<a href="{edit}">Projet sans secteur</a>' in page
    assert f"/admin/projects/project/{bad.pk}/" not in page


def test_the_check_page_is_refused_to_another_authoritys_staff(client, officer_b, city_a):
    full_project(city_a)
    client.force_login(officer_b)
    assert client.get(check_url("ville-a")).status_code == 404


def test_the_check_page_is_refused_to_a_staff_user_of_no_authority(client, outsider, city_a):
    client.force_login(outsider)
    assert client.get(check_url("ville-a")).status_code == 404


def test_the_check_page_sends_an_anonymous_visitor_to_sign_in(client, city_a):
    response = client.get(check_url("ville-a"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_check_page_is_refused_to_a_member_who_is_not_staff(client, officer_a, city_a):
    officer_a.is_staff = False
    officer_a.save()
    client.force_login(officer_a)
    assert client.get(check_url("ville-a")).status_code == 302
