"""The authority's partnerships: the list (with several published at once), one partnership's
page, its form (created or changed through the partners' services), and the next legal step of
one of its acts (a form posted to the agreements app's step service)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jumelage.agreements.models import Agreement
from jumelage.agreements.steps import next_legal_step, take_step
from jumelage.partners.models import Partnership
from jumelage.partners.services import (
    partnership_save,
    partnership_save_with_new_partner,
    partnerships_set_published,
)
from jumelage.projects.selectors import usual_countries
from jumelage.tenancy.access import may_write
from jumelage.tenancy.services import concurrent_edit_error
from jumelage.workspace import navigation
from jumelage.workspace.forms.calendar import link_errors
from jumelage.workspace.forms.partnerships import PartnershipForm, add_refusal, step_form
from jumelage.workspace.pages.news import PARTNERSHIP, DocumentsSection, owner_documents
from jumelage.workspace.pages.partnerships import (
    PARTNERSHIPS_PER_PAGE,
    may_write_partnerships,
    partnership_page,
    partnership_rows,
    readable_partnership,
    to_publish,
)
from jumelage.workspace.selectors import Seat, seat
from jumelage.workspace.views.frame import render_page


@login_required
@require_GET
def partnerships(request: HttpRequest, slug: str) -> HttpResponse:
    """The authority's partnerships, with their kind, status, first signature and projects."""
    place = seat(request.user, slug)
    paginator = Paginator(partnership_rows(place), PARTNERSHIPS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render_page(
        request,
        "workspace/partnerships/list.html",
        place,
        nav=navigation.PARTNERSHIPS,
        title=_("Partnerships"),
        context={
            "page": page,
            "partnerships": page.object_list,
            "may_publish": may_write_partnerships(place),
        },
    )


def _writer(request: HttpRequest, slug: str) -> Seat:
    place = seat(request.user, slug)
    if not may_write_partnerships(place):
        raise PermissionDenied(_("Your role lets you read the partnerships, not change them."))
    return place


def _form_page(
    request: HttpRequest, place: Seat, form: PartnershipForm, partnership: Partnership | None
) -> HttpResponse:
    link_errors(form)
    title = _("Change the partnership") if partnership is not None else _("Add a partnership")
    return render_page(
        request,
        "workspace/partnerships/form.html",
        place,
        nav=navigation.PARTNERSHIPS,
        title=title,
        context={"form": form, "partnership": partnership},
        status=400 if form.is_bound and form.errors else 200,
    )


def _save(request: HttpRequest, place: Seat, form: PartnershipForm) -> Partnership | None:
    """The partnership written through the partners' services (a town to add first, in the same
    transaction), or None with the refusal on the form."""
    partnership = form.build()
    expected = form.cleaned_data.get("version") if form.instance is not None else None
    try:
        if form.new_town:
            return partnership_save_with_new_partner(
                partnership=partnership,
                name=form.cleaned_data["partner_name"].strip(),
                country_id=form.cleaned_data["partner_country"].code,
                user=request.user,
                expected_version=expected,
            )
        return partnership_save(
            partnership=partnership, user=request.user, expected_version=expected
        )
    except ValidationError as error:
        add_refusal(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None


@login_required
@require_http_methods(["GET", "POST"])
def partnership_new(request: HttpRequest, slug: str) -> HttpResponse:
    """A new partnership: its partner town from the directory (or added to it), kind, status,
    dates, texts, and whether the public page shows it."""
    place = _writer(request, slug)
    usual = usual_countries(place.member.pk)
    form = PartnershipForm(request.POST or None, member=place.member, usual=usual)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, place, form)
        if saved is not None:
            messages.success(
                request,
                _("The partnership with %(partner)s is added.") % {"partner": saved.partner.name},
            )
            return redirect("workspace:partnership", slug=place.member.slug, pk=saved.pk)
    return _form_page(request, place, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change a partnership; a page opened before a colleague's change is refused."""
    place = _writer(request, slug)
    partnership = readable_partnership(place, pk)
    usual = usual_countries(place.member.pk)
    form = PartnershipForm(
        request.POST or None, member=place.member, instance=partnership, usual=usual
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, place, form)
        if saved is not None:
            messages.success(request, _("The partnership is saved."))
            return redirect("workspace:partnership", slug=place.member.slug, pk=saved.pk)
        # The refused values stay on the form; the stored record is read again for the page.
        partnership = readable_partnership(place, pk)
    return _form_page(request, place, form, partnership)


def _back(request: HttpRequest, place: Seat, chosen: list[Partnership]) -> str:
    back = request.POST.get("back", "")
    if back == "setup":
        return reverse("workspace:setup", args=[place.member.slug]) + "#publish"
    if back == "page" and len(chosen) == 1:
        return reverse("workspace:partnership", args=[place.member.slug, chosen[0].pk])
    return reverse("workspace:partnerships", args=[place.member.slug])


@login_required
@require_POST
def partnerships_publish(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish (or unpublish) the partnerships ticked, each with the version its page showed:
    all or none (a stale one, or one not found, and nothing is written)."""
    place = _writer(request, slug)
    ids = request.POST.getlist("partnership")
    published = request.POST.get("published", "1") != "0"
    chosen = to_publish(place, ids)
    back = _back(request, place, chosen)
    if not ids:
        messages.error(request, _("Tick the partnerships to publish first."))
        return redirect(back)
    if len(chosen) != len(set(ids)):
        messages.error(
            request,
            _(
                "Some of the partnerships ticked are not found in your authority (deleted "
                "meanwhile?), so nothing was changed. Reload the page and choose again."
            ),
        )
        return redirect(back)
    versions = {}
    for partnership in chosen:
        seen = request.POST.get(f"version-{partnership.pk}", "")
        versions[partnership] = int(seen) if seen.isdigit() and len(seen) < 10 else None
    try:
        partnerships_set_published(versions=versions, published=published, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect(back)
    names = ", ".join(p.partner.name for p in chosen)
    if published:
        done = ngettext(
            "Published: %(names)s. Your public page shows it now.",
            "Published: %(names)s. Your public page shows them now.",
            len(chosen),
        )
    else:
        done = ngettext(
            "No longer published: %(names)s.", "No longer published: %(names)s.", len(chosen)
        )
    messages.success(request, done % {"names": names})
    return redirect(back)


@login_required
@require_GET
def partnership(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One partnership: timeline, key figures, Atlas sheet, the next legal steps, documents."""
    return partnership_response(request, seat(request.user, slug), pk)


def partnership_response(
    request: HttpRequest,
    place: Seat,
    pk: int,
    *,
    documents: DocumentsSection | None = None,
    status: int = 200,
) -> HttpResponse:
    """The partnership's page; a document's form that needs correcting comes back in it."""
    page = partnership_page(place, pk, today=timezone.localdate())
    return render_page(
        request,
        "workspace/partnerships/page.html",
        place,
        nav=navigation.PARTNERSHIPS,
        title=str(page.partnership),
        context={
            "page": page,
            "partnership": page.partnership,
            "documents": documents or owner_documents(place, PARTNERSHIP, page.partnership.pk),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_step(request: HttpRequest, slug: str, pk: int, agreement_pk: int) -> HttpResponse:
    """The next legal step of one act of the partnership: its form, then the step service
    (which checks the law, the user's role and the version shown, and writes)."""
    place = seat(request.user, slug)
    partnership = readable_partnership(place, pk)
    agreements = Agreement.objects.for_user(place.user).of_authority(place.member.pk)
    agreement = get_object_or_404(
        agreements.select_related("council_decision", "partnership__partner"),
        pk=agreement_pk,
        partnership_id=partnership.pk,
    )
    if not may_write(place.user, place.member.pk, Agreement.write_roles):
        raise PermissionDenied(_("Your role lets you read this partnership, not change it."))
    back = redirect("workspace:partnership", slug=place.member.slug, pk=partnership.pk)
    step = next_legal_step(agreement)
    if step is None:
        messages.info(
            request, _("“%(agreement)s” has no legal step left.") % {"agreement": agreement}
        )
        return back
    if request.method == "POST":
        if request.POST.get("step") != step.name:
            # Someone took a step meanwhile: the form shown was for another one.
            messages.error(request, concurrent_edit_error().messages[0])
            return back
        form = step_form(step, agreement, request.POST)
        if take_step(form, place.user) is not None:
            messages.success(
                request,
                _("Done: %(step)s for “%(agreement)s”.")
                % {"step": str(step.label).lower(), "agreement": agreement},
            )
            return back
        link_errors(form)
    else:
        form = step_form(step, agreement)
    return render_page(
        request,
        "workspace/partnerships/step.html",
        place,
        nav=navigation.PARTNERSHIPS,
        title=str(step.label),
        context={"partnership": partnership, "agreement": agreement, "step": step, "form": form},
    )
