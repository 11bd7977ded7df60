"""Rules on member authorities' own settings."""

import pytest
from django.core.exceptions import ValidationError

from jumelage.tenancy.services import save_owned


@pytest.mark.parametrize(
    "slug", ["admin", "en", "fr", "reporting", "accessibility", "accessibilite", "iati"]
)
def test_a_member_address_the_site_already_uses_is_refused(admin_a, city_a, slug):
    city_a.slug = slug
    with pytest.raises(ValidationError, match="used by the site itself"):
        save_owned(city_a, user=admin_a, expected_version=city_a.version)
    city_a.refresh_from_db()
    assert city_a.slug == "ville-a"


def test_a_member_address_of_its_own_is_accepted(admin_a, city_a):
    city_a.slug = "villa-nova"
    save_owned(city_a, user=admin_a, expected_version=city_a.version)
    city_a.refresh_from_db()
    assert city_a.slug == "villa-nova"
