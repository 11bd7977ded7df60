"""A partnership created, changed and published in the workspace: the partner town found in
the directory as officers write it (a near match asked, never guessed; a missing town added on
confirmation, through the register), dates as officers write them, the partners' services
writing with the version shown (a stale page refused, nothing written), several partnerships
published at once (all or none), and the setup checklist's step. Another authority's officer
gets a 404 and cannot publish this one's; a viewer changes nothing; the list's queries do not
grow with the data."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from jumelage.audit.models import AuditEntry
from jumelage.core.tests.factories import all_countries
from jumelage.partners.models import Authority, Partnership
from jumelage.partners.selectors import published_partnerships
from jumelage.partners.tests.factories import AuthorityFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns(db):
    all_countries()
    return {
        "weissenburg": AuthorityFactory(name="Weißenburg in Bayern", country_id="DE"),
        "kragujevac": AuthorityFactory(name="Kragujevac", country_id="RS"),
    }


def new_url(member) -> str:
    return reverse("workspace:partnership_new", args=[member.slug])


def edit_url(member, partnership) -> str:
    return reverse("workspace:partnership_edit", args=[member.slug, partnership.pk])


def publish_url(member) -> str:
    return reverse("workspace:partnerships_publish", args=[member.slug])


def form_data(**changes) -> dict:
    data = {
        "partner_name": "Kragujevac",
        "partner_country": "RS",
        "kind": "twinning",
        "status": "active",
        "started": "1998",
        "ended_on": "",
        "title__fr": "Jumelage avec Kragujevac",
        "title__en": "",
        "summary__fr": "Écoles et hôpitaux, depuis 1998.",
        "summary__en": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- Creating ---------------------------------------------------------------------------------


def test_an_officer_adds_a_partnership_with_a_town_of_the_directory(
    client, officer_a, city_a, towns
):
    client.force_login(officer_a)
    assert client.get(new_url(city_a)).status_code == 200
    response = client.post(new_url(city_a), form_data(is_public="on"))
    assert response.status_code == 302, response.content.decode()[:3000]
    partnership = Partnership.objects.get(authority=city_a)
    assert response["Location"] == reverse(
        "workspace:partnership", args=[city_a.slug, partnership.pk]
    )
    assert partnership.partner == towns["kragujevac"]
    assert (partnership.kind, partnership.started_year, partnership.started_on) == (
        "twinning",
        1998,
        None,
    )
    assert partnership.title == {"fr": "Jumelage avec Kragujevac"}
    assert partnership.summary == {"fr": "Écoles et hôpitaux, depuis 1998."}
    assert partnership.is_public and partnership.version == 1
    assert AuditEntry.objects.filter(
        object_id=str(partnership.pk), model="partners.partnership"
    ).exists()


def test_a_start_date_is_read_in_french_format(client, officer_a, city_a, towns):
    client.force_login(officer_a)
    response = client.post(new_url(city_a), form_data(started="12 mai 1984", ended_on="30/06/2020"))
    assert response.status_code == 302
    partnership = Partnership.objects.get(authority=city_a)
    assert partnership.started_on == datetime.date(1984, 5, 12)
    assert partnership.started_year is None
    assert partnership.ended_on == datetime.date(2020, 6, 30)


def test_a_near_name_is_asked_never_guessed(client, officer_a, city_a, towns):
    client.force_login(officer_a)
    data = form_data(partner_name="Weissenburg", partner_country="DE")
    response = client.post(new_url(city_a), data)
    assert response.status_code == 400
    assert not Partnership.objects.exists()
    form = response.context["form"]
    choices = dict(form.fields["partner_choice"].widget.choices)
    assert str(towns["weissenburg"].pk) in choices
    assert "partner_choice" in form.errors
    # The officer picks the directory's entry.
    response = client.post(new_url(city_a), {**data, "partner_choice": towns["weissenburg"].pk})
    assert response.status_code == 302
    assert Partnership.objects.get(authority=city_a).partner == towns["weissenburg"]


def test_a_town_the_directory_lacks_is_added_on_confirmation(client, officer_a, city_a, towns):
    client.force_login(officer_a)
    data = form_data(partner_name="Gorée", partner_country="SN", kind="cooperation")
    response = client.post(new_url(city_a), data)
    assert response.status_code == 400
    assert not Authority.objects.filter(name="Gorée").exists()
    response = client.post(new_url(city_a), {**data, "partner_choice": "new"})
    assert response.status_code == 302
    town = Authority.objects.get(name="Gorée")
    assert (town.country_id, town.added_by_id) == ("SN", city_a.pk)
    assert Partnership.objects.get(authority=city_a).partner == town


def test_a_refused_partnership_adds_no_town(client, officer_a, city_a, towns):
    client.force_login(officer_a)
    data = form_data(
        partner_name="Gorée", partner_country="SN", partner_choice="new", started="2019"
    )
    data["ended_on"] = "31/12/2010"  # ends before it starts: the service refuses
    response = client.post(new_url(city_a), data)
    assert response.status_code == 400
    assert not Authority.objects.filter(name="Gorée").exists()
    assert not Partnership.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"started": "32/13/2025"}, "started"),
        ({"started": "2019-2022"}, "started"),
        ({"ended_on": "32/13/2025"}, "ended_on"),
        ({"started": "12/05/2020", "ended_on": "01/01/2019"}, "ended_on"),
        ({"started": "2020", "ended_on": "01/01/2019"}, "ended_on"),
        ({"kind": "marriage"}, "kind"),
        ({"partner_country": "XX"}, "partner_country"),
    ],
)
def test_bad_input_says_what_to_fix_and_writes_nothing(
    client, officer_a, city_a, towns, changes, field
):
    client.force_login(officer_a)
    response = client.post(new_url(city_a), form_data(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Partnership.objects.exists()


def test_a_bad_date_message_is_french_in_french(client, officer_a, city_a, towns):
    source = (
        "“%(value)s” is neither a year nor a date; write a year such as 1998, or a "
        "date such as 12/05/1998."
    )
    client.force_login(officer_a)
    with translation.override("fr"):
        response = client.post(new_url(city_a), form_data(started="32/13/2025"))
        expected = translation.gettext(source) % {"value": "32/13/2025"}
    assert expected != source % {"value": "32/13/2025"}  # the catalogue has it in French
    assert escape(expected) in response.content.decode()


def test_the_same_partnership_twice_is_refused_with_a_message(client, officer_a, city_a, towns):
    PartnershipFactory(authority=city_a, partner=towns["kragujevac"], kind="twinning")
    client.force_login(officer_a)
    response = client.post(new_url(city_a), form_data())
    assert response.status_code == 400
    assert "already has a partnership of this kind" in response.content.decode()
    assert Partnership.objects.filter(authority=city_a).count() == 1


# --- Changing -------------------------------------------------------------------------------


def test_an_officer_changes_a_partnership(client, officer_a, city_a, towns):
    partnership = PartnershipFactory(authority=city_a, partner=towns["kragujevac"], kind="twinning")
    client.force_login(officer_a)
    form = client.get(edit_url(city_a, partnership)).context["form"]
    assert form["partner_name"].value() == "Kragujevac"
    response = client.post(
        edit_url(city_a, partnership),
        form_data(status="dormant", started="03/1998", version=partnership.version),
    )
    assert response.status_code == 302
    seen = partnership.version
    partnership.refresh_from_db()
    assert partnership.status == "dormant"
    assert partnership.started_on == datetime.date(1998, 3, 1)
    assert partnership.version == seen + 1


def test_a_stale_page_is_refused_and_writes_nothing(client, officer_a, city_a, towns):
    partnership = PartnershipFactory(authority=city_a, partner=towns["kragujevac"], kind="twinning")
    client.force_login(officer_a)
    seen = partnership.version
    Partnership.objects.filter(pk=partnership.pk).update(version=seen + 1)  # a colleague's save
    response = client.post(edit_url(city_a, partnership), form_data(status="ended", version=seen))
    assert response.status_code == 400
    assert "Someone else changed this record" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.status == "active" and partnership.version == seen + 1


def test_another_authoritys_officer_gets_a_404(client, officer_b, city_a, city_b, towns):
    partnership = PartnershipFactory(authority=city_a, partner=towns["kragujevac"])
    client.force_login(officer_b)
    assert client.get(edit_url(city_a, partnership)).status_code == 404
    seen = partnership.version
    data = form_data(status="ended", version=seen)
    assert client.post(edit_url(city_a, partnership), data).status_code == 404
    assert client.get(new_url(city_a)).status_code == 404
    # Its own address with this authority's partnership: not found either.
    assert client.get(edit_url(city_b, partnership)).status_code == 404
    assert client.post(edit_url(city_b, partnership), data).status_code == 404
    partnership.refresh_from_db()
    assert partnership.version == seen and partnership.status == "active"


def test_a_viewer_reads_but_changes_nothing(client, viewer_a, city_a, towns):
    partnership = PartnershipFactory(authority=city_a, partner=towns["kragujevac"])
    client.force_login(viewer_a)
    listing = client.get(reverse("workspace:partnerships", args=[city_a.slug]))
    assert listing.status_code == 200
    assert new_url(city_a) not in listing.content.decode()
    assert publish_url(city_a) not in listing.content.decode()
    page = client.get(reverse("workspace:partnership", args=[city_a.slug, partnership.pk]))
    assert edit_url(city_a, partnership) not in page.content.decode()
    assert client.get(new_url(city_a)).status_code == 403
    seen = partnership.version
    assert client.post(new_url(city_a), form_data()).status_code == 403
    data = form_data(version=seen)
    assert client.post(edit_url(city_a, partnership), data).status_code == 403
    response = client.post(
        publish_url(city_a),
        {"partnership": partnership.pk, f"version-{partnership.pk}": partnership.version},
    )
    assert response.status_code == 403
    partnership.refresh_from_db()
    assert not partnership.is_public and partnership.version == seen
    assert not Partnership.objects.exclude(pk=partnership.pk).exists()


def test_the_pages_lead_to_the_workspace_not_the_back_office(client, officer_a, city_a, towns):
    partnership = PartnershipFactory(authority=city_a, partner=towns["kragujevac"])
    client.force_login(officer_a)
    listing = client.get(reverse("workspace:partnerships", args=[city_a.slug])).content.decode()
    assert new_url(city_a) in listing
    assert reverse("admin:partners_partnership_add") not in listing
    page = client.get(
        reverse("workspace:partnership", args=[city_a.slug, partnership.pk])
    ).content.decode()
    assert edit_url(city_a, partnership) in page
    assert reverse("admin:partners_partnership_change", args=[partnership.pk]) not in page


# --- Publishing -------------------------------------------------------------------------------


def publish(client, member, *partnerships, published="1", versions=None, back="list"):
    data: dict = {"partnership": [p.pk for p in partnerships], "published": published}
    data["back"] = back
    for p in partnerships:
        data[f"version-{p.pk}"] = (versions or {}).get(p.pk, p.version)
    return client.post(publish_url(member), data)


def test_several_partnerships_are_published_at_once_and_shown_on_the_public_page(
    client, officer_a, city_a, towns, django_capture_on_commit_callbacks
):
    first = PartnershipFactory(authority=city_a, partner=towns["kragujevac"])
    second = PartnershipFactory(authority=city_a, partner=towns["weissenburg"])
    public_page = reverse("public:authority", args=[city_a.slug])
    assert "Kragujevac" not in client.get(public_page).content.decode()
    client.force_login(officer_a)
    # The public page cached above expires once the write commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = publish(client, city_a, first, second)
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:partnerships", args=[city_a.slug])
    assert set(published_partnerships(city_a)) == {first, second}
    client.logout()
    text = client.get(public_page).content.decode()
    assert "Kragujevac" in text and "Weißenburg in Bayern" in text
    assert AuditEntry.objects.filter(verb="partnership published").count() == 2


def test_one_stale_partnership_publishes_none(client, officer_a, city_a, towns):
    first = PartnershipFactory(authority=city_a, partner=towns["kragujevac"])
    second = PartnershipFactory(authority=city_a, partner=towns["weissenburg"])
    client.force_login(officer_a)
    seen = first.version
    response = publish(client, city_a, first, second, versions={second.pk: second.version + 1})
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "“Weißenburg in Bayern – decentralised cooperation” was changed" in follow  # noqa: RUF001
    assert "nothing was changed" in follow
    assert not published_partnerships(city_a).exists()
    first.refresh_from_db()
    assert first.version == seen


def test_another_authoritys_officer_cannot_publish_its_partnerships(
    client, officer_b, city_a, city_b, towns
):
    theirs = PartnershipFactory(authority=city_a, partner=towns["kragujevac"])
    mine = PartnershipFactory(authority=city_b, partner=towns["weissenburg"])
    client.force_login(officer_b)
    assert publish(client, city_a, theirs).status_code == 404
    # Through its own address, with the other's partnership among its own: nothing written.
    response = publish(client, city_b, mine, theirs)
    assert response.status_code == 302
    assert not Partnership.objects.filter(is_public=True).exists()


def test_the_partnership_page_publishes_and_unpublishes(client, officer_a, city_a, towns):
    partnership = PartnershipFactory(authority=city_a, partner=towns["kragujevac"])
    page_url = reverse("workspace:partnership", args=[city_a.slug, partnership.pk])
    client.force_login(officer_a)
    seen = partnership.version
    assert 'name="published" value="1"' in client.get(page_url).content.decode()
    response = publish(client, city_a, partnership, back="page")
    assert response["Location"] == page_url
    partnership.refresh_from_db()
    assert partnership.is_public and partnership.version == seen + 1
    assert 'name="published" value="0"' in client.get(page_url).content.decode()
    publish(client, city_a, partnership, published="0", back="page")
    partnership.refresh_from_db()
    assert not partnership.is_public and partnership.version == seen + 2


def test_nothing_ticked_says_so(client, officer_a, city_a):
    client.force_login(officer_a)
    response = client.post(publish_url(city_a), {"published": "1"})
    assert response.status_code == 302
    assert "Tick the partnerships" in client.get(response["Location"]).content.decode()


# --- The setup checklist -------------------------------------------------------------------------


def test_the_checklist_is_not_done_while_no_partnership_is_published(
    client, admin_a, city_a, towns
):
    from jumelage.workspace.pages.setup import setup_left

    partnership = PartnershipFactory(authority=city_a, partner=towns["kragujevac"])
    client.force_login(admin_a)
    url = reverse("workspace:setup", args=[city_a.slug])
    page = client.get(url)
    task = next(t for t in page.context["page"].tasks if t.key == "publish")
    assert not task.done and task.can_start
    assert page.context["page"].unpublished == [partnership]
    left = setup_left(city_a)
    response = publish(client, city_a, partnership, back="setup")
    assert response["Location"] == f"{url}#publish"
    page = client.get(url)
    task = next(t for t in page.context["page"].tasks if t.key == "publish")
    assert task.done and page.context["page"].unpublished == []
    assert setup_left(city_a) == left - 1


# --- Queries ----------------------------------------------------------------------------------


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_with_its_publishing_form_costs_the_same_queries_at_two_sizes(
    client, officer_a, city_a, towns
):
    PartnershipFactory(authority=city_a, partner=towns["kragujevac"])
    client.force_login(officer_a)
    url = reverse("workspace:partnerships", args=[city_a.slug])
    _count_queries(client, url)  # the session's first reads
    small = _count_queries(client, url)
    for n in range(20):
        PartnershipFactory(
            authority=city_a,
            partner=AuthorityFactory(name=f"Town {n}", country_id="DE"),
            is_public=n % 2 == 0,
        )
    assert _count_queries(client, url) == small
    assert 'name="partnership"' in client.get(url).content.decode()


def test_a_contributor_cannot_change_or_publish(client, contributor_a, city_a, towns):
    partnership = PartnershipFactory(authority=city_a, partner=towns["kragujevac"])
    client.force_login(contributor_a)
    assert client.get(edit_url(city_a, partnership)).status_code == 403
    assert publish(client, city_a, partnership).status_code == 403
    partnership.refresh_from_db()
    assert not partnership.is_public


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        # The name is the directory's own: a choice it did not ask for is ignored.
        ({"partner_choice": "99999999999999999999999"}, 302),
        # A choice the near name does not offer is asked again.
        ({"partner_choice": "-1", "partner_name": "Weissenburg", "partner_country": "DE"}, 400),
        ({"version": "abc"}, 400),
        ({"partner_country": "99999999999999999999999"}, 400),
    ],
)
def test_tampered_input_is_a_form_error_never_a_500(
    client, officer_a, city_a, towns, changes, status
):
    partnership = PartnershipFactory(authority=city_a, partner=towns["kragujevac"])
    client.force_login(officer_a)
    data = form_data(status="ended", version=partnership.version)
    data.update(changes)
    response = client.post(edit_url(city_a, partnership), data)
    assert response.status_code == status
    partnership.refresh_from_db()
    assert partnership.partner == towns["kragujevac"]
    assert partnership.status == ("ended" if status == 302 else "active")


def test_a_tampered_version_on_the_list_publishes_nothing(client, officer_a, city_a, towns):
    partnership = PartnershipFactory(authority=city_a, partner=towns["kragujevac"])
    client.force_login(officer_a)
    response = client.post(
        publish_url(city_a),
        {"partnership": [partnership.pk, "x"], f"version-{partnership.pk}": "9" * 30},
    )
    assert response.status_code == 302
    assert not Partnership.objects.filter(is_public=True).exists()


def test_the_atlas_main_theme_is_chosen_in_the_workspace_and_fills_the_sheet(
    client, officer_a, city_a, towns
):
    """The Atlas sheet's gap ("no main theme") leads to the partnership's form, which offers
    every level of the themes; the theme saved fills the sheet and the gap goes."""
    from jumelage.core.tests.factories import AtlasThemeFactory

    theme = AtlasThemeFactory(level=2)
    partnership = PartnershipFactory(
        authority=city_a, partner=towns["kragujevac"], kind="twinning", started_year=1998
    )
    client.force_login(officer_a)
    page = client.get(
        reverse("workspace:partnership", args=[city_a.slug, partnership.pk])
    ).content.decode()
    assert f'href="{edit_url(city_a, partnership)}"' in page
    form = client.get(edit_url(city_a, partnership)).content.decode()
    assert f'<option value="{theme.pk}"' in form
    response = client.post(
        edit_url(city_a, partnership),
        form_data(main_theme=str(theme.pk), started="1998", version=partnership.version),
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.main_theme_id == theme.pk
    page = client.get(
        reverse("workspace:partnership", args=[city_a.slug, partnership.pk])
    ).content.decode()
    assert "Complete the partnership" not in page
