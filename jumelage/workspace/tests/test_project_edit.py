"""The project's form in the workspace: create a project, change its summary and publishing,
preview its public page without saving. Writes go through `projects.services.project_save`;
another authority's officer finds nothing, a viewer cannot write, a stale page writes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from jumelage.audit.models import AuditEntry
from jumelage.core.tests.factories import AtlasThemeFactory, CodelistItemFactory, CountryFactory
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory
from jumelage.projects.models import Project, ProjectCountry, ProjectSector
from jumelage.projects.tests.factories import (
    ProjectCountryFactory,
    ProjectFactory,
    ProjectSectorFactory,
)
from jumelage.tenancy.access import may_write

pytestmark = pytest.mark.django_db

NEW = "/en/workspace/ville-a/projects/new/"
NEW_PREVIEW = "/en/workspace/ville-a/projects/new/preview/"


def edit_url(project: Project) -> str:
    return f"/en/workspace/ville-a/projects/{project.pk}/edit/"


def preview_url(project: Project) -> str:
    return f"/en/workspace/ville-a/projects/{project.pk}/preview/"


@pytest.fixture
def codes(db):
    CountryFactory(code="HT")
    CountryFactory(code="RS")
    CodelistItemFactory(code="15112")
    CodelistItemFactory(code="14030", name_en="Basic drinking water supply")


def rows(prefix: str, items: list[tuple[str, str]], initial: int = 0) -> dict[str, str]:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(items)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    key = "country" if prefix == "countries" else "code"
    for n, (value, percentage) in enumerate(items):
        data[f"{prefix}-{n}-{key}"] = value
        data[f"{prefix}-{n}-percentage"] = percentage
    return data


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title__fr": "Eau potable à Cap-Haïtien",
        "summary__fr": "Des fontaines pour trois écoles.",
        "description__fr": "",
        "slug": "",
        "status": Project.Status.PREPARATION,
        "planned_start": "12/05/2025",
        "planned_end": "31/12/2026",
        "actual_start": "",
        "actual_end": "",
        "places": "Cap-Haïtien",
        "atlas_theme": "",
        "version": "",
        **rows("countries", [("HT", "66,7"), ("RS", "33,3")]),
        **rows("sectors", [("14030", "")]),
    }
    data.update(overrides)
    return data


def test_an_officer_creates_a_project_with_french_dates_and_percentages(
    client, city_a, officer_a, codes
):
    partnership = PartnershipFactory(authority=city_a)
    client.force_login(officer_a)
    page = client.get(NEW)
    assert page.status_code == 200
    response = client.post(
        NEW, form_data(partnerships=[partnership.pk], is_public="on", **{"title__en": "Water"})
    )

    project = Project.objects.get(authority=city_a)
    assert response.status_code == 302
    assert response["Location"] == f"/en/workspace/ville-a/projects/{project.pk}/"
    assert project.title == {"fr": "Eau potable à Cap-Haïtien", "en": "Water"}
    assert project.slug == "eau-potable-a-cap-haitien"
    assert project.planned_start == datetime.date(2025, 5, 12)
    assert project.planned_end == datetime.date(2026, 12, 31)
    assert project.is_public
    assert project.version == 1
    assert {c.country_id: c.percentage for c in project.countries.all()} == {
        "HT": Decimal("66.7"),
        "RS": Decimal("33.3"),
    }
    assert [(s.code, s.percentage) for s in project.sectors.all()] == [("14030", 100)]
    assert list(project.partnerships.all()) == [partnership]
    assert AuditEntry.objects.filter(object_id=str(project.pk), action="create").exists()


def test_the_list_links_new_project_and_the_project_page_links_its_form(
    client, city_a, officer_a, viewer_a
):
    project = ProjectFactory(authority=city_a)
    client.force_login(officer_a)
    assert f'href="{NEW}"' in client.get("/en/workspace/ville-a/projects/").content.decode()
    page = client.get(f"/en/workspace/ville-a/projects/{project.pk}/").content.decode()
    assert f'href="{edit_url(project)}"' in page
    assert "Edit in the back office" not in page
    client.force_login(viewer_a)
    assert f'href="{NEW}"' not in client.get("/en/workspace/ville-a/projects/").content.decode()
    page = client.get(f"/en/workspace/ville-a/projects/{project.pk}/").content.decode()
    assert edit_url(project) not in page


def test_another_authoritys_officer_finds_nothing(client, city_a, city_b, officer_b, codes):
    project = ProjectFactory(authority=city_a, title={"fr": "Avant"})
    client.force_login(officer_b)
    assert client.get(NEW).status_code == 404
    assert client.get(edit_url(project)).status_code == 404
    assert client.post(edit_url(project), form_data(version=project.version)).status_code == 404
    assert client.post(preview_url(project), form_data(version=project.version)).status_code == 404
    assert client.post(NEW, form_data()).status_code == 404
    # Under its own authority's address, city A's project does not exist either.
    other = f"/en/workspace/ville-b/projects/{project.pk}/edit/"
    assert client.get(other).status_code == 404
    project.refresh_from_db()
    assert project.title == {"fr": "Avant"}
    assert Project.objects.count() == 1


def test_a_viewer_cannot_create_change_or_preview(client, city_a, viewer_a, codes):
    project = ProjectFactory(authority=city_a, title={"fr": "Avant"})
    client.force_login(viewer_a)
    assert client.get(NEW).status_code == 403
    assert client.get(edit_url(project)).status_code == 403
    assert client.post(edit_url(project), form_data(version=project.version)).status_code == 403
    assert client.post(NEW, form_data()).status_code == 403
    assert client.post(NEW_PREVIEW, form_data()).status_code == 403
    project.refresh_from_db()
    assert project.title == {"fr": "Avant"}
    assert Project.objects.count() == 1


def test_a_contributor_edits_as_the_access_rule_says(client, city_a, contributor_a, codes):
    project = ProjectFactory(authority=city_a, title={"fr": "Avant"})
    allowed = all(
        may_write(contributor_a, city_a.pk, model.write_roles)
        for model in (Project, ProjectCountry, ProjectSector)
    )
    client.force_login(contributor_a)
    response = client.post(edit_url(project), form_data(version=project.version))
    project.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert project.title == {"fr": "Eau potable à Cap-Haïtien"}
    else:
        assert response.status_code == 403
        assert project.title == {"fr": "Avant"}


def test_a_stale_page_is_refused_with_a_message_and_writes_nothing(
    client, city_a, officer_a, codes
):
    project = ProjectFactory(authority=city_a, title={"fr": "Avant"}, version=3)
    ProjectCountryFactory(project=project, country=CountryFactory(code="HT"))
    client.force_login(officer_a)
    response = client.post(edit_url(project), form_data(version=2))

    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    project.refresh_from_db()
    assert project.title == {"fr": "Avant"}
    assert project.version == 3
    assert [c.country_id for c in project.countries.all()] == ["HT"]
    assert not AuditEntry.objects.filter(object_id=str(project.pk)).exists()


def test_a_change_keeps_the_version_moving_and_saves_the_lists(client, city_a, officer_a, codes):
    project = ProjectFactory(authority=city_a, title={"fr": "Avant"}, version=1)
    ProjectSectorFactory(project=project, code="15112")
    client.force_login(officer_a)
    form = client.get(edit_url(project)).content.decode()
    assert 'name="version" value="1"' in form
    response = client.post(
        edit_url(project),
        form_data(version=1, **rows("sectors", [("15112", "50"), ("14030", "50 %")], initial=1)),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.version == 2
    assert sorted((s.code, s.percentage) for s in project.sectors.all()) == [
        ("14030", Decimal("50")),
        ("15112", Decimal("50")),
    ]


def test_sectors_adding_up_to_more_than_100_are_refused_clearly(client, city_a, officer_a, codes):
    client.force_login(officer_a)
    response = client.post(NEW, form_data(**rows("sectors", [("15112", "60"), ("14030", "50")])))
    page = response.content.decode()
    assert response.status_code == 400
    assert "add up to 110" in page and "they must add up to exactly 100" in page
    assert 'href="#sectors-rows"' in page
    assert Project.objects.count() == 0
    assert not AuditEntry.objects.exists()


def test_unreadable_dates_and_percentages_say_what_to_write(client, city_a, officer_a, codes):
    client.force_login(officer_a)
    response = client.post(
        NEW,
        form_data(planned_start="le mois prochain", **rows("countries", [("HT", "beaucoup")])),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "is not a percentage" in page
    assert 'aria-invalid="true"' in page
    assert Project.objects.count() == 0


def test_the_preview_shows_the_unsaved_values_and_writes_nothing(client, city_a, officer_a, codes):
    project = ProjectFactory(authority=city_a, title={"fr": "Avant"}, version=1, is_public=False)
    partnership = PartnershipFactory(
        authority=city_a, partner=ForeignAuthorityFactory(name="Kragujevac"), is_public=True
    )
    client.force_login(officer_a)
    response = client.post(
        preview_url(project),
        form_data(version=1, partnerships=[partnership.pk], **{"title__en": "Clean water"}),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Clean water</h1>" in page
    assert "Preview – not published yet" in page  # noqa: RUF001
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex"
    assert "Kragujevac" in page and "Cap-Haïtien" in page
    project.refresh_from_db()
    assert project.title == {"fr": "Avant"} and project.version == 1 and not project.is_public
    assert not project.countries.exists() and not project.partnerships.exists()
    assert not AuditEntry.objects.exists()

    # A new project too: nothing is created.
    response = client.post(NEW_PREVIEW, form_data(**{"title__en": "Brand new"}))
    assert response.status_code == 200 and "<h1>Brand new</h1>" in response.content.decode()
    assert Project.objects.count() == 1


def test_the_preview_banner_is_in_french(client, city_a, officer_a, codes):
    client.force_login(officer_a)
    response = client.post("/espace/ville-a/projets/nouveau/apercu/", form_data())
    with translation.override("fr"):
        banner = gettext("Preview – not published yet")  # noqa: RUF001
    assert banner != "Preview – not published yet"  # noqa: RUF001
    assert banner in response.content.decode()


def test_the_form_says_where_the_project_is_published_and_why_not(client, city_a, officer_a, codes):
    project = ProjectFactory(authority=city_a, is_public=False)
    client.force_login(officer_a)
    page = client.get(edit_url(project)).content.decode()
    assert "Not on the public site" in page and "Not in the IATI file" in page
    assert "/en/ville-a/projects/" not in page

    project.is_public = True
    project.save()
    page = client.get(edit_url(project)).content.decode()
    assert "On the public site" in page
    assert f'href="/en/ville-a/projects/{project.slug}/"' in page
    # The IATI export's own checks say what is missing (here: no sector, no country...).
    assert "Left out of the IATI file" in page


def test_other_languages_are_offered_on_demand_and_shown_when_filled(
    client, city_a, officer_a, codes
):
    PartnershipFactory(
        authority=city_a,
        partner=ForeignAuthorityFactory(
            name="Kragujevac", local_name="Крагујевац", local_name_language="sr"
        ),
    )
    client.force_login(officer_a)
    page = client.get(NEW).content.decode()
    assert 'id="id_title__fr"' in page
    assert "<summary>Add a language</summary>" in page
    assert 'id="id_title__en"' in page and 'id="id_title__sr"' in page
    assert 'id="id_title__de"' not in page  # not a partner's language

    project = ProjectFactory(authority=city_a, title={"fr": "Eau", "sr": "Voda"})
    page = client.get(edit_url(project)).content.decode()
    title = page[page.index('id="id_title__fr"') : page.index('id="id_summary__fr"')]
    folded = title[title.index("<details") :]
    # The Serbian title is filled: shown open; English is still offered, folded.
    assert 'id="id_title__sr"' in title and 'id="id_title__sr"' not in folded
    assert 'value="Voda"' in title
    assert 'id="id_title__en"' in folded


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_form_costs_the_same_queries_whatever_the_data(
    client, city_a, officer_a, codes, django_assert_num_queries
):
    client.force_login(officer_a)
    project = ProjectFactory(authority=city_a, is_public=True)
    client.get(edit_url(project))
    small = _queries(client, edit_url(project)), _queries(client, NEW)

    for n in range(4):
        PartnershipFactory(authority=city_a, partner=ForeignAuthorityFactory(name=f"Town {n}"))
        ProjectFactory(authority=city_a, atlas_theme=AtlasThemeFactory(level=3))
        CodelistItemFactory(code=f"1100{n}")
    ProjectCountryFactory(project=project, country=CountryFactory(code="RS"), percentage=50)
    ProjectCountryFactory(project=project, country=CountryFactory(code="HT"), percentage=50)
    ProjectSectorFactory(project=project, code="15112")

    with django_assert_num_queries(small[0]):
        client.get(edit_url(project))
    with django_assert_num_queries(small[1]):
        client.get(NEW)


def test_a_theme_stopping_at_the_atlas_second_level_is_offered_and_kept(
    client, city_a, officer_a, codes
):
    """An import may set a second-level Atlas theme ("Eau et assainissement"): the form offers
    it selected, and saving the form keeps it instead of emptying it."""
    water = AtlasThemeFactory(level=2)
    project = ProjectFactory(
        authority=city_a, title={"fr": "Forages"}, atlas_theme=water, version=1
    )
    client.force_login(officer_a)
    form = client.get(edit_url(project)).content.decode()
    assert f'value="{water.pk}" selected' in form
    response = client.post(
        edit_url(project),
        form_data(version=1, atlas_theme=str(water.pk), **rows("sectors", [("14030", "")])),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.atlas_theme_id == water.pk
