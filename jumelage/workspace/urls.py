"""Workspace URLs, mounted inside i18n_patterns under a translated word, as the public site's
pages are: /espace/ in French, /en/workspace/ in English.

Every page of an authority's workspace sits under `<slug>/`, the authority's address: a page
names the authority it shows, so a bookmark or a shared link opens the same authority, and a
member of another authority gets a plain 404 for it.
"""

from typing import Any

from django.urls import path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jumelage.workspace.views import (
    acts,
    applications,
    budgets,
    calendar,
    documents,
    history,
    home,
    imports,
    news,
    partnerships,
    payments,
    people,
    plans,
    projects,
    reports,
    results,
    setup,
    visits,
)

app_name = "workspace"

member = "<slug:slug>/"


def page(words: Any) -> Any:
    """`<slug>/` then translated words of an address (a lazy string, read per language)."""
    return format_lazy("{}{}", member, words)


urlpatterns = [
    path("", home.start, name="start"),
    # The personal calendar feed: no authority in its address, the secret is the key.
    path(
        format_lazy("{}<str:secret>.ics", _("calendar-feed/")), calendar.feed, name="calendar_feed"
    ),
    path(member, home.home, name="home"),
    path(page(_("projects/")), projects.projects, name="projects"),
    path(page(format_lazy("{}<id:pk>/", _("projects/"))), projects.project, name="project"),
    path(
        page(format_lazy("{}{}", _("projects/"), _("new/"))),
        projects.project_edit,
        name="project_new",
    ),
    path(
        page(format_lazy("{}{}{}", _("projects/"), _("new/"), _("preview/"))),
        projects.project_preview,
        name="project_new_preview",
    ),
    path(
        page(format_lazy("{}<id:pk>/{}", _("projects/"), _("edit/"))),
        projects.project_edit,
        name="project_edit",
    ),
    path(
        page(format_lazy("{}<id:pk>/{}", _("projects/"), _("preview/"))),
        projects.project_preview,
        name="project_preview",
    ),
    path(page(_("partnerships/")), partnerships.partnerships, name="partnerships"),
    path(
        page(format_lazy("{}{}", _("partnerships/"), _("new/"))),
        partnerships.partnership_new,
        name="partnership_new",
    ),
    path(
        page(format_lazy("{}{}", _("partnerships/"), _("publish/"))),
        partnerships.partnerships_publish,
        name="partnerships_publish",
    ),
    path(
        page(format_lazy("{}<id:pk>/{}", _("partnerships/"), _("edit/"))),
        partnerships.partnership_edit,
        name="partnership_edit",
    ),
    path(
        page(format_lazy("{}<id:pk>/", _("partnerships/"))),
        partnerships.partnership,
        name="partnership",
    ),
    path(
        page(
            format_lazy(
                "{}<id:pk>/{}<id:agreement_pk>/{}", _("partnerships/"), _("acts/"), _("step/")
            )
        ),
        partnerships.agreement_step,
        name="agreement_step",
    ),
    path(
        page(format_lazy("{}<id:pk>/{}{}", _("partnerships/"), _("decisions/"), _("new/"))),
        acts.decision_new,
        name="decision_new",
    ),
    path(
        page(format_lazy("{}<id:pk>/{}<id:decision_pk>/", _("partnerships/"), _("decisions/"))),
        acts.decision_edit,
        name="decision_edit",
    ),
    path(
        page(format_lazy("{}<id:pk>/{}{}", _("partnerships/"), _("acts/"), _("new/"))),
        acts.agreement_new,
        name="agreement_new",
    ),
    path(
        page(format_lazy("{}<id:pk>/{}<id:agreement_pk>/", _("partnerships/"), _("acts/"))),
        acts.agreement_edit,
        name="agreement_edit",
    ),
    path(page(_("calendar/")), calendar.month, name="calendar"),
    path(
        page(format_lazy("{}<year:year>/<id:month>/", _("calendar/"))),
        calendar.month,
        name="calendar_month",
    ),
    path(
        page(format_lazy("{}{}", _("calendar/"), _("plan-a-visit/"))),
        calendar.plan_visit,
        name="plan_visit",
    ),
    path(
        page(format_lazy("{}{}", _("calendar/"), _("subscription/"))),
        calendar.subscription,
        name="calendar_subscription",
    ),
    path(page(_("setup/")), setup.setup, name="setup"),
    path(page(_("history/")), history.history, name="history"),
    path(page(_("settings/")), setup.settings, name="settings"),
    path(page(_("import/")), imports.imports, name="imports"),
    path(page(format_lazy("{}<id:pk>/", _("import/"))), imports.import_job, name="import_job"),
    path(
        page(format_lazy("{}<id:pk>/progress/", _("import/"))),
        imports.import_progress,
        name="import_progress",
    ),
    path(
        page(format_lazy("{}<id:pk>/check/", _("import/"))),
        imports.import_recheck,
        name="import_recheck",
    ),
    path(
        page(format_lazy("{}<id:pk>/write/", _("import/"))),
        imports.import_start,
        name="import_start",
    ),
    path(
        page(format_lazy("{}<id:pk>/rows-to-fix/", _("import/"))),
        imports.import_rows_to_fix,
        name="import_rows_to_fix",
    ),
    path(
        page(format_lazy("{}<id:pk>/next/", _("import/"))),
        imports.import_continue,
        name="import_continue",
    ),
    path(page(_("reports/")), reports.reports, name="reports"),
    path(
        page(format_lazy("{}<year:year>/", _("annual-report/"))),
        reports.annual,
        name="annual_report",
    ),
    path(
        page(format_lazy("{}<year:year>.pdf", _("annual-report/"))),
        reports.annual_pdf,
        name="annual_report_pdf",
    ),
    path(
        page(format_lazy("{}<id:pk>/{}<id:period_pk>/", _("projects/"), _("periods/"))),
        results.period_value,
        name="period_value",
    ),
    path(page(_("values-to-approve/")), results.approvals, name="approvals"),
    path(
        page(format_lazy("{}<id:pk>/{}", _("values-to-approve/"), _("approve/"))),
        results.approve,
        name="approval_approve",
    ),
    path(
        page(format_lazy("{}<id:pk>/{}", _("values-to-approve/"), _("refuse/"))),
        results.refuse,
        name="approval_refuse",
    ),
    path(page(_("people/")), people.people, name="people"),
    path(page(format_lazy("{}<id:pk>/", _("people/"))), people.person, name="person"),
    path(page(_("actors/")), people.actors, name="actors"),
    path(page(format_lazy("{}<id:pk>/", _("actors/"))), people.actor, name="actor"),
    path(page(format_lazy("{}<id:pk>/", _("networks/"))), people.network, name="network"),
]

# The financing plan editor (projects' plans, their lines in place, their steps).
plan_page = format_lazy("{}<id:pk>/{}<id:plan_pk>/", _("projects/"), _("plans/"))
for kind, words in (("expenses", _("expenses/")), ("resources", _("resources/"))):
    urlpatterns += [
        path(
            page(format_lazy("{}{}{}", plan_page, words, _("new/"))),
            plans.line_add,
            {"kind": kind},
            name=f"plan_{kind}_add",
        ),
        path(
            page(format_lazy("{}{}<id:line_pk>/", plan_page, words)),
            plans.line,
            {"kind": kind},
            name=f"plan_{kind}_line",
        ),
        path(
            page(format_lazy("{}{}<id:line_pk>/{}", plan_page, words, _("delete/"))),
            plans.line_delete,
            {"kind": kind},
            name=f"plan_{kind}_delete",
        ),
    ]
urlpatterns += [
    path(
        page(format_lazy("{}<id:pk>/{}{}", _("projects/"), _("plans/"), _("new/"))),
        plans.plan_new,
        name="plan_new",
    ),
    path(page(plan_page), plans.plan, name="plan"),
    path(page(format_lazy("{}{}", plan_page, _("status/"))), plans.plan_status, name="plan_status"),
    path(page(_("payments/")), payments.ledger, name="payments"),
    path(
        page(format_lazy("{}{}", _("payments/"), _("new/"))),
        payments.payment_new,
        name="payment_new",
    ),
    path(
        page(format_lazy("{}{}", _("payments/"), _("paste/"))),
        payments.paste,
        name="payments_paste",
    ),
    path(page(format_lazy("{}<id:pk>/", _("payments/"))), payments.payment_row, name="payment"),
    path(
        page(format_lazy("{}<id:pk>/{}", _("payments/"), _("edit/"))),
        payments.payment_edit,
        name="payment_edit",
    ),
    path(page(_("exchange-rates/")), payments.rate, name="rate"),
]

# The "1 % laws" budgets (water, sanitation, energy, waste, mobility) and their ceilings.
budgets_words = _("service-budgets/")
urlpatterns += [
    path(page(budgets_words), budgets.budgets_current, name="service_budgets_current"),
    path(
        page(format_lazy("{}<year:year>/", budgets_words)),
        budgets.budgets,
        name="service_budgets",
    ),
    path(
        page(format_lazy("{}{}", budgets_words, _("new/"))),
        budgets.budget_edit,
        name="service_budget_new",
    ),
    path(
        page(format_lazy("{}<id:pk>/{}", budgets_words, _("edit/"))),
        budgets.budget_edit,
        name="service_budget_edit",
    ),
    path(
        page(format_lazy("{}<id:pk>/{}", budgets_words, _("remove/"))),
        budgets.budget_remove,
        name="service_budget_remove",
    ),
]

# A project's applications to funders, recorded in place (their decision, instalments and
# reports due), and its contributors assigned.
project_page = format_lazy("{}<id:pk>/", _("projects/"))
application_page = format_lazy("{}{}<id:application_pk>/", project_page, _("applications/"))
urlpatterns += [
    path(
        page(format_lazy("{}{}", project_page, _("applications/"))),
        applications.applications,
        name="applications",
    ),
    path(
        page(format_lazy("{}{}", application_page, _("decision/"))),
        applications.decision,
        name="application_decision",
    ),
    path(
        page(format_lazy("{}{}", application_page, _("instalments/"))),
        applications.instalment,
        name="instalment_add",
    ),
    path(
        page(format_lazy("{}{}<id:row_pk>/", application_page, _("instalments/"))),
        applications.instalment,
        name="instalment",
    ),
    path(
        page(
            format_lazy("{}{}<id:row_pk>/{}", application_page, _("instalments/"), _("received/"))
        ),
        applications.received,
        name="instalment_received",
    ),
    path(
        page(format_lazy("{}{}", application_page, _("reports/"))),
        applications.report,
        name="report_add",
    ),
    path(
        page(format_lazy("{}{}<id:row_pk>/", application_page, _("reports/"))),
        applications.report,
        name="report",
    ),
    path(
        page(format_lazy("{}{}<id:row_pk>/{}", application_page, _("reports/"), _("sent/"))),
        applications.sent,
        name="report_sent",
    ),
    path(
        page(format_lazy("{}{}", project_page, _("contributors/"))),
        applications.contributor_assign,
        name="contributor_assign",
    ),
    path(
        page(
            format_lazy("{}{}<id:assignment_pk>/{}", project_page, _("contributors/"), _("remove/"))
        ),
        applications.contributor_remove,
        name="contributor_remove",
    ),
]

# Visits: the list, a visit's page, and its delegation, programme, hosting and costs changed in
# place.
visit_page = format_lazy("{}<id:pk>/", _("visits/"))
urlpatterns += [
    path(page(_("visits/")), visits.visits, name="visits"),
    path(page(visit_page), visits.visit, name="visit"),
    path(page(format_lazy("{}{}", visit_page, _("edit/"))), visits.visit_edit, name="visit_edit"),
    path(
        page(format_lazy("{}{}", visit_page, _("status/"))),
        visits.visit_status,
        name="visit_status",
    ),
    path(
        page(format_lazy("{}{}", visit_page, _("participants/"))),
        visits.participant,
        name="participant_add",
    ),
    path(
        page(format_lazy("{}{}<id:row_pk>/", visit_page, _("participants/"))),
        visits.participant,
        name="participant",
    ),
    path(
        page(format_lazy("{}{}<id:row_pk>/{}", visit_page, _("participants/"), _("remove/"))),
        visits.participant_delete,
        name="participant_remove",
    ),
    path(page(format_lazy("{}{}", visit_page, _("costs/"))), visits.cost, name="visit_cost_add"),
    path(
        page(format_lazy("{}{}<id:row_pk>/", visit_page, _("costs/"))),
        visits.cost,
        name="visit_cost",
    ),
    path(
        page(format_lazy("{}{}<id:row_pk>/{}", visit_page, _("costs/"), _("remove/"))),
        visits.cost_delete,
        name="visit_cost_remove",
    ),
    path(
        page(format_lazy("{}{}", visit_page, _("programme/"))),
        visits.programme_item,
        name="programme_item_add",
    ),
    path(
        page(format_lazy("{}{}<id:row_pk>/", visit_page, _("programme/"))),
        visits.programme_item,
        name="programme_item",
    ),
    path(
        page(format_lazy("{}{}<id:row_pk>/{}", visit_page, _("programme/"), _("remove/"))),
        visits.programme_item_delete,
        name="programme_item_remove",
    ),
    path(page(format_lazy("{}{}", visit_page, _("hosting/"))), visits.hosting, name="hosting_add"),
    path(
        page(format_lazy("{}{}<id:row_pk>/", visit_page, _("hosting/"))),
        visits.hosting,
        name="hosting",
    ),
    path(
        page(format_lazy("{}{}<id:row_pk>/{}", visit_page, _("hosting/"), _("remove/"))),
        visits.hosting_delete,
        name="hosting_remove",
    ),
]
# The authority's news, and the documents of projects and partnerships.
urlpatterns += [
    path(page(_("news/")), news.news_list, name="news"),
    path(page(format_lazy("{}{}", _("news/"), _("new/"))), news.news_edit, name="news_new"),
    path(page(format_lazy("{}<id:pk>/", _("news/"))), news.news_edit, name="news_edit"),
]
for kind, words in (("project", _("projects/")), ("partnership", _("partnerships/"))):
    urlpatterns += [
        path(
            page(format_lazy("{}<id:pk>/{}", words, _("documents/"))),
            documents.document_add,
            {"kind": kind},
            name=f"{kind}_document_add",
        ),
        path(
            page(
                format_lazy("{}<id:pk>/{}<id:document_pk>/{}", words, _("documents/"), _("remove/"))
            ),
            documents.document_remove,
            {"kind": kind},
            name=f"{kind}_document_remove",
        ),
    ]
