"""Factories of the reporting app (imported IATI data) and a complete, IATI-valid project for
export tests, built with the apps' factories."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory

from jumelage.actors.tests.factories import ActorFactory, ProjectActorFactory
from jumelage.content.tests.factories import DocumentFactory
from jumelage.core.tests.factories import CountryFactory
from jumelage.partners.models import MemberAuthority
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory
from jumelage.projects.models import Project
from jumelage.projects.tests.factories import (
    ExpenseLineFactory,
    FinancingPlanFactory,
    FunderFactory,
    IndicatorFactory,
    IndicatorPeriodFactory,
    ProjectCountryFactory,
    ProjectFactory,
    ProjectSectorFactory,
    ResourceLineFactory,
    ResultFactory,
    TransactionFactory,
)
from jumelage.reporting.models import (
    ExternalActivity,
    ExternalCountry,
    ExternalParticipation,
    IatiOrganisation,
    ImportRun,
)


class IatiOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IatiOrganisation
        django_get_or_create = ("ref",)

    ref = factory.Sequence(lambda n: f"XM-DAC-{900 + n}")
    name = factory.LazyAttribute(lambda o: {"en": f"Agency {o.ref}"})
    type = "10"


class ImportRunFactory(factory.django.DjangoModelFactory):
    """An import made for a member authority (`authority=None`: from the command line)."""

    class Meta:
        model = ImportRun

    authority = factory.SubFactory("jumelage.partners.tests.factories.MemberAuthorityFactory")
    file_name = "agency-activities.xml"
    file_sha256 = "0" * 64
    iati_version = "2.03"
    activities = 1
    created = 1
    warning_count = 1
    warnings = factory.LazyFunction(lambda: ["XM-DAC-900-1: No sector is given."])


class ExternalActivityFactory(factory.django.DjangoModelFactory):
    """An activity of another publisher, with a participant and a recipient country."""

    class Meta:
        model = ExternalActivity
        skip_postgeneration_save = True

    iati_identifier = factory.Sequence(lambda n: f"XM-DAC-900-{n}")
    reporting_org = factory.SubFactory(IatiOrganisationFactory, ref="XM-DAC-900")
    title = factory.LazyFunction(lambda: {"en": "Water for northern Haiti", "fr": "De l'eau"})
    description = factory.LazyFunction(lambda: {"en": "Wells and pipes."})
    status = "2"
    planned_start = datetime.date(2025, 1, 1)
    currency = "EUR"
    budget_total = Decimal("250000.00")
    iati_version = "2.03"
    content_hash = factory.Sequence(lambda n: f"{n:064d}")
    last_import = factory.SubFactory(ImportRunFactory)

    @factory.post_generation
    def parts(obj: ExternalActivity, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            ExternalParticipation.objects.create(
                activity=obj, organisation=obj.reporting_org, role="1", type="10"
            )
            ExternalCountry.objects.create(activity=obj, country_code="HT")


def full_project(member: MemberAuthority, **fields: Any) -> Project:
    """A published project with every part an IATI activity shows, valid on 2026-06-30."""
    fields = {
        "is_public": True,
        "title": {"fr": "Appui à l'état civil", "en": "Civil registry support", "ht": "Sivil"},
        "summary": {"fr": "Coopération décentralisée.", "en": "Decentralised cooperation."},
        "objectives": {"fr": "Former les agents."},
        "planned_start": datetime.date(2025, 1, 1),
        "planned_end": datetime.date(2026, 12, 31),
        "actual_start": datetime.date(2025, 2, 1),
        "sdg_targets": ["16.9"],
        **fields,
    }
    project: Project = ProjectFactory(authority=member, **fields)
    ProjectCountryFactory(project=project, country=CountryFactory(code="HT"), percentage=80)
    ProjectCountryFactory(project=project, country=CountryFactory(code="RS"), percentage=20)
    ProjectSectorFactory(project=project, code="15112", percentage=60)
    ProjectSectorFactory(project=project, code="15150", percentage=40)
    plan = FinancingPlanFactory(project=project, year=2025, status="adopted")
    ExpenseLineFactory(plan=plan, amount="30000.00")
    ExpenseLineFactory(plan=plan, amount="5000.00", year=2026)
    ResourceLineFactory(plan=plan, amount="20000.00")
    ResourceLineFactory(
        plan=plan,
        is_own=False,
        funder=FunderFactory(name="Agence française de développement", iati_org_id="FR-3"),
        amount="15000.00",
        status="granted",
    )
    project.partnerships.add(
        PartnershipFactory(
            authority=member, partner=ForeignAuthorityFactory(name="Cap-Haïtien"), is_public=True
        )
    )
    ProjectActorFactory(project=project, actor=ActorFactory(authority=member, kind="school"))
    TransactionFactory(project=project, transaction_type="2", date=datetime.date(2025, 1, 15))
    TransactionFactory(
        project=project,
        transaction_type="1",
        date=datetime.date(2025, 3, 1),
        provider="AFD",
        provider_org_id="FR-3",
    )
    DocumentFactory(authority=member, project=project, is_public=True, category="A12")
    DocumentFactory(
        authority=member, project=project, is_public=False, url="https://example.org/secret.pdf"
    )
    indicator = IndicatorFactory(
        result=ResultFactory(project=project), baseline_year=2024, baseline_value=0
    )
    IndicatorPeriodFactory(indicator=indicator, actual_value=12)
    return project
