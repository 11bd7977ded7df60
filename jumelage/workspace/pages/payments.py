"""What the ledger's pages show: the authority's payments (or a project's) with their euro value,
and who may change them. The projects app decides what a payment is worth and what may be
recorded (projects.payments, projects.services); here it is only gathered for a page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.shortcuts import get_object_or_404

from jumelage.projects.models import Project, Transaction
from jumelage.projects.payments import LedgerLine, ledger_lines, ledger_payments
from jumelage.workspace.selectors import Seat

PAYMENTS_PER_PAGE = 50


def may_write_payments(place: Seat) -> bool:
    """Whether the seat may record payments: its role, read with the seat from the user's
    memberships (no query more), against the roles that write payments. The services check
    it again on each write, afresh (tenancy.access.may_write)."""
    return bool(place.user.is_superuser or place.role in Transaction.write_roles)


@dataclass
class LedgerPage:
    page: Page
    lines: list[LedgerLine]
    may_write: bool


def ledger_page(place: Seat, number: Any) -> LedgerPage:
    """One page of the authority's payments, latest first: a fixed number of queries (the
    count, the payments with their projects and countries, the rates they need)."""
    paginator = Paginator(ledger_payments(place.member, place.user), PAYMENTS_PER_PAGE)
    page = paginator.get_page(number)
    return LedgerPage(
        page=page, lines=ledger_lines(page.object_list), may_write=may_write_payments(place)
    )


def payment_of(place: Seat, pk: int) -> Transaction:
    """A payment of the seat's authority the user may read, or a 404 (another authority's)."""
    return get_object_or_404(ledger_payments(place.member, place.user), pk=pk)


def project_of(place: Seat, pk: Any) -> Project | None:
    """The project a payment is added on (its page), or None; a 404 for another's."""
    if pk in (None, ""):
        return None
    try:
        number = int(pk)
    except (TypeError, ValueError):
        number = 0
    projects = Project.objects.for_user(place.user).of_authority(place.member.pk)
    return get_object_or_404(projects, pk=number)


def line_of(payment: Transaction) -> LedgerLine:
    return ledger_lines([payment])[0]
