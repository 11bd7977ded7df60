"""The register's pages: a correction from another member becomes a proposal from the same
form; the curator accepts it on the proposal's page; nothing else writes."""

import pytest
from django.test import Client
from django.urls import reverse

from jumelage.accounts.tests.factories import UserFactory
from jumelage.partners.models import Authority
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory
from jumelage.register.models import Proposal


@pytest.fixture
def shared_town(city_a, city_b):
    town = ForeignAuthorityFactory(name="Kragujevac", country__code="RS")
    PartnershipFactory(authority=city_a, partner=town)
    PartnershipFactory(authority=city_b, partner=town)
    return town


def form_data(town, **changes):
    data = {
        "name": town.name,
        "local_name": "",
        "local_name_language": "",
        "kind": town.kind,
        "country": town.country_id,
        "region_name": "",
        "population": "",
        "latitude": "",
        "longitude": "",
        "siren": "",
        "insee_code": "",
        "iati_org_id": "",
        "wikidata_id": "",
        "website": "",
        "is_recognised_by_france": "on",
        "_version": str(town.version),
        "proposal_note": "",
    }
    data.update(changes)
    return data


def change_url(town):
    return reverse("admin:partners_authority_change", args=[town.pk])


def test_another_members_change_is_sent_as_a_proposal(client, shared_town, officer_b):
    client.force_login(officer_b)
    page = client.get(change_url(shared_town))
    assert "sent to the register&#x27;s curators as a proposal" in page.content.decode()
    response = client.post(
        change_url(shared_town),
        form_data(shared_town, name="Kragujevac (B)", proposal_note="Town website"),
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:register_proposal_change", args=[proposal.pk])
    assert Authority.objects.get(pk=shared_town.pk).name == "Kragujevac"
    assert proposal.changes == {"name": ["Kragujevac", "Kragujevac (B)"]}
    assert proposal.note == "Town website"


def test_a_change_form_without_its_version_is_refused(client, city_a, officer_a):
    town = ForeignAuthorityFactory(name="Holon")
    PartnershipFactory(authority=city_a, partner=town)
    client.force_login(officer_a)
    data = form_data(town, name="Holon (IL)")
    del data["_version"]
    response = client.post(change_url(town), data)
    assert response.status_code == 200
    assert "missing the version" in response.content.decode()
    assert Authority.objects.get(pk=town.pk).name == "Holon"


def test_the_curator_accepts_on_the_proposal_page(client, shared_town, officer_b):
    client.force_login(officer_b)
    client.post(change_url(shared_town), form_data(shared_town, population="171197"))
    proposal = Proposal.objects.get()
    url = reverse("admin:register_proposal_change", args=[proposal.pk])
    # The proposer cannot accept their own proposal: the button is not there, a post is refused.
    assert "_accept" not in client.get(url).content.decode()
    client.post(url, {"_accept": "1", "decision_note": ""})
    assert Authority.objects.get(pk=shared_town.pk).population is None

    curator = UserFactory(username="curator", is_curator=True)
    client.force_login(curator)
    assert "_accept" in client.get(url).content.decode()
    response = client.post(url, {"_accept": "1", "decision_note": "Census 2022."})
    assert response.status_code == 302
    assert Authority.objects.get(pk=shared_town.pk).population == 171197
    assert Proposal.objects.get().status == Proposal.Status.ACCEPTED


def test_a_member_sees_only_proposals_of_their_authority(client, shared_town, officer_a, officer_b):
    client.force_login(officer_b)
    client.post(change_url(shared_town), form_data(shared_town, population="5"))
    proposal = Proposal.objects.get()
    other = Client()
    other.force_login(officer_a)
    url = reverse("admin:register_proposal_change", args=[proposal.pk])
    assert other.get(url).status_code == 302  # not found for them: back to the admin's index
    listing = other.get(reverse("admin:register_proposal_changelist")).content.decode()
    assert "Kragujevac" not in listing


def test_the_history_of_an_entry_is_its_audit_log(client, shared_town, officer_a):
    client.force_login(officer_a)
    history = client.get(reverse("admin:partners_authority_history", args=[shared_town.pk]))
    assert history.status_code == 302
    listing = client.get(history["Location"])
    # A lookup the admin refused would redirect to "?e=1"; here the list is filtered on it.
    assert listing.status_code == 200
    assert listing.context["cl"].get_filters_params() == {
        "model": ["partners.authority"],
        "object_id": [str(shared_town.pk)],
    }


def test_deleting_an_entry_in_use_says_why_and_keeps_it(client, shared_town):
    client.force_login(UserFactory(username="curator", is_curator=True))
    url = reverse("admin:partners_authority_delete", args=[shared_town.pk])
    response = client.post(url, {"post": "yes"}, follow=True)
    # The admin names the records that protect it (delete_shared refuses the same, in words).
    assert "Cannot delete authority" in response.content.decode()
    assert Authority.objects.filter(pk=shared_town.pk).exists()
