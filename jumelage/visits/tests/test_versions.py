"""No lost update on visits: the visit's version covers its participants, programme, hosting
and costs; a row written from a page opened before a colleague's change is refused."""

import pytest

from jumelage.audit.models import AuditEntry
from jumelage.tenancy.services import ConcurrentEditError, delete_owned
from jumelage.visits.models import Participant, Visit
from jumelage.visits.services import (
    hosting_save,
    participant_save,
    programme_item_save,
    visit_cost_save,
)
from jumelage.visits.tests.factories import (
    HostingFactory,
    ParticipantFactory,
    ProgrammeItemFactory,
    VisitCostFactory,
    VisitFactory,
)

STALE = "Someone else changed this record while you were editing it."


def test_a_participant_saved_from_a_stale_page_is_refused_and_writes_nothing(officer_a, city_a):
    visit = VisitFactory(authority=city_a)
    participant = ParticipantFactory(visit=visit, name="Marie Curie")
    colleague = Participant.objects.get(pk=participant.pk)
    colleague.mission_order = "OM-2026-12"
    participant_save(participant=colleague, user=officer_a, expected_version=0)
    assert Visit.objects.get(pk=visit.pk).version == 1
    entries = AuditEntry.objects.count()

    participant.name = "Pierre Curie"  # page A still shows no mission order
    with pytest.raises(ConcurrentEditError, match=STALE):
        participant_save(participant=participant, user=officer_a, expected_version=0)
    with pytest.raises(ConcurrentEditError, match=STALE):
        participant_save(
            participant=Participant(visit=visit, name="Irène Joliot-Curie"),
            user=officer_a,
            expected_version=0,
        )
    with pytest.raises(ConcurrentEditError, match=STALE):
        delete_owned(participant, user=officer_a, expected_version=0)

    stored = Participant.objects.get(pk=participant.pk)
    assert (stored.name, stored.mission_order) == ("Marie Curie", "OM-2026-12")
    assert visit.participants.count() == 1
    assert AuditEntry.objects.count() == entries


def test_a_participant_without_the_visits_version_is_refused(officer_a, city_a):
    visit = VisitFactory(authority=city_a)
    with pytest.raises(ConcurrentEditError, match=STALE):
        participant_save(
            participant=Participant(visit=visit, name="Marie Curie"),
            user=officer_a,
            expected_version=None,
        )
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    ("factory", "save", "keyword"),
    [
        (ParticipantFactory, participant_save, "participant"),
        (ProgrammeItemFactory, programme_item_save, "item"),
        (HostingFactory, hosting_save, "hosting"),
        (VisitCostFactory, visit_cost_save, "cost"),
    ],
    ids=["participant", "programme item", "hosting", "cost"],
)
def test_every_row_of_a_visit_moves_its_version_on(officer_a, city_a, factory, save, keyword):
    visit = VisitFactory(authority=city_a)
    row = factory(visit=visit)
    field = next(
        f.name
        for f in type(row)._meta.concrete_fields
        if f.get_internal_type() == "CharField" and not f.choices and f.name != "currency"
    )
    setattr(row, field, "changed")
    save(**{keyword: row}, user=officer_a, expected_version=0)
    assert Visit.objects.get(pk=visit.pk).version == 1
    assert visit.version == 1  # the caller's copy is kept up to date
