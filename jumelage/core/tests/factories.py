"""Factories for reference data."""

import factory

from jumelage.core.models import AtlasTheme, CodelistItem, Country, ExchangeRate, OdaEligibility


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "FR"
    name_fr = factory.LazyAttribute(lambda o: f"Pays {o.code}")
    name_en = factory.LazyAttribute(lambda o: f"Country {o.code}")


class OdaEligibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OdaEligibility
        django_get_or_create = ("country", "year")

    country = factory.SubFactory(CountryFactory, code="HT")
    year = 2025
    income_group = "LDC"


class AtlasThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AtlasTheme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n}")
    name_fr = factory.Sequence(lambda n: f"Thème {n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")
    level = 1


class CodelistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CodelistItem
        django_get_or_create = ("codelist", "code")

    codelist = "Sector"
    code = "15112"
    name_en = "Decentralisation and support to subnational government"


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate
        django_get_or_create = ("currency", "date")

    currency = "USD"
    date = factory.Faker("date_object")
    rate = "1.10"


def all_countries() -> None:
    """Every country, named in French and English, as load_reference stores them."""
    from jumelage.core.reference_data import read_countries

    Country.objects.bulk_create(read_countries(), ignore_conflicts=True)
