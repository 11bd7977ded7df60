"""What an Atlas sheet lacks: its main theme, a year."""

import datetime

from jumelage.agreements.tests.factories import AgreementFactory
from jumelage.core.tests.factories import AtlasThemeFactory
from jumelage.partners.tests.factories import PartnershipFactory
from jumelage.reporting.atlas.selectors import atlas_sheets, sheet_gaps


def test_a_sheet_lacks_its_theme_and_a_year_until_they_are_recorded(city_a):
    bare = PartnershipFactory(authority=city_a, started_year=None)
    signed = PartnershipFactory(authority=city_a, started_year=None, main_theme=AtlasThemeFactory())
    AgreementFactory(partnership=signed, signed=True, signed_on=datetime.date(2004, 1, 9))
    gaps = {sheet.pk: sheet_gaps(sheet) for sheet in atlas_sheets(city_a)}
    assert gaps == {bare.pk: ["theme", "year"], signed.pk: []}


def test_the_count_of_incomplete_sheets_is_the_sheets_own_gaps(
    city_a, city_b, django_assert_num_queries
):
    """The workspace's home counts the sheets with a gap without building them: the same
    conditions as each sheet's gaps, every way a year or a theme may be recorded, and only the
    authority's own partnerships."""
    from jumelage.reporting.atlas.selectors import atlas_completeness

    theme = AtlasThemeFactory()
    PartnershipFactory(authority=city_a, started_year=None)  # neither
    PartnershipFactory(authority=city_a, started_year=2001)  # no theme
    PartnershipFactory(authority=city_a, started_year=None, main_theme=theme)  # no year
    PartnershipFactory(
        authority=city_a, started_year=None, started_on=datetime.date(1999, 5, 2), main_theme=theme
    )
    signed = PartnershipFactory(authority=city_a, started_year=None, main_theme=theme)
    AgreementFactory(partnership=signed, signed=True, signed_on=datetime.date(2004, 1, 9))
    unsigned = PartnershipFactory(authority=city_a, started_year=None, main_theme=theme)
    AgreementFactory(partnership=unsigned)  # an act not signed gives no year
    PartnershipFactory(authority=city_b, started_year=None)  # another authority's, incomplete
    sheets = atlas_sheets(city_a)
    with django_assert_num_queries(1):
        counts = atlas_completeness(city_a)
    assert counts.sheets == len(sheets) == 6
    assert counts.incomplete == len([s for s in sheets if sheet_gaps(s)]) == 4
    assert atlas_completeness(city_b).incomplete == 1
