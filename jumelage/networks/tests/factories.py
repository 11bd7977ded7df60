import datetime

import factory

from jumelage.networks.models import Meeting, Network, NetworkMember
from jumelage.partners.tests.factories import AuthorityFactory, MemberAuthorityFactory


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    authority = factory.SubFactory(MemberAuthorityFactory)
    name = factory.Sequence(lambda n: f"Réseau {n}")


class NetworkMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMember

    network = factory.SubFactory(NetworkFactory)
    authority_member = factory.SubFactory(AuthorityFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    network = factory.SubFactory(NetworkFactory)
    date = datetime.date(2026, 2, 1)
    title = "Réunion du groupe pays"
