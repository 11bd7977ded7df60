"""The payments ledger: the authority's payments (with or without a project), a line added or
corrected in place (htmx swaps the row for its form and back; without JavaScript the same
form is a page), rows pasted from a spreadsheet, and a missing exchange rate."""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from jumelage.projects.models import Project, Transaction
from jumelage.projects.payments import column_names, read_pasted_payments
from jumelage.projects.services import payment_save, payments_record_pasted
from jumelage.register.services import exchange_rate_record
from jumelage.workspace import navigation
from jumelage.workspace.forms.payments import PasteForm, PaymentForm, RateForm
from jumelage.workspace.pages.payments import (
    ledger_page,
    line_of,
    may_write_payments,
    payment_of,
    project_of,
)
from jumelage.workspace.selectors import ODA_DETAILS_ANCHOR, Seat, seat
from jumelage.workspace.views.frame import render_page


def _writer(request: HttpRequest, slug: str) -> Seat:
    place = seat(request.user, slug)
    if not may_write_payments(place):
        raise PermissionDenied(_("You may read the payments but not record them."))
    return place


def _back(place: Seat, project: Project | None) -> str:
    if project is not None:
        return reverse("workspace:project", args=[place.member.slug, project.pk]) + "#payments"
    return reverse("workspace:payments", args=[place.member.slug])


@login_required
@require_GET
def ledger(request: HttpRequest, slug: str) -> HttpResponse:
    """Every payment of the authority, those of its projects and those without a project."""
    place = seat(request.user, slug)
    page = ledger_page(place, request.GET.get("page"))
    return render_page(
        request,
        "workspace/payments/ledger.html",
        place,
        nav=navigation.PAYMENTS,
        title=_("Payments"),
        context={"ledger": page, "project": None},
    )


def _form_errors(form: PaymentForm, error: ValidationError) -> None:
    """The service's refusal on the fields it names, the rest at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    aliases = {"nature": "project", "value_date": None}
    for name, errors in error.error_dict.items():
        target = aliases.get(name, name)
        if target not in form.fields or name == NON_FIELD_ERRORS:
            target = None
        for message in errors:
            form.add_error(target, message)


def _row_or_page(
    request: HttpRequest,
    place: Seat,
    form: PaymentForm,
    project: Project | None,
    payment: Transaction | None,
) -> HttpResponse:
    context = {
        "form": form,
        "payment": payment,
        "project": project,
        "member": place.member,
        "ledger_may_write": True,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "workspace/payments/_form_row.html", context)
    title = _("Correct a payment") if payment is not None else _("Add a payment")
    return render_page(
        request,
        "workspace/payments/form_page.html",
        place,
        nav=navigation.PAYMENTS,
        title=title,
        context=context,
        status=200 if not form.is_bound else 400,
    )


def _saved(
    request: HttpRequest, place: Seat, payment: Transaction, project: Project | None, added: bool
) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "workspace/payments/_row.html",
            {
                "line": line_of(payment),
                "project": project,
                "member": place.member,
                "ledger_may_write": True,
                "just_saved": True,
            },
        )
    done = _("The payment is recorded.") if added else _("The payment is saved.")
    messages.success(request, done)
    return redirect(_back(place, project))


@login_required
@require_http_methods(["GET", "POST"])
def payment_new(request: HttpRequest, slug: str) -> HttpResponse:
    """A new line: a payment of the project named (`for_project`), or one the officer places."""
    place = _writer(request, slug)
    source = request.POST if request.method == "POST" else request.GET
    project = project_of(place, source.get("for_project"))
    if request.method == "GET":
        form = PaymentForm(member=place.member, project=project)
        return _row_or_page(request, place, form, project, None)
    form = PaymentForm(request.POST, member=place.member, project=project)
    if form.is_valid():
        try:
            payment = payment_save(
                payment=form.fill(Transaction()), user=request.user, expected_version=None
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return _saved(request, place, payment, project, added=True)
    return _row_or_page(request, place, form, project, None)


@login_required
@require_GET
def payment_row(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One line as the ledger shows it (htmx puts it back when a correction is cancelled)."""
    place = seat(request.user, slug)
    payment = payment_of(place, pk)
    project = project_of(place, request.GET.get("for_project"))
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect(_back(place, project))
    return render(
        request,
        "workspace/payments/_row.html",
        {
            "line": line_of(payment),
            "project": project,
            "member": place.member,
            "ledger_may_write": may_write_payments(place),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def payment_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Correct a line; a page opened before a colleague's change is refused with a message.
    A reader following a link to a payment (the home, the history) is sent to where it is read:
    its row on its project's page, or the ledger."""
    place = seat(request.user, slug)
    payment = payment_of(place, pk)
    if request.method == "GET" and not may_write_payments(place):
        if payment.project_id is not None:
            page = reverse("workspace:project", args=[slug, payment.project_id])
            return redirect(f"{page}#payment-{payment.pk}")
        return redirect("workspace:payments", slug=slug)
    place = _writer(request, slug)
    source = request.POST if request.method == "POST" else request.GET
    project = project_of(place, source.get("for_project"))
    if project is not None and payment.project_id != project.pk:
        project = None  # moved to another project meanwhile: the ledger's form, with its choice
    if request.method == "GET":
        # A to-do about the payment's CRS codes opens their section (selectors.payment_url).
        opened = request.GET.get("open") == ODA_DETAILS_ANCHOR
        form = PaymentForm(
            member=place.member, project=project, instance=payment, open_details=opened
        )
        return _row_or_page(request, place, form, project, payment)
    form = PaymentForm(request.POST, member=place.member, project=project, instance=payment)
    if form.is_valid():
        try:
            saved = payment_save(
                payment=form.fill(payment),
                user=request.user,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            return _saved(request, place, saved, project, added=False)
    return _row_or_page(request, place, form, project, payment)


@login_required
@require_http_methods(["GET", "POST"])
def paste(request: HttpRequest, slug: str) -> HttpResponse:
    """Rows pasted from a spreadsheet: a preview with each row's problems, then the clean rows
    recorded together (the rows are read again from the text sent, never from the preview)."""
    place = _writer(request, slug)
    source = request.POST if request.method == "POST" else request.GET
    project = project_of(place, source.get("for_project"))
    form = PasteForm(request.POST or None, project=project)
    pasted = None
    if request.method == "POST" and form.is_valid():
        nature = form.cleaned_data.get("nature") or Transaction.Nature.MEMBERSHIP_FEE
        pasted = read_pasted_payments(
            form.cleaned_data["rows"], member=place.member, project=project, nature=nature
        )
        if request.POST.get("action") == "record" and not pasted.problem:
            try:
                recorded = payments_record_pasted(
                    pasted=pasted, member=place.member, user=request.user
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                count = len(recorded)
                if count:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)s payment recorded.", "%(count)s payments recorded.", count
                        )
                        % {"count": count},
                    )
                else:
                    messages.info(request, _("Nothing new to record: the ledger holds these rows."))
                return redirect(_back(place, project))
    return render_page(
        request,
        "workspace/payments/paste.html",
        place,
        nav=navigation.PAYMENTS,
        title=_("Paste payments from a spreadsheet"),
        context={
            "form": form,
            "pasted": pasted,
            "project": project,
            "columns": column_names(),
        },
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )


def _safe_next(request: HttpRequest, default: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


def _rate_initial(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    currency = (request.GET.get("currency") or "")[:3].upper()
    if currency.isalpha():
        initial["currency"] = currency
    with contextlib.suppress(ValueError):
        initial["date"] = datetime.date.fromisoformat(request.GET.get("date") or "")
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, slug: str) -> HttpResponse:
    """Record a missing exchange rate with its source (register.services, audited)."""
    place = _writer(request, slug)
    back = _safe_next(request, reverse("workspace:payments", args=[place.member.slug]))
    form = RateForm(request.POST or None, initial=_rate_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = exchange_rate_record(
                user=request.user,
                authority_id=place.member.pk,
                currency=data["currency"],
                date=data["date"],
                rate=data["rate"],
                source=data["source"],
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(
                request,
                _("The rate is recorded: 1 EUR = %(rate)s %(currency)s from %(date)s.")
                % {
                    "rate": number_format(entry.rate.normalize(), use_l10n=True),
                    "currency": entry.currency,
                    "date": entry.date.strftime("%d/%m/%Y"),
                },
            )
            return redirect(back)
    return render_page(
        request,
        "workspace/payments/rate.html",
        place,
        nav=navigation.PAYMENTS,
        title=_("Record an exchange rate"),
        context={"form": form, "next": back},
        status=400 if form.is_bound and form.errors else 200,
    )
