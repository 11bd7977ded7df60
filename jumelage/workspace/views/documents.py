"""A project's or partnership's documents: add one (an uploaded file, checked by the content
app's rule, or a link) and remove one, through `content.services` with the version the page
showed. A form that needs correcting comes back in the owner's page, nothing written."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jumelage.content.models import Document
from jumelage.content.services import document_delete, document_save
from jumelage.projects.models import Project
from jumelage.tenancy.services import ConcurrentEditError
from jumelage.workspace.forms.calendar import link_errors
from jumelage.workspace.forms.news import RemoveForm
from jumelage.workspace.pages.news import (
    PROJECT,
    may_write_documents,
    new_document_form,
    owner_documents,
)
from jumelage.workspace.pages.partnerships import readable_partnership
from jumelage.workspace.selectors import Seat, seat
from jumelage.workspace.views.partnerships import partnership_response
from jumelage.workspace.views.projects import add_errors, project_response


def _owner(place: Seat, kind: str, pk: int) -> Any:
    """The project or partnership of the seat's authority, or a 404 (another authority's)."""
    if kind == PROJECT:
        projects = Project.objects.for_user(place.user).of_authority(place.member.pk)
        return get_object_or_404(projects, pk=pk)
    return readable_partnership(place, pk)


def _writer(request: HttpRequest, slug: str, kind: str, pk: int) -> tuple[Seat, Any]:
    place = seat(request.user, slug)
    owner = _owner(place, kind, pk)
    if not may_write_documents(place):
        raise PermissionDenied(_("Your role lets you read the documents, not change them."))
    return place, owner


def _page(
    request: HttpRequest, place: Seat, kind: str, pk: int, status: int, **kwargs: Any
) -> HttpResponse:
    section = owner_documents(place, kind, pk, **kwargs)
    if kind == PROJECT:
        return project_response(request, place, pk, documents=section, status=status)
    return partnership_response(request, place, pk, documents=section, status=status)


def _back(place: Seat, kind: str, pk: int) -> HttpResponse:
    url = reverse(f"workspace:{kind}", args=[place.member.slug, pk])
    return redirect(f"{url}#documents-title")


@login_required
@require_POST
def document_add(request: HttpRequest, slug: str, pk: int, kind: str) -> HttpResponse:
    """File a new document under the project or partnership."""
    place, owner = _writer(request, slug, kind, pk)
    form = new_document_form(place, request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            document = document_save(
                document=form.fill(**{kind: owner}), user=place.user, expected_version=None
            )
        except ValidationError as error:
            add_errors(form, error)  # type: ignore[arg-type]
            link_errors(form)  # the service's refusal tied to its field too
        else:
            messages.success(request, _("“%(document)s” is added.") % {"document": document})
            return _back(place, kind, pk)
    return _page(request, place, kind, pk, status, form=form)


@login_required
@require_POST
def document_remove(
    request: HttpRequest, slug: str, pk: int, document_pk: int, kind: str
) -> HttpResponse:
    """Remove a document (and its stored file), if the page showed its current version."""
    place, owner = _writer(request, slug, kind, pk)
    documents = Document.objects.for_user(place.user).of_authority(place.member.pk)
    document = get_object_or_404(documents, pk=document_pk, **{kind: owner})
    form = RemoveForm(request.POST)
    name = str(document)
    if not form.is_valid():
        error, status = _("Reload the page, then remove the document again."), 400
    else:
        try:
            document_delete(
                document=document,
                user=place.user,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
            status = 409 if isinstance(refusal, ConcurrentEditError) else 400
        else:
            messages.success(request, _("“%(document)s” is removed.") % {"document": name})
            return _back(place, kind, pk)
    return _page(request, place, kind, pk, status, error=error)
