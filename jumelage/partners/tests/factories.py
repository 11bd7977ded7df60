import factory

from jumelage.core.tests.factories import CountryFactory
from jumelage.partners.models import Authority, Label, MemberAuthority, OpeningHours, Partnership


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority

    name = factory.Sequence(lambda n: f"Ville {n}")
    kind = Authority.Kind.MUNICIPALITY
    country = factory.SubFactory(CountryFactory, code="FR")


class ForeignAuthorityFactory(AuthorityFactory):
    country = factory.SubFactory(CountryFactory, code="HT")


class MemberAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberAuthority

    authority = factory.SubFactory(AuthorityFactory)
    slug = factory.Sequence(lambda n: f"ville-{n}")
    service_name = "Relations internationales"


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    member = factory.SubFactory(MemberAuthorityFactory)
    weekday = 0
    opens = "09:00"
    closes = "12:30"


class LabelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Label

    authority = factory.SubFactory(MemberAuthorityFactory)
    name = "PACT2"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    authority = factory.SubFactory(MemberAuthorityFactory)
    partner = factory.SubFactory(ForeignAuthorityFactory)
    kind = Partnership.Kind.COOPERATION
    started_year = 1998
