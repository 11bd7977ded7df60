"""The home page: what to do, grouped by urgency, each line with its deadline, its reason and
its link; the year's files as a task list; the recent changes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from jumelage.agreements.tests.factories import AgreementFactory, CouncilDecisionFactory
from jumelage.audit.tests.factories import AuditEntryFactory
from jumelage.core.tests.factories import OdaEligibilityFactory
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory
from jumelage.projects.tests.factories import (
    ApplicationFactory,
    CallFactory,
    FunderFactory,
    InstalmentFactory,
    ProjectFactory,
    ReportDueFactory,
    TransactionFactory,
)
from jumelage.reporting.oda.window import declaration_window
from jumelage.reporting.tests.factories import full_project
from jumelage.visits.models import Participant, Visit
from jumelage.visits.tests.factories import ParticipantFactory, VisitFactory
from jumelage.workspace.selectors import ToDo, group_todos

pytestmark = pytest.mark.django_db

URL = "/en/workspace/ville-a/"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def tidy_a(city_a):
    """City A with nothing missing on its public page: an empty list to start from."""
    city_a.email, city_a.phone = "ri@ville-a.fr", "01 02 03 04 05"
    city_a.street, city_a.city = "1 place de la Mairie", "Ville A"
    city_a.save()
    city_a.authority.latitude, city_a.authority.longitude = Decimal("48.8"), Decimal("2.2")
    city_a.authority.save()
    OdaEligibilityFactory(year=declaration_window().year)  # the OECD list is loaded
    return city_a


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_an_empty_list_says_so_cheerfully(client, tidy_a, officer_a):
    page = home(client, officer_a)
    assert "Nothing to do right now: every file is in order." in page
    assert "Overdue" not in page


def test_lines_are_grouped_by_urgency_soonest_first():
    today = datetime.date(2026, 6, 1)
    todos = [
        ToDo("later", "", due=datetime.date(2026, 9, 1)),
        ToDo("undated, newer", "", since=datetime.date(2026, 5, 1)),
        ToDo("month", "", due=datetime.date(2026, 6, 20)),
        ToDo("overdue", "", due=datetime.date(2026, 5, 31)),
        ToDo("week", "", due=datetime.date(2026, 6, 8)),
        ToDo("undated, older", "", since=datetime.date(2025, 1, 1)),
        ToDo("today", "", due=today),
    ]
    groups = group_todos(todos, today)
    assert [(g.key, [t.what for t in g.items]) for g in groups] == [
        ("overdue", ["overdue"]),
        ("week", ["today", "week"]),
        ("month", ["month"]),
        ("later", ["later"]),
        ("undated", ["undated, older", "undated, newer"]),
    ]


def test_reports_and_instalments_due_show_with_their_funder_deadline_and_link(
    client, tidy_a, officer_a
):
    project = ProjectFactory(authority=tidy_a, title={"en": "Civil registry"})
    call = CallFactory(funder=FunderFactory(name="Ministère", acronym="MEAE"))
    application = ApplicationFactory(project=project, call=call)
    final = ReportDueFactory(application=application, kind="final", due_on=days(-3))
    instalment = InstalmentFactory(
        application=application, rank=2, amount="12000.00", due_on=days(20)
    )
    ReportDueFactory(application=application, due_on=days(400))  # beyond the horizon
    ReportDueFactory(application=application, due_on=days(-30), submitted_on=days(-31))

    page = home(client, officer_a)

    assert page.index("Overdue") < page.index("This month")
    assert "Send the final report of “Civil registry” to MEAE" in page
    assert "Funders usually hold back the end of a grant until the final report." in page
    assert "Instalment 2 from MEAE for “Civil registry”: €12,000.00" in page
    # Each line links to its row on the project's page, where it is recorded.
    project_page = f"/en/workspace/{tidy_a.slug}/projects/{project.pk}/"
    assert f'href="{project_page}#report-{final.pk}"' in page
    assert f'href="{project_page}#instalment-{instalment.pk}"' in page
    assert page.count("Send the") == 1


def test_agreements_show_the_legal_step_they_wait_for(client, tidy_a, officer_a):
    partnership = PartnershipFactory(authority=tidy_a)
    AgreementFactory(partnership=partnership, title={"en": "Draft charter"})
    pending = CouncilDecisionFactory(
        authority=tidy_a, number="DEL-41", transmitted_on=None, enforceable_on=None
    )
    AgreementFactory(partnership=partnership, approved=True, council_decision=pending)
    AgreementFactory(partnership=partnership, approved=True, title={"en": "Ready convention"})
    AgreementFactory(partnership=partnership, signed=True, title={"en": "Signed convention"})
    AgreementFactory(
        partnership=partnership, in_force=True, ends_on=days(40), title={"en": "Old oath"}
    )

    page = home(client, officer_a)

    assert "Have the council approve “Draft charter”" in page
    steps = f"/en/workspace/{tidy_a.slug}/partnerships/{partnership.pk}/#steps-title"
    assert f'href="{steps}"' in page  # the partnership's page, at the step's button
    assert "Record when council decision DEL-41 became enforceable" in page
    decision_form = (
        f"/en/workspace/{tidy_a.slug}/partnerships/{partnership.pk}/decisions/{pending.pk}/"
    )
    assert f'href="{decision_form}"' in page  # the decision's workspace form
    assert "/admin/agreements/" not in page
    assert "Sign “Ready convention”" in page
    assert "Transmit the signed “Signed convention” to the prefect" in page
    assert "“Old oath” ends on" in page
    assert "No deadline; waiting since" in page


def test_public_page_gaps_say_what_the_public_misses(client, city_a, officer_a):
    PartnershipFactory(
        authority=city_a, partner=ForeignAuthorityFactory(name="Cap-Haïtien"), is_public=True
    )
    ProjectFactory(authority=city_a, is_public=True, summary={}, title={"en": "Water"})

    page = home(client, officer_a)

    assert "Give the position of Ville A on the map" in page
    assert "Give the position of Cap-Haïtien on the map" in page
    assert "your public map leaves this partner town out" in page
    assert "Write a summary of “Water”" in page
    assert (
        "Complete the service&#x27;s contact details: e-mail address, phone number, "
        "postal address" in page
    )
    assert "An administrator of the authority changes them." in page  # an officer may not


def test_an_administrator_is_not_told_to_ask_an_administrator(client, city_a, admin_a):
    assert "An administrator of the authority changes them." not in home(client, admin_a)


def test_coming_delegations_missing_papers_are_listed_by_departure(client, tidy_a, officer_a):
    visit = VisitFactory(
        authority=tidy_a,
        direction=Visit.Direction.OUTGOING,
        title={"en": "Mission to Cap-Haïtien"},
        starts_on=days(5),
        ends_on=days(9),
    )
    ParticipantFactory(visit=visit, role=Participant.Role.STAFF, name="Camille Martin")

    page = home(client, officer_a)

    assert "Travel papers for “Mission to Cap-Haïtien”" in page
    assert "Camille Martin is a staff member: give the reference of their mission order." in page
    assert page.index("This week") < page.index("Travel papers")


def test_the_oda_declaration_lists_the_payments_to_fix_with_the_real_fix(
    client, tidy_a, officer_a, settings
):
    settings.ODA_DECLARATION_WINDOW = ("01-01", "12-31")  # open today
    year = timezone.localdate().year - 1
    OdaEligibilityFactory(year=year)
    project = ProjectFactory(authority=tidy_a, title={"en": "Civil registry"})
    missing_country = TransactionFactory(
        project=project,
        date=datetime.date(year, 3, 14),
        amount="3870.40",
        recipient_country=None,
    )
    TransactionFactory(project=project, date=datetime.date(year, 5, 1), channel_code="12000")

    page = home(client, officer_a)

    assert f"Make the ODA declaration of {year} flows" in page
    assert f"Fix the payment of €3,870.40 on March 14, {year} (Civil registry)" in page
    assert f"Left out of the ODA declaration of {year} flows until it is fixed." in page
    assert "give the country that benefits from it" in page
    assert f'href="/en/workspace/ville-a/payments/{missing_country.pk}/edit/"' in page
    assert f'href="/en/reporting/oda/ville-a/{year}/"' in page
    assert "1 payment counted, 1 to fix." in page


def test_many_payments_to_fix_are_summed_up_after_the_first_five(
    client, tidy_a, officer_a, settings
):
    settings.ODA_DECLARATION_WINDOW = ("01-01", "12-31")
    year = timezone.localdate().year - 1
    OdaEligibilityFactory(year=year)
    project = ProjectFactory(authority=tidy_a)
    for day in range(1, 8):
        TransactionFactory(project=project, date=datetime.date(year, 3, day), oda_category=None)

    page = home(client, officer_a)

    assert page.count("Fix the payment of") == 5
    assert "2 more payments to fix in the ODA declaration" in page


def test_projects_left_out_of_the_iati_file_say_why(client, tidy_a, officer_a):
    complete = full_project(tidy_a)
    broken = full_project(tidy_a, title={"en": "No sector"})
    broken.sectors.all().delete()

    page = home(client, officer_a)

    assert "Complete “No sector” for the IATI file" in page
    assert "Left out of your IATI file, which funders and the public read." in page
    assert f"Complete “{complete}”" not in page
    assert "2 published projects, 1 left out." in page


def test_the_years_files_show_their_state(client, tidy_a, officer_a):
    PartnershipFactory(authority=tidy_a, started_year=None)  # no theme, no year
    page = home(client, officer_a)
    assert "ODA declaration of" in page and "Nothing counted yet" in page
    assert "The year's files" in page
    assert "IATI file" in page and "Nothing published" in page
    assert "1 partnership, 1 sheet without its theme or year." in page
    assert "To complete" in page
    assert 'href="/en/reporting/atlas/ville-a/"' in page


def test_recent_changes_say_who_did_what_and_when(client, tidy_a, city_b, officer_a):
    AuditEntryFactory(
        authority=tidy_a,
        user=officer_a,
        verb="agreement signed",
        model="agreements.agreement",
        object_id="7",
        object_repr="Convention-cadre",
    )
    AuditEntryFactory(authority=city_b, object_repr="Secret of city B")
    officer_a.first_name, officer_a.last_name = "Camille", "Martin"
    officer_a.save()

    page = home(client, officer_a)

    assert "Agreement signed:" in page
    assert '<a href="/en/admin/agreements/agreement/7/change/">Convention-cadre</a>' in page
    assert "by Camille Martin" in page
    assert "Secret of city B" not in page


def test_the_home_is_in_french_with_french_dates_and_amounts(
    client, tidy_a, officer_a, settings, french
):
    settings.ODA_DECLARATION_WINDOW = ("01-01", "12-31")
    year = timezone.localdate().year - 1
    OdaEligibilityFactory(year=year)
    TransactionFactory(
        project=ProjectFactory(authority=tidy_a),
        date=datetime.date(year, 5, 12),
        amount="3870.40",
        recipient_country=None,
    )
    client.force_login(officer_a)
    page = client.get("/espace/ville-a/").content.decode()
    assert "À faire" in page
    assert f"3\u00a0870,40\u00a0€ le 12 mai {year}" in page


def test_the_french_home_writes_the_first_of_the_month_1er(
    client, tidy_a, officer_a, settings, french
):
    settings.ODA_DECLARATION_WINDOW = ("01-01", "12-31")
    year = timezone.localdate().year - 1
    OdaEligibilityFactory(year=year)
    project = ProjectFactory(authority=tidy_a)
    for day in (1, 2):
        TransactionFactory(
            project=project,
            date=datetime.date(year, 5, day),
            amount="3870.40",
            recipient_country=None,
        )
    client.force_login(officer_a)
    page = client.get("/espace/ville-a/").content.decode()
    assert f"3\u00a0870,40\u00a0€ le 1er mai {year}" in page
    assert f"3\u00a0870,40\u00a0€ le 2 mai {year}" in page


def test_a_missing_oecd_list_is_a_task_once_the_declaration_window_is_near(
    client, city_a, officer_a, settings
):
    page = home(client, officer_a)
    assert "is not loaded" in page and "Cannot start yet" in page  # in the year's files
    assert "Load the OECD list" not in page  # the window is months away (or open: below)

    settings.ODA_DECLARATION_WINDOW = ("01-01", "12-31")
    year = timezone.localdate().year - 1
    assert f"Load the OECD list of ODA recipients for {year}" in home(client, officer_a)


def test_an_authority_with_projects_but_none_published_is_told_to_publish(
    client, city_a, city_b, officer_a
):
    """A new authority's import publishes nothing: the home says so, linking to its projects;
    once one project is published the line goes. Another authority's projects count for
    nothing here."""
    ProjectFactory(authority=city_a, is_public=False)
    ProjectFactory(authority=city_a, is_public=False)
    ProjectFactory(authority=city_b, is_public=True)

    page = home(client, officer_a)
    assert "Publish your 2 projects, or those the public may see" in page
    assert f'href="/en/workspace/{city_a.slug}/projects/"' in page

    ProjectFactory(authority=city_a, is_public=True, summary={"en": "Wells."})
    assert "Publish your" not in home(client, officer_a)
