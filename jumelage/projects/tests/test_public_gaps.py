"""Reads of what a published project misses on the public page."""

from jumelage.projects.selectors import published_projects_without_summary
from jumelage.projects.tests.factories import ProjectFactory


def test_published_projects_without_a_summary_in_any_language_are_listed(
    city_a, officer_a, django_assert_num_queries
):
    empty = ProjectFactory(authority=city_a, is_public=True, summary={})
    blank = ProjectFactory(authority=city_a, is_public=True, summary={"fr": "  ", "en": ""})
    ProjectFactory(authority=city_a, is_public=True, summary={"sr": "Сажетак"})
    ProjectFactory(authority=city_a, is_public=False, summary={})
    with django_assert_num_queries(1):
        found = published_projects_without_summary(user=officer_a, member=city_a)
    assert found == [empty, blank]


def test_another_authoritys_projects_are_never_read(city_a, city_b, officer_b):
    ProjectFactory(authority=city_a, is_public=True, summary={})
    assert published_projects_without_summary(user=officer_b, member=city_a) == []
