"""The back office lists the reported indicator values read only, scoped to the user's
authorities like the other project records: they are decided in the workspace."""

from __future__ import annotations

import pytest

from jumelage.projects.tests.factories import (
    IndicatorFactory,
    IndicatorPeriodFactory,
    IndicatorUpdateFactory,
    ProjectFactory,
    ResultFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/en/admin/projects/indicatorupdate/"


def _update(authority, title: str):
    project = ProjectFactory(authority=authority, title={"en": title})
    period = IndicatorPeriodFactory(
        indicator=IndicatorFactory(result=ResultFactory(project=project))
    )
    return IndicatorUpdateFactory(period=period)


def test_each_authority_reads_its_own_values_and_none_may_change_them(
    client, city_a, city_b, officer_a, officer_b
):
    mine, theirs = _update(city_a, "Wells of A"), _update(city_b, "Wells of B")
    client.force_login(officer_a)
    page = client.get(LIST).content.decode()
    assert "Wells of A" in page and "Wells of B" not in page
    assert client.get(f"{LIST}{theirs.pk}/change/").status_code in (302, 404)
    assert client.get(f"{LIST}add/").status_code == 403
    response = client.post(f"{LIST}{mine.pk}/change/", {"value": "99"})
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.value != 99
    client.force_login(officer_b)
    assert "Wells of A" not in client.get(LIST).content.decode()


def test_an_instance_administrator_reads_every_authoritys_values(client, city_a, city_b):
    from jumelage.accounts.tests.factories import UserFactory

    _update(city_a, "Wells of A"), _update(city_b, "Wells of B")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(LIST).content.decode()
    assert "Wells of A" in page and "Wells of B" in page
    assert 'href="/en/admin/projects/indicatorupdate/add/"' not in page
