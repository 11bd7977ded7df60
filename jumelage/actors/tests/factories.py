import factory

from jumelage.actors.models import Actor, Mission, Person, Position, ProjectActor, Skill
from jumelage.partners.tests.factories import MemberAuthorityFactory
from jumelage.projects.tests.factories import ProjectFactory


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Compétence {n}")


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    authority = factory.SubFactory(MemberAuthorityFactory)
    name = factory.Sequence(lambda n: f"Association {n}")


class ProjectActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectActor

    project = factory.SubFactory(ProjectFactory)
    actor = factory.SubFactory(ActorFactory, authority=factory.SelfAttribute("..project.authority"))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    authority = factory.SubFactory(MemberAuthorityFactory)
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    kind = Person.Kind.STAFF


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    person = factory.SubFactory(PersonFactory)
    title = "Président"
    body = "Groupe pays Haïti"


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission

    person = factory.SubFactory(PersonFactory)
    description = "Appui à l'état civil"
    days = 5
