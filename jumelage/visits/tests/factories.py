import datetime

import factory

from jumelage.partners.tests.factories import MemberAuthorityFactory
from jumelage.visits.models import Hosting, Participant, ProgrammeItem, Visit, VisitCost


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    authority = factory.SubFactory(MemberAuthorityFactory)
    direction = Visit.Direction.INCOMING
    title = factory.LazyFunction(lambda: {"fr": "Délégation"})
    starts_on = datetime.date(2026, 5, 4)
    ends_on = datetime.date(2026, 5, 6)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    visit = factory.SubFactory(VisitFactory)
    name = "Invité"


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeItem

    visit = factory.SubFactory(VisitFactory)
    date = datetime.date(2026, 5, 4)
    description = "Visite de la médiathèque"


class HostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hosting

    visit = factory.SubFactory(VisitFactory)
    host = "Famille Durand"


class VisitCostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitCost

    visit = factory.SubFactory(VisitFactory)
    label = "Repas"
    amount = "300.00"
