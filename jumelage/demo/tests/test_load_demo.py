"""The demo loader: what it creates, that a second run changes nothing, and who sees what."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection

from jumelage.accounts.models import Membership, User
from jumelage.actors.models import Actor, Person
from jumelage.agreements.models import Agreement
from jumelage.audit.models import AuditEntry
from jumelage.core.models import AtlasTheme, Country
from jumelage.demo import data, services
from jumelage.demo.services import ensure_demo_reference_rows, load_demo
from jumelage.partners.models import MemberAuthority, Partnership
from jumelage.projects.models import Application, FinancingPlan, Project
from jumelage.projects.selectors import application_checks
from jumelage.tenancy.models import OwnedQuerySet
from jumelage.tenancy.services import delete_owned, save_owned

needs_load_reference = pytest.mark.skipif(
    not services.has_load_reference(), reason="manage.py load_reference is not installed"
)


@pytest.fixture
def reference(db):
    """The few reference rows the demo needs: `load_reference` is then not called (faster)."""
    ensure_demo_reference_rows()


@pytest.fixture
def loaded(reference):
    return load_demo()


def suresnes() -> MemberAuthority:
    return MemberAuthority.objects.get(slug=data.SURESNES_SLUG)


def every_row() -> dict[str, list[dict]]:
    """Every row of every table, by model."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.db_table in tables
    }


def test_without_load_reference_it_creates_the_few_rows_the_demo_needs(db, monkeypatch):
    monkeypatch.setattr(services, "has_load_reference", lambda: False)
    load_demo()
    assert set(Country.objects.values_list("code", flat=True)) == set(data.COUNTRY_CODES)
    assert Country.objects.get(code="HT").name_fr == "Haïti"
    theme = AtlasTheme.objects.get(code="1.1.1")
    assert [t.code for t in theme.path()] == ["1", "1.1", "1.1.1"]
    assert Project.objects.count() == 3


@needs_load_reference
def test_it_loads_the_reference_data_first_when_there_is_none(db):
    load_demo()
    assert Country.objects.count() > 200
    assert AtlasTheme.objects.filter(code="5.1.3").exists()
    assert Partnership.objects.filter(authority=suresnes()).count() == 8


def test_suresnes_has_its_six_published_twinnings_and_both_cooperations(loaded):
    member = suresnes()
    assert member.is_demo
    assert member.authority.siren == "219200730"
    assert member.authority.default_iati_org_id() == "FR-RCS-219200730"
    twinnings = Partnership.objects.filter(authority=member, kind=Partnership.Kind.TWINNING)
    assert sorted(twinnings.values_list("partner__name", flat=True)) == [
        "Colmenar Viejo", "Hackney", "Hann. Münden", "Holon", "Kragujevac", "Villach",
    ]  # fmt: skip
    assert all(p.is_public and p.started_year is None for p in twinnings)
    cooperations = Partnership.objects.filter(authority=member, kind=Partnership.Kind.COOPERATION)
    assert sorted(cooperations.values_list("partner__name", flat=True)) == [
        "Cap-Haïtien",
        "Kragujevac",
    ]
    cap = cooperations.get(partner__name="Cap-Haïtien")
    assert (cap.started_year, cap.main_theme.code, cap.is_public) == (1998, "1.1.1", True)
    assert twinnings.get(partner__name="Kragujevac").partner.local_name == "Крагујевац"
    assert member.opening_hours.count() == 10


def test_the_cap_haitien_protocols_were_signed_after_their_decisions_became_enforceable(loaded):
    agreements = Agreement.objects.filter(partnership__partner__name="Cap-Haïtien").order_by(
        "signed_on"
    )
    assert [a.signed_on.year for a in agreements] == [1998, 2018]
    assert agreements[1].signed_on.month == 7
    assert agreements[1].renews == agreements[0]
    for agreement in agreements:
        assert agreement.council_decision.enforceable_on < agreement.signed_on
        assert agreement.is_example and agreement.council_decision.is_example
        assert agreement.object and agreement.forecast_commitment is not None


def test_the_example_projects_have_balanced_plans_and_whole_shares(loaded):
    plans = FinancingPlan.objects.filter(project__authority=suresnes())
    assert plans.count() == 2
    for plan in plans:
        expenses = sum(line.amount for line in plan.expenses.all())
        resources = sum(line.amount for line in plan.resources.all())
        assert plan.status == FinancingPlan.Status.ADOPTED
        assert expenses == resources > 0
        project = plan.project
        assert sum(s.percentage for s in project.sectors.all()) == Decimal(100)
        assert sum(c.percentage for c in project.countries.all()) == Decimal(100)
        application = project.applications.get()
        assert sum(i.amount for i in application.instalments.all()) == application.amount_granted
        assert application.reports.exists()
        assert project.transactions.filter(from_own_funds=True).exists()
        assert project.results.filter(indicators__periods__isnull=False).exists()
        assert project.news.filter(is_public=True).exists()


@needs_load_reference
def test_the_example_applications_meet_their_calls_rules(db):
    # The MEAE 2025 caps (70 % for a least developed country, 50 % for another ODA country,
    # which needs the ODA list of `load_reference`), the 10 % own share and its in-kind half,
    # the instalments and reports: no warning.
    load_demo()
    assert Application.objects.count() == 2
    for application in Application.objects.all():
        assert application_checks(application) == []


@needs_load_reference
def test_the_demo_declares_as_oda_only_what_has_development_as_its_main_objective(db):
    # Good practice: the civil registration support in Cap-Haïtien is ODA (category 1, its
    # purpose confirmed); the school exchange with Kragujevac is not (OECD: the main objective
    # is the development of the recipient country), so it is left out with the reason, and
    # nothing is left to fix.
    from jumelage.reporting.oda.selectors import oda_declaration

    load_demo()
    declaration = oda_declaration(suresnes(), 2025)
    assert declaration.total == Decimal("12000.00")
    assert {item.project_title for item in declaration.counted} == {
        "Civil registration support in Cap-Haïtien (example)"
    }
    assert [t.key for t in declaration.by_category if t.count] == ["1"]
    assert declaration.warnings == []
    exchange = Project.objects.get(slug="echange-scolaire-kragujevac-exemple")
    assert exchange.oda_purpose == Project.OdaPurpose.OTHER
    assert len(declaration.excluded) == 2
    for exclusion in declaration.excluded:
        assert exclusion.item.project_id == exchange.pk
        assert "not official development assistance" in exclusion.reason
    assert not exchange.transactions.exclude(oda_category=None).exists()
    assert set(exchange.transactions.values_list("flow_type", flat=True)) == {"21"}


def test_the_meae_call_counts_the_french_authorities_in_its_ten_percent(loaded):
    from jumelage.projects.models import Call

    call = Call.objects.get(title=data.MEAE_CALL["title"])
    assert call.own_share_counts == Call.ShareCounts.FRENCH_AUTHORITIES


def test_invented_records_are_marked_as_examples(loaded):
    for project in Project.objects.all():
        assert project.is_example
        assert "exemple" in project.title["fr"] and "example" in project.title["en"]
    officials = Person.objects.filter(kind=Person.Kind.ELECTED)
    assert sorted(officials.values_list("last_name", flat=True)) == ["Dupuy", "Testud"]
    assert all(p.is_public and not p.is_example for p in officials)
    assert all(p.is_example for p in Person.objects.filter(kind=Person.Kind.STAFF))


def test_the_second_authority_is_fictional_and_private(loaded):
    second = MemberAuthority.objects.get(slug=data.SECOND_SLUG)
    assert second.is_demo and not second.authority.siren
    for model in (Partnership, Project, Actor):
        records = model.objects.filter(authority=second)
        assert records.count() == 1
        assert all(not r.is_public and r.is_example for r in records)


def test_loading_twice_creates_and_changes_nothing(loaded):
    assert loaded.total > 100
    before = every_row()
    audit_entries = AuditEntry.objects.count()
    again = load_demo()
    assert again.total == 0
    assert AuditEntry.objects.count() == audit_entries
    assert every_row() == before


def test_an_edit_made_by_a_user_survives_a_second_load(loaded):
    officer = User.objects.get(username="officer")
    hackney = Partnership.objects.get(partner__name="Hackney")
    hackney.status = Partnership.Status.DORMANT
    save_owned(hackney, user=officer, expected_version=hackney.version)
    project = Project.objects.get(slug="etat-civil-cap-haitien-exemple")
    project.title = {**project.title, "fr": "Titre changé par l'agent"}
    save_owned(project, user=officer, expected_version=project.version)
    counts = {label: len(rows) for label, rows in every_row().items()}

    load_demo()

    hackney.refresh_from_db()
    project.refresh_from_db()
    assert hackney.status == Partnership.Status.DORMANT
    assert project.title["fr"] == "Titre changé par l'agent"
    assert {label: len(rows) for label, rows in every_row().items()} == counts


def test_a_second_load_brings_back_a_record_that_is_missing(loaded):
    actor = Actor.objects.get(name="INSHEA")
    delete_owned(actor, user=User.objects.get(username="admin"), expected_version=actor.version)
    summary = load_demo()
    assert summary.total == 1
    assert Actor.objects.get(name="INSHEA").partnerships.get().partner.name == "Cap-Haïtien"


def test_officer2_reads_none_of_suresnes_records(loaded):
    officer2 = User.objects.get(username="officer2")
    member = suresnes()
    owned_models = [
        model
        for model in apps.get_models()
        if isinstance(model._default_manager.all(), OwnedQuerySet)
    ]
    with_suresnes_records = 0
    for model in owned_models:
        of_suresnes = {model.authority_path: member.pk}
        with_suresnes_records += model._base_manager.filter(**of_suresnes).exists()
        visible = model._default_manager.for_user(officer2)
        assert not visible.filter(**of_suresnes).exists(), model._meta.label
    assert with_suresnes_records >= 30
    assert Project.objects.for_user(officer2).get().slug == data.SECOND_PROJECT["slug"]


def test_the_users_have_their_roles_and_can_use_the_back_office(loaded):
    roles = {
        (m.user.username, m.authority.slug): m.role
        for m in Membership.objects.select_related("user", "authority")
    }
    assert roles == {
        ("admin", "suresnes"): "admin",
        ("officer", "suresnes"): "officer",
        ("viewer", "suresnes"): "viewer",
        ("officer2", "villebelle-sur-loire"): "officer",
        ("admin", "villebelle-sur-loire"): "admin",
    }
    assert all(user.is_staff for user in User.objects.all())
    assert list(User.objects.filter(is_superuser=True).values_list("username", flat=True)) == [
        "admin"
    ]


def test_the_passwords_follow_the_demo_password_setting(reference, settings):
    settings.DEMO_PASSWORD = "another-demo-password"
    load_demo()
    for username in ("admin", "officer", "viewer", "officer2"):
        assert User.objects.get(username=username).check_password("another-demo-password")


def test_a_second_load_keeps_a_password_changed_since(loaded, settings):
    viewer = User.objects.get(username="viewer")
    viewer.set_password("my own password")
    viewer.save()
    settings.DEMO_PASSWORD = "something else"
    load_demo()
    viewer.refresh_from_db()
    assert viewer.check_password("my own password")


def test_a_failure_leaves_nothing_half_loaded(reference, monkeypatch):
    def refuse(self, member):
        raise ValidationError("refused by a rule")

    monkeypatch.setattr(services.DemoLoader, "load_second", refuse)
    with pytest.raises(ValidationError):
        load_demo()
    assert not MemberAuthority.objects.exists()
    assert not Partnership.objects.exists()
    assert not User.objects.exists()
    assert not AuditEntry.objects.exists()
