"""News items: an address made from the French title, unique within the authority."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jumelage.content.models import NewsItem
from jumelage.content.services import news_item_save
from jumelage.content.tests.factories import NewsItemFactory
from jumelage.projects.tests.factories import ProjectFactory
from jumelage.tenancy.services import save_owned

DAY = datetime.date(2026, 1, 15)


def _news(authority, title, slug=""):
    return NewsItem(authority=authority, title=title, slug=slug, published_on=DAY)


def test_an_empty_address_is_made_from_the_french_title(contributor_a, city_a):
    item = _news(city_a, {"en": "Visit to Cap-Haïtien", "fr": "Visite à Cap-Haïtien"})
    news_item_save(news_item=item, user=contributor_a, expected_version=item.version)
    assert NewsItem.objects.get(pk=item.pk).slug == "visite-a-cap-haitien"


def test_without_a_french_title_the_address_comes_from_another(contributor_a, city_a):
    item = _news(city_a, {"en": "Visit of the Holon delegation"})
    news_item_save(news_item=item, user=contributor_a, expected_version=item.version)
    assert item.slug == "visit-of-the-holon-delegation"


def test_the_address_is_unique_within_the_authority_only(contributor_a, officer_b, city_a, city_b):
    title = {"fr": "Assemblée générale"}
    first, second = _news(city_a, title), _news(city_a, title)
    news_item_save(news_item=first, user=contributor_a, expected_version=first.version)
    news_item_save(news_item=second, user=contributor_a, expected_version=second.version)
    elsewhere = _news(city_b, title)
    news_item_save(news_item=elsewhere, user=officer_b, expected_version=elsewhere.version)
    assert (first.slug, second.slug, elsewhere.slug) == (
        "assemblee-generale",
        "assemblee-generale-2",
        "assemblee-generale",
    )


def test_clearing_the_address_of_an_item_gives_it_back_its_own(contributor_a, city_a):
    item = _news(city_a, {"fr": "Jumelage avec Villach"})
    news_item_save(news_item=item, user=contributor_a, expected_version=item.version)
    item.slug = ""
    news_item_save(news_item=item, user=contributor_a, expected_version=item.version)
    assert item.slug == "jumelage-avec-villach"


def test_it_refuses_an_address_another_item_of_the_authority_has(contributor_a, city_a):
    NewsItemFactory(authority=city_a, slug="fete-de-l-europe")
    item = _news(city_a, {"fr": "Fête"}, slug="fete-de-l-europe")
    with pytest.raises(ValidationError):
        news_item_save(news_item=item, user=contributor_a, expected_version=item.version)
    assert NewsItem.objects.count() == 1


def test_it_refuses_an_item_with_neither_title_nor_address(contributor_a, city_a):
    with pytest.raises(ValidationError) as error:
        news_item_save(news_item=_news(city_a, {}), user=contributor_a, expected_version=None)
    assert "slug" in error.value.message_dict
    assert not NewsItem.objects.exists()


def test_any_write_path_refuses_an_empty_address(contributor_a, city_a):
    with pytest.raises(ValidationError) as error:
        save_owned(_news(city_a, {"fr": "Sans adresse"}), user=contributor_a, expected_version=None)
    assert "slug" in error.value.message_dict


def test_it_refuses_a_link_to_another_authoritys_project(officer_b, city_a, city_b):
    item = _news(city_b, {"fr": "Projet"})
    item.project = ProjectFactory(authority=city_a)
    with pytest.raises(ValidationError) as error:
        news_item_save(news_item=item, user=officer_b, expected_version=item.version)
    assert "project" in error.value.message_dict
    assert not NewsItem.objects.exists()


def test_viewers_and_other_authorities_cannot_write_news(viewer_a, officer_b, city_a):
    item = NewsItemFactory(authority=city_a, title={"fr": "Original"})
    item.title = {"fr": "Changed"}
    for user in (viewer_a, officer_b):
        with pytest.raises(PermissionDenied):
            news_item_save(news_item=item, user=user, expected_version=item.version)
    assert NewsItem.objects.get(pk=item.pk).title == {"fr": "Original"}
