import datetime

import factory
from django.utils import timezone

from jumelage.core.tests.factories import CountryFactory
from jumelage.partners.tests.factories import MemberAuthorityFactory
from jumelage.projects.models import (
    Application,
    Call,
    ExpenseLine,
    FinancingPlan,
    Funder,
    Indicator,
    IndicatorPeriod,
    IndicatorUpdate,
    Instalment,
    Project,
    ProjectContributor,
    ProjectCountry,
    ProjectSector,
    ReportDue,
    ResourceLine,
    Result,
    ServiceBudget,
    Transaction,
)


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funder
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Bailleur {n}")
    iati_org_type = "10"


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    funder = factory.SubFactory(FunderFactory)
    title = factory.Sequence(lambda n: f"Appel à projets {n}")
    year = 2026


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    authority = factory.SubFactory(MemberAuthorityFactory)
    slug = factory.Sequence(lambda n: f"projet-{n}")
    title = factory.Sequence(lambda n: {"fr": f"Projet {n}", "en": f"Project {n}"})
    status = Project.Status.RUNNING
    planned_start = datetime.date(2025, 1, 1)
    planned_end = datetime.date(2027, 12, 31)


class ProjectSectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectSector

    project = factory.SubFactory(ProjectFactory)
    code = "15112"
    percentage = 100


class ProjectCountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectCountry

    project = factory.SubFactory(ProjectFactory)
    country = factory.SubFactory(CountryFactory, code="HT")
    percentage = 100


class FinancingPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancingPlan

    project = factory.SubFactory(ProjectFactory)


class ExpenseLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpenseLine

    plan = factory.SubFactory(FinancingPlanFactory)
    label = "Formation des agents"
    amount = "10000.00"


class ResourceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceLine

    plan = factory.SubFactory(FinancingPlanFactory)
    is_own = True
    amount = "10000.00"


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    project = factory.SubFactory(ProjectFactory)
    call = factory.SubFactory(CallFactory)
    amount_requested = "20000.00"


class InstalmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instalment

    application = factory.SubFactory(ApplicationFactory)
    amount = "10000.00"


class ReportDueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportDue

    application = factory.SubFactory(ApplicationFactory)
    due_on = datetime.date(2026, 12, 31)


class TransactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Transaction

    project = factory.SubFactory(ProjectFactory)
    authority = factory.LazyAttribute(lambda tx: tx.project.authority)
    transaction_type = "3"
    date = datetime.date(2025, 6, 1)
    amount = "5000.00"
    oda_category = Transaction.OdaCategory.PROJECTS
    recipient_country = factory.SubFactory(CountryFactory, code="HT")
    sector_code = "15112"


class ResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Result

    project = factory.SubFactory(ProjectFactory)
    title = factory.LazyFunction(lambda: {"fr": "Agents formés"})


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    result = factory.SubFactory(ResultFactory)
    title = factory.LazyFunction(lambda: {"fr": "Nombre d'agents formés"})


class IndicatorPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorPeriod

    indicator = factory.SubFactory(IndicatorFactory)
    starts_on = datetime.date(2025, 1, 1)
    ends_on = datetime.date(2025, 12, 31)
    target_value = 20


class ServiceBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceBudget

    authority = factory.SubFactory(MemberAuthorityFactory)
    year = 2025
    kind = ServiceBudget.Kind.WATER
    resources = "1000000.00"


class ProjectContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectContributor

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory("jumelage.accounts.tests.factories.UserFactory")


class IndicatorUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorUpdate

    period = factory.SubFactory(IndicatorPeriodFactory)
    value = 12
    submitted_at = factory.LazyFunction(timezone.now)
