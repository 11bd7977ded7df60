import datetime

import factory

from jumelage.agreements.models import Agreement, CouncilDecision
from jumelage.partners.tests.factories import MemberAuthorityFactory, PartnershipFactory


class CouncilDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilDecision

    authority = factory.SubFactory(MemberAuthorityFactory)
    number = factory.Sequence(lambda n: f"2026-{n:03d}")
    date = datetime.date(2026, 3, 1)
    subject = "Approbation de la convention"
    transmitted_on = datetime.date(2026, 3, 5)
    enforceable_on = datetime.date(2026, 3, 5)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    partnership = factory.SubFactory(PartnershipFactory)
    authority = factory.SelfAttribute("partnership.authority")
    kind = Agreement.Kind.FRAMEWORK_CONVENTION
    title = factory.LazyFunction(lambda: {"fr": "Convention-cadre"})
    object = "Appui institutionnel à la gouvernance locale"
    forecast_commitment = "30000.00"
