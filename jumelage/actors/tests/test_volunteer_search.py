"""The volunteers' directory searched in one box: skills or themes, languages, a month."""

import pytest

from jumelage.actors.selectors import (
    availability_months,
    language_code,
    language_skill_name,
    language_skill_names,
    parse_volunteer_search,
    search_volunteers,
)
from jumelage.actors.tests.factories import PersonFactory, SkillFactory
from jumelage.core.values import norm


@pytest.mark.parametrize(
    "text",
    ["water, speaks Spanish, available in March", "eau, parle espagnol, disponible en mars"],
)
def test_a_search_reads_skills_languages_and_a_month_in_french_and_english(text):
    search = parse_volunteer_search(text)
    assert search.languages == ["es"]
    assert search.month == 3
    assert len(search.terms) == 1


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("De mars à juin 2026", {3, 4, 5, 6}),
        ("From November to February", {11, 12, 1, 2}),
        ("Une journée par mois", set(range(1, 13))),
        ("March, May", {3, 5}),
        ("Two weeks a year", set()),
        ("mars 2026 à juin 2026", {3, 4, 5, 6}),
        ("November 2026 to February 2027", {11, 12, 1, 2}),
    ],
)
def test_availability_names_months_ranges_or_every_month(text, months):
    assert availability_months(text) == months


def _volunteer(authority, name, skills, availability):
    person = PersonFactory(
        authority=authority,
        last_name=name,
        kind="staff",
        is_volunteer=True,
        availability=availability,
    )
    person.skills.set([SkillFactory(name=skill) for skill in skills])
    return person


def test_every_piece_must_match_and_only_the_authoritys_volunteers_show(city_a, city_b):
    match = _volunteer(city_a, "Rivière", ["Eau potable", "Espagnol"], "mars à mai")
    _volunteer(city_a, "Sansespagnol", ["Eau potable"], "mars à mai")
    _volunteer(city_a, "Enjuin", ["Eau potable", "Espagnol"], "juin")
    _volunteer(city_b, "Ailleurs", ["Eau potable", "Espagnol"], "mars")

    search, people = search_volunteers(city_a, "eau, speaks Spanish, available in March")

    assert people == [match]
    assert not search.is_empty
    _search, everyone = search_volunteers(city_a, "")
    assert {p.last_name for p in everyone} == {"Rivière", "Sansespagnol", "Enjuin"}


def test_the_search_costs_the_same_queries_for_2_and_20_volunteers(
    city_a, django_assert_num_queries
):
    for size in (2, 20):
        for n in range(size):
            _volunteer(city_a, f"P{size}-{n}", ["Eau", "Espagnol"], "mars")
        with django_assert_num_queries(3):
            search_volunteers(city_a, "eau, espagnol, mars")


@pytest.mark.parametrize(
    ("text", "code"),
    [("espagnol", "es"), ("Anglais", "en"), ("créole haïtien", "ht"), ("Wolof", "wo")],
)
def test_a_language_is_read_by_its_french_or_english_name(text, code):
    assert language_code(text) == code
    assert norm(language_skill_name(code)) in language_skill_names(code)


def test_a_word_that_names_no_language_is_none():
    assert language_code("Eau potable") is None
