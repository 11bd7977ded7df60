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
    """A draft framework convention; `approved=True`, `signed=True` or `in_force=True` for an
    agreement at a later step, with its council decision (enforceable on 5 March 2026)."""

    class Meta:
        model = Agreement

    class Params:
        approved = factory.Trait(
            status=Agreement.Status.APPROVED,
            council_decision=factory.SubFactory(
                CouncilDecisionFactory, authority=factory.SelfAttribute("..authority")
            ),
        )
        signed = factory.Trait(
            approved=True, status=Agreement.Status.SIGNED, signed_on=datetime.date(2026, 3, 10)
        )
        in_force = factory.Trait(
            signed=True,
            status=Agreement.Status.ENFORCEABLE,
            transmitted_on=datetime.date(2026, 3, 12),
        )

    partnership = factory.SubFactory(PartnershipFactory)
    authority = factory.SelfAttribute("partnership.authority")
    kind = Agreement.Kind.FRAMEWORK_CONVENTION
    title = factory.LazyFunction(lambda: {"fr": "Convention-cadre"})
    object = "Appui institutionnel à la gouvernance locale"
    forecast_commitment = "30000.00"
