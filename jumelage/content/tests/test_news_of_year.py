"""The published news of a year, for the annual report, with the partnership they are about
only when it is published."""

from __future__ import annotations

import datetime

import pytest

from jumelage.content.selectors import published_news_of_year
from jumelage.content.tests.factories import NewsItemFactory
from jumelage.partners.tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def test_the_published_news_of_a_year(city_a, city_b):
    public = PartnershipFactory(authority=city_a, is_public=True)
    private = PartnershipFactory(authority=city_a, is_public=False)
    about_public = NewsItemFactory(
        authority=city_a, is_public=True, partnership=public, published_on=datetime.date(2025, 3, 1)
    )
    about_private = NewsItemFactory(
        authority=city_a,
        is_public=True,
        partnership=private,
        published_on=datetime.date(2025, 5, 1),
    )
    NewsItemFactory(authority=city_a, is_public=False, published_on=datetime.date(2025, 4, 1))
    NewsItemFactory(authority=city_a, is_public=True, published_on=datetime.date(2024, 4, 1))
    NewsItemFactory(authority=city_b, is_public=True, published_on=datetime.date(2025, 4, 1))

    news = list(published_news_of_year(city_a, 2025))

    assert news == [about_private, about_public]
    assert getattr(news[1], "public_partnership", None) == public
    assert getattr(news[0], "public_partnership", None) is None
