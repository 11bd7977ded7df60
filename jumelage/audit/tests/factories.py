import factory

from jumelage.audit.models import AuditEntry


class AuditEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEntry

    authority = factory.SubFactory("jumelage.partners.tests.factories.MemberAuthorityFactory")
    user = factory.SubFactory("jumelage.accounts.tests.factories.UserFactory")
    action = AuditEntry.Action.UPDATE
    model = "partners.partnership"
    object_id = factory.Sequence(str)
    object_repr = factory.Sequence(lambda n: f"Partenariat {n}")
    changes = factory.LazyFunction(lambda: {"status": ["active", "dormant"]})
