import factory
from django.contrib.contenttypes.models import ContentType

from jumelage.accounts.tests.factories import UserFactory
from jumelage.partners.models import Authority
from jumelage.partners.tests.factories import ForeignAuthorityFactory, MemberAuthorityFactory
from jumelage.register.models import Proposal


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    class Params:
        entry = factory.SubFactory(ForeignAuthorityFactory)

    entry_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Authority))
    entry_id = factory.SelfAttribute("entry.pk")
    entry_repr = factory.LazyAttribute(lambda o: str(o.entry))
    authority = factory.SubFactory(MemberAuthorityFactory)
    proposed_by = factory.SubFactory(UserFactory)
    base_version = 0
    changes = factory.LazyAttribute(lambda o: {"name": [o.entry.name, f"{o.entry.name} (new)"]})
    note = "Example: the town's website."
