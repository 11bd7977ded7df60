"""A member authority's payments (the ledger): one row per payment, as the treasury's list of
mandats has it.

The row is read by the ledger's own reader (`projects.payments.payment_from_cells`, shared with
the pasted rows: FCFA read as XOF or XAF by the country, the euro amount paid, the ODA
category), found again by the ledger's key (`payment_key`: date, amount, currency, order
number, beneficiary) so that the same file twice records nothing twice, and written by
`projects.services.payment_save`, so every rule of a payment runs.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jumelage.audit.services import snapshot
from jumelage.core import values as typed
from jumelage.projects.models import Project, Transaction
from jumelage.projects.payments import payment_from_cells, payment_key
from jumelage.projects.services import payment_save, payments_lock
from jumelage.reporting.spreadsheets.cells import norm
from jumelage.reporting.spreadsheets.exports import field_header
from jumelage.reporting.spreadsheets.imports.base import (
    Context,
    Field,
    ImportKind,
    Planned,
    Problem,
    RowProblems,
)
from jumelage.tenancy.services import user_can_write

# The template's keys (those of mapping.SYNONYMS["payments"]) and the ledger reader's columns.
READER_COLUMNS = {
    "date": "date",
    "amount": "amount",
    "currency": "currency",
    "euro_value": "amount_eur",
    "beneficiary": "receiver",
    "category": "category",
    "country": "country",
    "order_number": "order_number",
    "budget_line": "budget_line",
    "in_kind": "in_kind",
}
TEMPLATE_KEYS = {column: key for key, column in READER_COLUMNS.items()}
# What a stored payment takes from a filled cell when the file names it again.
UPDATED = {
    "euro_value": "amount_eur",
    "category": "oda_category",
    "country": "recipient_country_id",
    "budget_line": "budget_line",
    "description": "description",
    "in_kind": "in_kind",
}
# Officers' words for a payment without a project, compared without accents or case: a nature
# cell holds one of them; in a payment's object, a one-word entry counts as a whole word,
# singular or plural. The fee's words come first: "Cotisation et contribution" is a fee.
NATURE_WORDS = {
    "cotisation": Transaction.Nature.MEMBERSHIP_FEE,
    "adhesion": Transaction.Nature.MEMBERSHIP_FEE,
    "membership": Transaction.Nature.MEMBERSHIP_FEE,
    "membership fee": Transaction.Nature.MEMBERSHIP_FEE,
    "contribution": Transaction.Nature.NETWORK_CONTRIBUTION,
    "contribution reseau": Transaction.Nature.NETWORK_CONTRIBUTION,
    "contribution a un reseau": Transaction.Nature.NETWORK_CONTRIBUTION,
    "network contribution": Transaction.Nature.NETWORK_CONTRIBUTION,
}


def nature_in_words(text: Any) -> str | None:
    """The nature of a payment without a project that its description names: a membership fee
    ("Cotisation 2025", "Adhésion CUF") or a network contribution ("Contribution au réseau"),
    else None. Only whole words count: "contributions" in "Formation des contributeurs" does
    not."""
    if not text:
        return None
    words = norm(str(text)).replace("-", " ").replace("'", " ").split()
    singular = {word.removesuffix("s") for word in words}
    for word, nature in NATURE_WORDS.items():
        if word in singular:
            return nature
    return None


class PaymentImport(ImportKind):
    name = "payments"
    title = gettext_lazy("Payments")
    description = gettext_lazy(
        "Your authority's payments (the mandats): date, order number, beneficiary, amount, "
        "euros paid, project or membership fee."
    )
    what = gettext_lazy("payment")
    existing_rows = gettext_lazy(
        "A payment already in the ledger (same date, amount, currency, order number and "
        "beneficiary) is not recorded again: its filled cells (euros paid, category, country, "
        "budget line, description, in kind) replace what is stored."
    )
    fields = (
        Field("date", gettext_lazy("Date"), "raw", "", "12/05/2025", required=True),
        Field("order_number", gettext_lazy("Order no."), "raw", "", "2025-0412"),
        Field("budget_line", gettext_lazy("Budget line"), "raw", "", "65748 - 048"),
        Field(
            "beneficiary",
            gettext_lazy("Beneficiary"),
            "raw",
            "",
            "Mairie de Dogbo",
            model_field="receiver",
        ),
        Field(
            "amount",
            gettext_lazy("Amount"),
            "raw",
            gettext_lazy("As written: 45 000 000 FCFA, 3 870,40 €; euros if no currency."),
            "45 000 000 FCFA",
            required=True,
        ),
        Field("currency", gettext_lazy("Currency"), "raw", "", "XOF"),
        Field(
            "euro_value",
            gettext_lazy("Euros paid"),
            "raw",
            gettext_lazy("The euro amount the treasury actually paid."),
            "68 602,06 €",
            model_field="amount_eur",
        ),
        Field(
            "country",
            gettext_lazy("Country"),
            "raw",
            gettext_lazy("The partner's country; it says whether FCFA is XOF or XAF."),
            "BJ",
            model_field="recipient_country",
        ),
        Field(
            "project",
            field_header(Transaction, "project"),
            "text",
            gettext_lazy("The project's title or address (slug); empty for a membership fee."),
            "Forages à Dogbo",
            args=(300,),
        ),
        Field(
            "nature",
            gettext_lazy("Nature"),
            "text",
            gettext_lazy("Without a project: membership fee or network contribution."),
            args=(100,),
        ),
        Field(
            "in_kind",
            gettext_lazy("In kind"),
            "raw",
            gettext_lazy(
                "Yes (oui, x) for a contribution in kind (staff time, equipment), not money "
                "paid; no or empty for a payment."
            ),
            "non",
        ),
        Field(
            "category",
            gettext_lazy("ODA category"),
            "raw",
            gettext_lazy("Its number, from 1 to 8."),
            "1",
            model_field="oda_category",
        ),
        Field(
            "description",
            field_header(Transaction, "description"),
            "text",
            "",
            args=(300,),
        ),
    )

    def may_write(self, ctx: Context) -> str | None:
        if ctx.member is None:
            return _("Choose the member authority the payments are for.")
        if user_can_write(ctx.user, Transaction(authority=ctx.member)):
            return None
        return _(
            "You may not change the payments of %(authority)s. Ask its administrator for a "
            "role that lets you edit them."
        ) % {"authority": ctx.member}

    def prepare(self, ctx: Context, rows: list[tuple[int, dict[str, Any]]]) -> None:
        member = ctx.member
        assert member is not None
        self.countries = typed.Countries()
        self.projects: dict[str, list[Project]] = {}
        self.project_countries: dict[int, list[str]] = {}
        if any("project" in values for _row, values in rows):
            projects = Project.objects.of_authority(member.pk).prefetch_related("countries")
            for project in projects:
                names = {norm(project.slug)}
                names.update(norm(title) for title in (project.title or {}).values() if title)
                for name in names:
                    self.projects.setdefault(name, []).append(project)
                self.project_countries[project.pk] = [c.country_id for c in project.countries.all()]
        # A sheet that says nothing of ODA categories (most officers' files): a new payment of
        # a project is a cooperation project's (category 1), said once in the dry run's notes.
        self.default_category = not any(values.get("category") for _row, values in rows)
        self.category_noted = False
        self.existing = {
            payment_key(tx): tx
            for tx in Transaction.objects.filter(authority=member).only(
                "pk", "date", "amount", "currency", "order_number", "receiver"
            )
        }

    def key(self, values: dict[str, Any]) -> Hashable | None:
        return None  # known once the row is read (Planned.key)

    def _project(self, row: int, name: str) -> Project:
        found = self.projects.get(norm(name), [])
        if len(found) == 1:
            return found[0]
        if not found:
            message = _(
                "your authority has no project “%(value)s”; write its title or its address "
                "(slug) as in the workspace, or, for a membership fee or a network "
                "contribution, leave the cell empty and say so in the nature or description "
                "column."
            )
        else:
            message = _(
                "several of your projects are called “%(value)s”; write its address (slug)."
            )
        raise RowProblems([self.problem(row, "project", message % {"value": name})])

    def _nature(self, row: int, text: str) -> str:
        word = norm(text).strip(" .")
        if word in NATURE_WORDS:
            return NATURE_WORDS[word]
        for stored, label in Transaction.Nature.choices:
            if word in (norm(stored), norm(str(label))):
                return stored
        raise RowProblems(
            [
                self.problem(
                    row,
                    "nature",
                    _(
                        "“%(value)s” is not a nature of payment; write membership fee or "
                        "network contribution, or name the project."
                    )
                    % {"value": text},
                )
            ]
        )

    def plan(self, row: int, values: dict[str, Any], ctx: Context) -> Planned:
        member = ctx.member
        assert member is not None
        project = self._project(row, values["project"]) if values.get("project") else None
        nature = self._nature(row, values["nature"]) if values.get("nature") else None
        if project is None and nature is None:
            # No project and no nature column: what the officer wrote of the payment says it
            # ("Cotisation 2025", "Adhésion au réseau..."), as they would read it themselves.
            nature = nature_in_words(values.get("description"))
        if project is None and nature in (None, Transaction.Nature.PROJECT):
            raise RowProblems(
                [
                    self.problem(
                        row,
                        "project",
                        _(
                            "name the project this payment belongs to, or say in the nature "
                            "or description column that it is a membership fee (“cotisation”) "
                            "or a network contribution (“contribution”)."
                        ),
                    )
                ]
            )
        countries = self.project_countries.get(project.pk, []) if project else []
        given = {
            READER_COLUMNS[key]: value for key, value in values.items() if key in READER_COLUMNS
        }
        payment, problems = payment_from_cells(
            given,
            member=member,
            project=project,
            nature=nature or Transaction.Nature.PROJECT,
            countries=self.countries,
            default_country=countries[0] if len(countries) == 1 else None,
        )
        if payment is None:
            raise RowProblems(
                [
                    self.problem(row, TEMPLATE_KEYS[key], message)
                    if key
                    else Problem(message, row=row)
                    for key, message in problems
                ]
            )
        if values.get("description"):
            payment.description = values["description"]
        key = payment_key(payment)
        existing = self.existing.get(key)
        if existing is None:
            if self.default_category and project is not None and payment.oda_category is None:
                payment.oda_category = Transaction.OdaCategory.PROJECTS
                if not self.category_noted:
                    self.category_noted = True
                    ctx.notes.append(
                        Problem(
                            _(
                                "The sheet has no ODA category column: a project's new payments "
                                "are recorded as cooperation projects (category 1 of the "
                                "declaration). Change it in the payments ledger for a grant to "
                                "an association (2), awareness work in France (3) or staff "
                                "costs (6)."
                            )
                        )
                    )
            planned = self.outcome(row, payment, None)
        else:
            instance = Transaction.objects.get(pk=existing.pk)
            stored = snapshot(instance)
            for name, attribute in UPDATED.items():
                if name in values:
                    setattr(instance, attribute, getattr(payment, attribute))
            if "project" in values or "nature" in values:
                instance.project, instance.nature = payment.project, payment.nature
            planned = self.outcome(row, instance, stored)
        planned.key = key
        return planned

    def begin_writing(self, ctx: Context) -> None:
        # The rows were planned before the import's transaction began: another import of the
        # same file (or a paste) may have recorded them since. The ledger's lock, the one the
        # paste takes, makes the writers of an authority's payments one after the other, and
        # the keys read under it say what is recorded by now.
        assert ctx.member is not None
        self.recorded: set[Hashable] = set(payments_lock(ctx.member))

    def write(self, planned: Planned, ctx: Context) -> None:
        payment = planned.instance
        if payment.pk is None:
            if planned.key in self.recorded:
                planned.action = "unchanged"  # recorded meanwhile: the same file twice, once
                return
            self.recorded.add(planned.key)
        else:
            current = Transaction.objects.get(pk=payment.pk)
            if current.version != payment.version and all(
                getattr(current, attribute) == getattr(payment, attribute)
                for attribute in (*UPDATED.values(), "project_id", "nature")
            ):
                planned.action = "unchanged"  # corrected meanwhile as this file corrects it
                return
        # An update is checked against the version read when the row was planned: a payment
        # corrected otherwise meanwhile refuses the import rather than being overwritten.
        payment_save(
            payment=payment,
            user=ctx.user,
            expected_version=payment.version if payment.pk else None,
        )
