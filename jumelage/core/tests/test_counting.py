"""Long lists are not counted on every page; an authority's own lists always are."""

from __future__ import annotations

import pytest

from jumelage.core import counting
from jumelage.partners.models import Authority
from jumelage.partners.tests.factories import AuthorityFactory

pytestmark = pytest.mark.django_db


def test_a_small_list_is_counted_on_every_page(city_a, django_assert_num_queries):
    queryset = Authority.objects.filter(name__startswith="Ville")
    first = counting.cached_count(queryset)
    AuthorityFactory(name="Ville nouvelle")
    assert counting.cached_count(queryset) == first + 1


def test_a_large_count_is_made_once_then_kept(city_a, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(counting, "LARGE", 2)
    AuthorityFactory.create_batch(3, name="Ville lointaine")
    queryset = Authority.objects.filter(name="Ville lointaine")
    with django_assert_num_queries(1):
        assert counting.cached_count(queryset) == 3
    with django_assert_num_queries(0):
        assert counting.cached_count(queryset) == 3
