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
