"""What a visit costs."""

from decimal import Decimal

from jumelage.core.money import Money
from jumelage.visits.selectors import visit_total_cost
from jumelage.visits.tests.factories import VisitCostFactory, VisitFactory


def test_a_visits_total_cost_is_summed_by_currency(city_a, django_assert_num_queries):
    visit = VisitFactory(authority=city_a)
    other = VisitFactory(authority=city_a)
    VisitCostFactory(visit=visit, amount="300.00", currency="EUR")
    VisitCostFactory(visit=visit, amount="1250.50", currency="EUR")
    VisitCostFactory(visit=visit, amount="15000.00", currency="HTG")
    VisitCostFactory(visit=other, amount="999.00", currency="EUR")
    with django_assert_num_queries(1):
        totals = visit_total_cost(visit)
    assert totals == [Money(Decimal("1550.50"), "EUR"), Money(Decimal("15000.00"), "HTG")]


def test_a_visit_without_costs_costs_nothing(city_a):
    assert visit_total_cost(VisitFactory(authority=city_a)) == []
