"""The shared register is governed: an authority's own entry is its administrators', an entry
other authorities use is the curators', everyone else proposes; every change is audited and
seen by the members who use the entry."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext

from jumelage.accounts.tests.factories import UserFactory
from jumelage.actors.services import skill_save
from jumelage.actors.tests.factories import PersonFactory, SkillFactory
from jumelage.audit.models import AuditEntry
from jumelage.core.tests.factories import CountryFactory
from jumelage.partners.models import Authority
from jumelage.partners.services import authority_save
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory
from jumelage.projects.models import Call
from jumelage.projects.tests.factories import ApplicationFactory, CallFactory, ProjectFactory
from jumelage.register.models import Proposal
from jumelage.register.selectors import may_change_directly
from jumelage.register.services import (
    delete_shared,
    proposal_accept,
    proposal_refuse,
    proposal_withdraw,
    propose_change,
    save_shared,
)
from jumelage.tenancy.history.selectors import entries_for
from jumelage.tenancy.services import ConcurrentEditError


@pytest.fixture
def curator(db):
    return UserFactory(username="curator", is_curator=True, email="curator@example.org")


@pytest.fixture
def shared_town(city_a, city_b):
    """A partner town both authorities work with (e.g. Kragujevac)."""
    town = ForeignAuthorityFactory(name="Kragujevac", country__code="RS")
    PartnershipFactory(authority=city_a, partner=town)
    PartnershipFactory(authority=city_b, partner=town)
    return town


def fresh(entry):
    return type(entry).objects.get(pk=entry.pk)


# --- Who changes what directly ----------------------------------------------------------------


def test_another_members_officer_cannot_rename_a_twin_town_others_use(shared_town, officer_b):
    shared_town.name = "Kragujevac (renamed by B)"
    with pytest.raises(PermissionDenied, match="curators"):
        authority_save(authority=shared_town, user=officer_b, expected_version=0)
    assert fresh(shared_town).name == "Kragujevac"
    assert not AuditEntry.objects.filter(model="partners.authority").exists()


def test_an_officer_corrects_a_partner_town_only_their_authority_uses(city_a, officer_a):
    town = ForeignAuthorityFactory(name="Cap-Haitien")
    PartnershipFactory(authority=city_a, partner=town)
    town.name = "Cap-Haïtien"
    authority_save(authority=town, user=officer_a, expected_version=0)
    assert (fresh(town).name, fresh(town).version) == ("Cap-Haïtien", 1)


def test_an_entry_nobody_uses_is_the_curators_unless_the_user_added_it(officer_a, officer_b):
    added = save_shared(
        ForeignAuthorityFactory.build(name="Holon", country=CountryFactory(code="IL")),
        user=officer_a,
    )
    assert added.added_by_id == officer_a.memberships.get().authority_id
    assert may_change_directly(officer_a, added)
    assert not may_change_directly(officer_b, added)
    legacy = ForeignAuthorityFactory(name="Villach")  # loaded before the register had owners
    assert not may_change_directly(officer_a, legacy)


def test_only_its_administrators_change_a_member_authoritys_own_entry(
    city_a, admin_a, officer_a, officer_b, curator
):
    identity = city_a.authority
    for someone in (officer_b, officer_a, curator):
        identity.siren = "111222333"
        with pytest.raises(PermissionDenied):
            authority_save(authority=identity, user=someone, expected_version=identity.version)
    assert fresh(identity).siren == "123456789"
    identity.siren = "219200730"
    authority_save(authority=identity, user=admin_a, expected_version=identity.version)
    assert fresh(identity).siren == "219200730"


def test_another_members_officer_cannot_change_a_call_and_its_caps(city_a, officer_b, curator):
    call = CallFactory(max_rate_ldc="70.00")
    ApplicationFactory(project=ProjectFactory(authority=city_a), call=call)
    call.max_rate_ldc = "100.00"
    with pytest.raises(PermissionDenied):
        save_shared(call, user=officer_b, expected_version=0)
    assert str(fresh(call).max_rate_ldc) == "70.00"
    call = fresh(call)
    call.max_rate_ldc = "60.00"
    save_shared(call, user=curator, expected_version=0)
    assert str(fresh(call).max_rate_ldc) == "60.00"


def test_a_skill_used_by_another_authority_is_not_renamed_by_a_third(city_a, officer_b):
    skill = SkillFactory(name="Eau")
    PersonFactory(authority=city_a).skills.add(skill)
    skill.name = "Water"
    with pytest.raises(PermissionDenied):
        skill_save(skill=skill, user=officer_b, expected_version=0)
    assert fresh(skill).name == "Eau"


def test_a_stale_save_of_a_register_entry_is_refused(city_a, officer_a):
    town = ForeignAuthorityFactory(name="Hackney")
    PartnershipFactory(authority=city_a, partner=town)
    first, second = fresh(town), fresh(town)
    first.population = 280000
    authority_save(authority=first, user=officer_a, expected_version=0)
    second.name = "Hackney (London)"
    with pytest.raises(ConcurrentEditError):
        authority_save(authority=second, user=officer_a, expected_version=0)
    assert (fresh(town).name, fresh(town).population) == ("Hackney", 280000)


# --- Proposals --------------------------------------------------------------------------------


def test_a_correction_becomes_a_proposal_that_a_curator_accepts(
    shared_town, officer_b, curator, django_capture_on_commit_callbacks
):
    officer_b.language = "en"
    officer_b.save()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = propose_change(
            shared_town,
            user=officer_b,
            values={"name": "Крагујевац Kragujevac"},
            note="Official site of the town.",
            expected_version=0,
        )
    assert fresh(shared_town).name == "Kragujevac"
    assert proposal.changes == {"name": ["Kragujevac", "Крагујевац Kragujevac"]}
    assert [m.to for m in mail.outbox] == [["curator@example.org"]]

    with django_capture_on_commit_callbacks(execute=True):
        proposal_accept(proposal, user=curator, note="Thank you.")

    entry = fresh(shared_town)
    assert (entry.name, entry.version) == ("Крагујевац Kragujevac", 1)
    assert Proposal.objects.get().status == Proposal.Status.ACCEPTED
    assert mail.outbox[-1].to == [officer_b.email]
    assert "accepted" in mail.outbox[-1].subject
    verbs = set(AuditEntry.objects.values_list("verb", flat=True))
    assert {"correction proposed", "proposed correction accepted"} <= verbs


def test_an_officer_cannot_accept_their_own_proposal(shared_town, officer_b):
    proposal = propose_change(
        shared_town, user=officer_b, values={"population": 150000}, expected_version=0
    )
    with pytest.raises(PermissionDenied):
        proposal_accept(proposal, user=officer_b)
    assert fresh(shared_town).population is None


def test_a_proposal_about_a_members_own_entry_goes_to_its_administrators(
    city_a, admin_a, officer_b, curator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = propose_change(
            city_a.authority, user=officer_b, values={"population": 49000}, expected_version=0
        )
    assert proposal.identity_of_id == city_a.pk
    assert [m.to for m in mail.outbox] == [[admin_a.email]]
    with pytest.raises(PermissionDenied):
        proposal_accept(proposal, user=curator)
    proposal_accept(proposal, user=admin_a)
    assert fresh(city_a.authority).population == 49000


def test_a_refusal_says_why_and_tells_the_proposer(
    shared_town, officer_b, curator, django_capture_on_commit_callbacks
):
    proposal = propose_change(
        shared_town, user=officer_b, values={"population": 1}, expected_version=0
    )
    with pytest.raises(ValidationError, match="Say why"):
        proposal_refuse(proposal, user=curator, note=" ")
    with django_capture_on_commit_callbacks(execute=True):
        proposal_refuse(proposal, user=curator, note="The census says 171 197.")
    assert Proposal.objects.get().status == Proposal.Status.REFUSED
    # Told in their own language (French by default), from the shipped catalogue.
    with translation.override("fr"):
        subject = gettext("Jumelage: your correction of %(entry)s was refused")
    assert mail.outbox[-1].subject == subject % {"entry": "Kragujevac (RS)"}
    assert subject.startswith("Jumelage : votre correction")
    assert "171 197" in mail.outbox[-1].body
    with pytest.raises(ValidationError, match="already answered"):
        proposal_accept(proposal, user=curator)
    assert fresh(shared_town).population is None


def test_a_proposer_withdraws_their_proposal_and_nobody_else_can(shared_town, officer_a, officer_b):
    proposal = propose_change(
        shared_town, user=officer_b, values={"population": 2}, expected_version=0
    )
    with pytest.raises(PermissionDenied):
        proposal_withdraw(proposal, user=officer_a)
    proposal_withdraw(proposal, user=officer_b)
    assert Proposal.objects.get().status == Proposal.Status.WITHDRAWN


def test_a_proposal_with_a_bad_value_is_refused_at_once(shared_town, officer_b):
    with pytest.raises(ValidationError):
        propose_change(shared_town, user=officer_b, values={"siren": "12 34"}, expected_version=0)
    with pytest.raises(ValidationError, match="changes nothing"):
        propose_change(
            shared_town, user=officer_b, values={"name": "Kragujevac"}, expected_version=0
        )
    assert not Proposal.objects.exists()


def test_a_proposal_overtaken_by_a_change_of_the_same_field_is_not_applied(
    shared_town, officer_b, curator
):
    proposal = propose_change(
        shared_town, user=officer_b, values={"population": 150000}, expected_version=0
    )
    entry = fresh(shared_town)
    entry.population = 171197
    save_shared(entry, user=curator, expected_version=0)
    with pytest.raises(ValidationError, match="changed since"):
        proposal_accept(proposal, user=curator)
    assert fresh(shared_town).population == 171197


def test_a_call_correction_with_eligible_countries_is_applied_whole(city_a, officer_b, curator):
    call = CallFactory()
    ApplicationFactory(project=ProjectFactory(authority=city_a), call=call)
    haiti = ForeignAuthorityFactory().country
    proposal = propose_change(
        call,
        user=officer_b,
        values={"max_rate_oda": "50.00"},
        m2m={"eligible_countries": [haiti]},
        expected_version=0,
    )
    proposal_accept(proposal, user=curator)
    call = Call.objects.get(pk=call.pk)
    assert str(call.max_rate_oda) == "50.00"
    assert list(call.eligible_countries.values_list("code", flat=True)) == [haiti.code]


# --- Deleting ---------------------------------------------------------------------------------


def test_only_curators_delete_and_an_entry_in_use_is_kept(shared_town, officer_a, curator):
    with pytest.raises(PermissionDenied):
        delete_shared(shared_town, user=officer_a)
    with pytest.raises(ValidationError, match="still used"):
        delete_shared(shared_town, user=curator)
    unused = ForeignAuthorityFactory(name="Nowhere")
    delete_shared(unused, user=curator)
    assert not Authority.objects.filter(pk=unused.pk).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETE)
    assert (entry.model, entry.object_id) == ("partners.authority", str(unused.pk))


# --- Seeing the history -----------------------------------------------------------------------


def test_the_history_of_an_entry_is_seen_by_the_members_who_use_it(
    city_a, officer_a, officer_b, curator
):
    town = ForeignAuthorityFactory(name="Villach")
    PartnershipFactory(authority=city_a, partner=town)
    town.population = 63000
    save_shared(town, user=curator, expected_version=0)
    change = AuditEntry.objects.get(model="partners.authority")
    assert change.authority_id is None
    assert change in entries_for(officer_a)
    assert change not in entries_for(officer_b)
    assert change in entries_for(curator)


def test_a_change_that_does_not_say_which_version_it_saw_is_refused(city_a, officer_a):
    town = ForeignAuthorityFactory(name="Colmenar Viejo")
    PartnershipFactory(authority=city_a, partner=town)
    town.population = 51000
    with pytest.raises(ConcurrentEditError):
        save_shared(town, user=officer_a, expected_version=None)
    assert fresh(town).population is None
