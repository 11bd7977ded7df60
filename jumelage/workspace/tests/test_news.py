"""The authority's news in the workspace: the list, writing and changing a news item. Writes go
through `content.services.news_item_save`; another authority's officer finds nothing, a viewer
reads only, a stale page writes nothing, and what is published is `content.selectors`' call."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext

from jumelage.audit.models import AuditEntry
from jumelage.content.models import NewsItem
from jumelage.content.selectors import published_news
from jumelage.content.tests.factories import NewsItemFactory
from jumelage.partners.tests.factories import PartnershipFactory
from jumelage.projects.tests.factories import ProjectFactory
from jumelage.tenancy.access import may_write

pytestmark = pytest.mark.django_db

LIST = "/en/workspace/ville-a/news/"
NEW = "/en/workspace/ville-a/news/new/"


def edit_url(item: NewsItem) -> str:
    return f"/en/workspace/ville-a/news/{item.pk}/"


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title__fr": "Visite à Cap-Haïtien",
        "body__fr": "Une délégation est partie.\n\nElle revient lundi.",
        "published_on": "12/05/2025",
        "partnership": "",
        "project": "",
        "version": "",
    }
    data.update(overrides)
    return data


def test_an_officer_writes_a_news_item_with_a_french_date(client, city_a, officer_a):
    partnership = PartnershipFactory(authority=city_a)
    project = ProjectFactory(authority=city_a)
    client.force_login(officer_a)
    assert client.get(NEW).status_code == 200
    response = client.post(
        NEW,
        form_data(
            partnership=partnership.pk,
            project=project.pk,
            is_public="on",
            **{"title__en": "Visit to Cap-Haïtien"},
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == LIST
    item = NewsItem.objects.get(authority=city_a)
    assert item.title == {"fr": "Visite à Cap-Haïtien", "en": "Visit to Cap-Haïtien"}
    assert item.body == {"fr": "Une délégation est partie.\n\nElle revient lundi."}
    assert item.published_on == datetime.date(2025, 5, 12)
    assert item.slug == "visite-a-cap-haitien"
    assert (item.partnership, item.project) == (partnership, project)
    assert item.is_public
    assert item.version == 1
    assert AuditEntry.objects.filter(object_id=str(item.pk), action="create").exists()


def test_the_home_button_the_menu_and_the_timeline_lead_to_the_workspace(client, city_a, officer_a):
    partnership = PartnershipFactory(authority=city_a)
    item = NewsItemFactory(authority=city_a, partnership=partnership)
    client.force_login(officer_a)
    home = client.get("/en/workspace/ville-a/").content.decode()
    assert f'href="{NEW}"' in home
    assert f'href="{LIST}"' in home  # the menu
    assert "content/newsitem" not in home
    page = client.get(f"/en/workspace/ville-a/partnerships/{partnership.pk}/").content.decode()
    assert f'href="{edit_url(item)}"' in page
    assert "content/newsitem" not in page


def test_a_news_item_started_from_a_project_or_partnership_is_about_it(client, city_a, officer_a):
    project = ProjectFactory(authority=city_a)
    partnership = PartnershipFactory(authority=city_a)
    client.force_login(officer_a)
    page = client.get(f"/en/workspace/ville-a/projects/{project.pk}/").content.decode()
    assert f'href="{NEW}?project={project.pk}"' in page
    form = client.get(f"{NEW}?project={project.pk}").content.decode()
    assert f'<option value="{project.pk}" selected>' in form
    page = client.get(f"/en/workspace/ville-a/partnerships/{partnership.pk}/").content.decode()
    assert f'href="{NEW}?partnership={partnership.pk}"' in page
    form = client.get(f"{NEW}?partnership={partnership.pk}").content.decode()
    assert f'<option value="{partnership.pk}" selected>' in form


def test_the_list_shows_where_each_item_shows(client, city_a, officer_a):
    today = timezone.localdate()
    shown = NewsItemFactory(authority=city_a, is_public=True, title={"fr": "Déjà en ligne"})
    later = NewsItemFactory(
        authority=city_a,
        is_public=True,
        published_on=today + datetime.timedelta(days=30),
        title={"fr": "Plus tard"},
    )
    private = NewsItemFactory(authority=city_a, title={"fr": "Brouillon"})
    assert set(published_news(city_a)) == {shown}
    client.force_login(officer_a)
    page = client.get(LIST).content.decode()
    for item in (shown, later, private):
        assert f'href="{edit_url(item)}"' in page
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    states = {
        title: "ws-tag-success" in row
        for row in rows
        for title in ("Déjà en ligne", "Plus tard", "Brouillon")
        if title in row
    }
    # Only the item the public site shows now; the later one says from when.
    assert states == {"Déjà en ligne": True, "Plus tard": False, "Brouillon": False}
    assert "Published on" in next(row for row in rows if "Plus tard" in row)


def test_in_french_the_list_tags_a_news_item_in_the_feminine(client, city_a, officer_a):
    """ "Actualité" is feminine: the tags have their own context in the catalogue, so the list
    says "Publiée", where a project (masculine) is "Publié"."""
    NewsItemFactory(authority=city_a, is_public=True, title={"fr": "Déjà en ligne"})
    NewsItemFactory(authority=city_a, title={"fr": "Brouillon"})
    client.force_login(officer_a)
    with translation.override("fr"):
        url = reverse("workspace:news", args=[city_a.slug])
        published, draft = (
            pgettext("news item", "Published"),
            pgettext("news item", "not published"),
        )
        assert published != gettext("Published") and published.endswith("ée")
        assert draft != gettext("not published") and draft.endswith("ée")
    rows = client.get(url).content.decode().split("<tbody>")[1].split("<tr>")[1:]
    (shown,) = [row for row in rows if "Déjà en ligne" in row]
    (private,) = [row for row in rows if "Brouillon" in row]
    assert f'<span class="ws-tag ws-tag-success">{published}</span>' in shown
    assert f'<span class="ws-tag">{draft}</span>' in private


def test_another_authoritys_officer_finds_nothing(client, city_a, city_b, officer_b):
    item = NewsItemFactory(authority=city_a, title={"fr": "Avant"})
    client.force_login(officer_b)
    assert client.get(LIST).status_code == 404
    assert client.get(NEW).status_code == 404
    assert client.get(edit_url(item)).status_code == 404
    assert client.post(edit_url(item), form_data(version=item.version)).status_code == 404
    assert client.post(NEW, form_data()).status_code == 404
    # Under its own authority's address, city A's item does not exist either.
    assert client.get(f"/en/workspace/ville-b/news/{item.pk}/").status_code == 404
    item.refresh_from_db()
    assert item.title == {"fr": "Avant"}
    assert NewsItem.objects.count() == 1
    # Nor can a news item of city B be about city A's partnership or project.
    client.post(
        "/en/workspace/ville-b/news/new/",
        form_data(partnership=PartnershipFactory(authority=city_a).pk),
    )
    client.post(
        "/en/workspace/ville-b/news/new/", form_data(project=ProjectFactory(authority=city_a).pk)
    )
    assert NewsItem.objects.count() == 1


def test_a_viewer_reads_the_list_only(client, city_a, viewer_a):
    item = NewsItemFactory(authority=city_a, title={"fr": "Avant"})
    client.force_login(viewer_a)
    page = client.get(LIST)
    assert page.status_code == 200
    assert "Avant" in page.content.decode()
    assert NEW not in page.content.decode()
    assert edit_url(item) not in page.content.decode()
    assert client.get(NEW).status_code == 403
    assert client.get(edit_url(item)).status_code == 403
    assert client.post(edit_url(item), form_data(version=item.version)).status_code == 403
    assert client.post(NEW, form_data()).status_code == 403
    item.refresh_from_db()
    assert item.title == {"fr": "Avant"}
    assert NewsItem.objects.count() == 1


def test_a_contributor_writes_news_as_the_access_rule_says(client, city_a, contributor_a):
    allowed = may_write(contributor_a, city_a.pk, NewsItem.write_roles)
    assert allowed  # contributors write news, as in the back office (CONTENT_WRITE_ROLES)
    client.force_login(contributor_a)
    response = client.post(NEW, form_data())
    assert response.status_code == 302
    assert NewsItem.objects.filter(authority=city_a).count() == 1


def test_a_change_moves_the_version_on(client, city_a, officer_a):
    item = NewsItemFactory(authority=city_a, title={"fr": "Avant"}, version=1)
    client.force_login(officer_a)
    form = client.get(edit_url(item)).content.decode()
    assert 'name="version" value="1"' in form
    response = client.post(edit_url(item), form_data(version=1, published_on="3/2/2026"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == {"fr": "Visite à Cap-Haïtien"}
    assert item.published_on == datetime.date(2026, 2, 3)
    assert item.version == 2
    assert AuditEntry.objects.filter(object_id=str(item.pk), action="update").exists()


def test_a_stale_page_is_refused_with_a_message_and_writes_nothing(client, city_a, officer_a):
    item = NewsItemFactory(authority=city_a, title={"fr": "Avant"}, version=3)
    client.force_login(officer_a)
    response = client.post(edit_url(item), form_data(version=2))
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    item.refresh_from_db()
    assert item.title == {"fr": "Avant"}
    assert item.version == 3
    assert not AuditEntry.objects.filter(object_id=str(item.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title__fr": ""}, "title"),
        ({"published_on": "31/02/2025"}, "published_on"),
        ({"published_on": ""}, "published_on"),
        ({"project": "9" * 30}, "project"),
        ({"partnership": "abc"}, "partnership"),
    ],
)
def test_bad_input_is_refused_clearly_and_writes_nothing(
    client, city_a, officer_a, overrides, field
):
    client.force_login(officer_a)
    response = client.post(NEW, form_data(**overrides))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert "There is a problem" in response.content.decode()
    assert not NewsItem.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_form_reads_in_french(client, city_a, officer_a):
    client.force_login(officer_a)
    response = client.post("/espace/ville-a/actualites/nouveau/", form_data(title__fr=""))
    assert response.status_code == 400
    with translation.override("fr"):
        assert gettext("Write this text in at least one language.") in response.content.decode()
        assert reverse("workspace:news", args=["ville-a"]) == "/espace/ville-a/actualites/"


def test_published_news_shows_on_the_public_page_and_unpublished_does_not(
    client, city_a, officer_a
):
    client.force_login(officer_a)
    today = timezone.localdate().strftime("%d/%m/%Y")
    client.post(NEW, form_data(published_on=today, is_public="on", **{"title__fr": "En ligne"}))
    client.post(NEW, form_data(published_on=today, **{"title__fr": "Brouillon"}))
    shown = NewsItem.objects.get(slug="en-ligne")
    assert list(published_news(city_a)) == [shown]
    public = client.get(reverse("public:news", args=[city_a.slug])).content.decode()
    assert "En ligne" in public
    assert "Brouillon" not in public
    assert (
        client.get(reverse("public:news_item", args=[city_a.slug, "brouillon"])).status_code == 404
    )


def test_html_typed_in_the_text_never_runs_on_the_public_page(client, city_a, officer_a):
    client.force_login(officer_a)
    today = timezone.localdate().strftime("%d/%m/%Y")
    client.post(
        NEW,
        form_data(
            published_on=today,
            is_public="on",
            body__fr='<script>alert(1)</script><img src=x onerror="alert(2)">',
        ),
    )
    item = NewsItem.objects.get()
    page = client.get(reverse("public:news_item", args=[city_a.slug, item.slug])).content.decode()
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;" in page


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_whatever_the_number_of_items(
    client, city_a, officer_a, django_assert_num_queries
):
    partnership = PartnershipFactory(authority=city_a)
    project = ProjectFactory(authority=city_a)
    NewsItemFactory(authority=city_a, partnership=partnership, project=project, is_public=True)
    client.force_login(officer_a)
    client.get("/en/workspace/ville-a/")
    one = _queries(client, LIST)
    for n in range(5):
        NewsItemFactory(
            authority=city_a,
            partnership=PartnershipFactory(authority=city_a),
            project=ProjectFactory(authority=city_a),
            is_public=n % 2 == 0,
        )
    with django_assert_num_queries(one):
        client.get(LIST)
    # Session and user (2), the seat (2), the count and the page of items with their
    # partnership and project (2), which of them the public site shows, the user's roles.
    assert one == 8
