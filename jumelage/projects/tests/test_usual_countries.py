"""The countries an authority works with come first in its country lists: its projects' and its
partner towns' countries, most used first, never another authority's."""

from __future__ import annotations

import pytest

from jumelage.core.tests.factories import CountryFactory
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory
from jumelage.projects.selectors import usual_countries
from jumelage.projects.tests.factories import ProjectCountryFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_the_authoritys_countries_most_used_first(city_a, city_b):
    haiti, serbia, germany = (CountryFactory(code=c) for c in ("HT", "RS", "DE"))
    for _n in range(2):
        ProjectCountryFactory(project=ProjectFactory(authority=city_a), country=haiti)
    PartnershipFactory(authority=city_a, partner=ForeignAuthorityFactory(country=serbia))
    # Another authority's countries are not A's habits.
    ProjectCountryFactory(project=ProjectFactory(authority=city_b), country=germany)
    PartnershipFactory(authority=city_b, partner=ForeignAuthorityFactory(country=germany))

    assert usual_countries(city_a.pk) == ["HT", "RS"]
    assert usual_countries(city_b.pk) == ["DE"]


def test_one_query(city_a, django_assert_num_queries):
    ProjectCountryFactory(project=ProjectFactory(authority=city_a), country=CountryFactory())
    with django_assert_num_queries(1):
        usual_countries(city_a.pk)
