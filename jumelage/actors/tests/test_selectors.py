"""Who can help on a theme, and what a mission's time is worth."""

from decimal import Decimal

from jumelage.actors.models import Person
from jumelage.actors.selectors import mission_in_kind_value, volunteers
from jumelage.actors.tests.factories import MissionFactory, PersonFactory, SkillFactory
from jumelage.core.tests.factories import AtlasThemeFactory


def _volunteer(authority, *, themes=(), skills=(), **fields):
    fields.setdefault("kind", Person.Kind.STAFF)
    fields.setdefault("is_volunteer", True)
    person = PersonFactory(authority=authority, **fields)
    person.themes.set(themes)
    person.skills.set(skills)
    return person


def test_volunteers_are_the_authoritys_staff_who_volunteer(city_a, city_b):
    mine = _volunteer(city_a, last_name="Bernard")
    _volunteer(city_a, is_volunteer=False)
    _volunteer(city_a, kind=Person.Kind.ELECTED)
    _volunteer(city_b)
    assert list(volunteers(city_a)) == [mine]
    assert list(volunteers(city_a.pk)) == [mine]


def test_volunteers_on_a_theme_are_those_of_its_whole_branch(city_a):
    governance = AtlasThemeFactory(level=1)
    local = AtlasThemeFactory(level=2, parent=governance)
    institutional = AtlasThemeFactory(level=3, parent=local)
    water = AtlasThemeFactory(level=1)
    broad = _volunteer(city_a, last_name="A", themes=[governance])
    precise = _volunteer(city_a, last_name="B", themes=[institutional])
    middle = _volunteer(city_a, last_name="C", themes=[local, water])
    _volunteer(city_a, last_name="D", themes=[water])
    _volunteer(city_a, last_name="E")

    assert list(volunteers(city_a, theme=local)) == [broad, precise, middle]
    assert list(volunteers(city_a, theme=institutional)) == [broad, precise, middle]
    assert list(volunteers(city_a, theme=governance)) == [broad, precise, middle]


def test_volunteers_with_a_skill(city_a):
    water = SkillFactory(name="Eau")
    french = SkillFactory(name="Français langue étrangère")
    both = _volunteer(city_a, last_name="A", skills=[water, french])
    _volunteer(city_a, last_name="B", skills=[french])
    assert list(volunteers(city_a, skill=water)) == [both]


def test_volunteers_on_a_theme_with_a_skill_are_listed_once(city_a):
    parent = AtlasThemeFactory(level=1)
    child = AtlasThemeFactory(level=2, parent=parent)
    skill = SkillFactory(name="Urbanisme")
    person = _volunteer(city_a, themes=[parent, child], skills=[skill])
    assert list(volunteers(city_a, theme=parent, skill=skill)) == [person]


def test_a_missions_in_kind_value_is_its_days_times_the_daily_cost(city_a):
    person = PersonFactory(authority=city_a, daily_rate=Decimal("180.00"))
    mission = MissionFactory(person=person, days=Decimal("2.5"))
    assert mission_in_kind_value(mission) == Decimal("450.00")


def test_a_missions_in_kind_value_is_unknown_without_a_daily_cost(city_a):
    mission = MissionFactory(person=PersonFactory(authority=city_a, daily_rate=None), days=4)
    assert mission_in_kind_value(mission) is None
