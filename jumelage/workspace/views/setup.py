"""The setup checklist of a new member authority (workspace/<slug>/setup/): where an invited
administrator lands, and the home's to-do until it is done. Each form writes through the
partners' services (the member's settings; a town's position through the shared register)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from jumelage.partners.services import (
    member_identifiers_update,
    member_settings_update,
    town_position_save,
)
from jumelage.workspace import navigation
from jumelage.workspace.forms.setup import ContactForm, IdentifiersForm, IntroductionForm
from jumelage.workspace.pages.setup import (
    administrators_of,
    checklist,
    lookup,
    may_change_settings,
)
from jumelage.workspace.selectors import seat
from jumelage.workspace.views.frame import render_page


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("_version", ""))
    except ValueError:
        return None


def _refused(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _settings_forms(member: Any) -> tuple[ContactForm, IntroductionForm]:
    contact = ContactForm(initial={name: getattr(member, name) for name in ContactForm.base_fields})
    introduction = IntroductionForm(
        initial={"introduction": (member.introduction or {}).get("fr", "")}
    )
    return contact, introduction


def _save_settings(
    request: HttpRequest, place: Any, action: str, back: str
) -> tuple[HttpResponse | None, ContactForm, IntroductionForm]:
    """The service contact or the public page's introduction, written through the member's
    settings (the setup checklist and the settings page post the same forms here): a redirect
    to `back` once saved or refused by role, else the forms with their errors to show."""
    member = place.member
    contact, introduction = _settings_forms(member)
    try:
        if action == "contact":
            contact = ContactForm(request.POST)
            if contact.is_valid():
                member_settings_update(
                    member=member,
                    user=request.user,
                    expected_version=_version(request),
                    **contact.cleaned_data,
                )
                messages.success(request, _("The service contact is saved."))
                return redirect(back), contact, introduction
        else:
            introduction = IntroductionForm(request.POST)
            if introduction.is_valid():
                texts = dict(member.introduction or {})
                texts["fr"] = introduction.cleaned_data["introduction"]
                member_settings_update(
                    member=member,
                    user=request.user,
                    expected_version=_version(request),
                    introduction=texts,
                )
                messages.success(request, _("The introduction of your public page is saved."))
                return redirect(back), contact, introduction
    except ValidationError as error:
        _refused(contact if action == "contact" else introduction, error)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect(back), contact, introduction
    return None, contact, introduction


def _identifiers_form(member: Any) -> IdentifiersForm:
    entry = member.authority
    return IdentifiersForm(initial={"siren": entry.siren, "iati_org_id": entry.iati_org_id})


def _save_identifiers(
    request: HttpRequest, place: Any, back: str
) -> tuple[HttpResponse | None, IdentifiersForm]:
    """The identifiers of the authority's own directory entry, written through
    `member_identifiers_update` (which writes that entry only): a redirect to `back` once saved
    or refused by role, else the form with its errors to show."""
    form = IdentifiersForm(request.POST)
    if not form.is_valid():
        return None, form
    try:
        member_identifiers_update(
            member=place.member,
            user=request.user,
            expected_version=_version(request),
            **form.cleaned_data,
        )
    except ValidationError as error:
        form.refuse(error)
        return None, form
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect(back), form
    messages.success(request, _("The identifiers of your authority are saved."))
    return redirect(back), form


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest, slug: str) -> HttpResponse:
    place = seat(request.user, slug)
    contact, introduction = _settings_forms(place.member)
    status = 200
    if request.method == "POST":
        if not place.may_write:
            raise PermissionDenied(_("Your role does not allow changes to this authority."))
        action = request.POST.get("action")
        back = reverse("workspace:setup", args=[slug])
        try:
            if action in ("contact", "introduction"):
                done, contact, introduction = _save_settings(request, place, action, back)
                if done is not None:
                    return done
            elif action == "place":
                return _place(request, place)
            elif action == "place-all":
                return _place_all(request, place)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(back)
        status = 400
    page = checklist(place)
    return render_page(
        request,
        "workspace/setup/setup.html",
        place,
        nav=navigation.SETUP,
        title=_("Setting up"),
        context={
            "page": page,
            "contact_form": contact,
            "introduction_form": introduction,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The authority's own settings: the service contact, its public page's introduction and
    address (the same forms and service as the setup checklist), and the identifiers of its
    directory entry the reports need. Everyone reads them; its administrators change them."""
    place = seat(request.user, slug)
    contact, introduction = _settings_forms(place.member)
    identifiers = _identifiers_form(place.member)
    # The version of the directory entry the form was opened on: a form sent back with its
    # errors keeps it, so a save from a stale page stays refused until the page is reloaded.
    identifiers_version: Any = place.member.authority.version
    may_change = may_change_settings(place)
    status = 200
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied(_("An administrator of the authority changes its settings."))
        action = request.POST.get("action", "")
        back = reverse("workspace:settings", args=[slug])
        if action in ("contact", "introduction"):
            done, contact, introduction = _save_settings(request, place, action, back)
            if done is not None:
                return done
        elif action == "identifiers":
            identifiers_version = _version(request)
            done, identifiers = _save_identifiers(request, place, f"{back}#identifiers")
            if done is not None:
                return done
        status = 400
    return render_page(
        request,
        "workspace/setup/settings.html",
        place,
        nav=navigation.SETTINGS,
        title=_("Settings"),
        context={
            "contact_form": contact,
            "introduction_form": introduction,
            "identifiers_form": identifiers,
            "identifiers_version": "" if identifiers_version is None else identifiers_version,
            "may_change": may_change,
            "administrators": administrators_of(place),
        },
        status=status,
    )


def _place(request: HttpRequest, place: Any) -> HttpResponse:
    """A town's position, as the gazetteer proposed it (or as the officer typed it)."""
    town = lookup(place, request.POST.get("town"))
    if town is None:
        messages.error(request, _("This town has a position already, or is not one of yours."))
        return redirect("workspace:setup", slug=place.member.slug)
    try:
        # Degrees as the gazetteer gives them, or typed with a decimal comma ("47,2115").
        latitude = Decimal(request.POST.get("latitude", "").replace(",", ".").strip())
        longitude = Decimal(request.POST.get("longitude", "").replace(",", ".").strip())
        if not (latitude.is_finite() and longitude.is_finite()):
            raise InvalidOperation
    except InvalidOperation:
        messages.error(
            request,
            _("Give the position of %(town)s in degrees, for example 49,03095 and 10,97221.")
            % {"town": town.name},
        )
        return redirect("workspace:setup", slug=place.member.slug)
    try:
        done = town_position_save(
            town=town,
            latitude=latitude,
            longitude=longitude,
            user=request.user,
            expected_version=_version(request),
            authority_id=place.member.pk,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if done == "saved":
            messages.success(request, _("%(town)s is on the map.") % {"town": town.name})
        else:
            messages.success(
                request,
                _(
                    "Other authorities work with %(town)s too: its position is proposed to the "
                    "register's curators, and shown once accepted."
                )
                % {"town": town.name},
            )
    return redirect("workspace:setup", slug=place.member.slug)


def _place_all(request: HttpRequest, place: Any) -> HttpResponse:
    """Every town the gazetteer knows, at its proposed position, in one click: each through the
    same service with the version the page showed, all or none (a town changed meanwhile
    refuses the whole click, and the page shows it again)."""
    back = redirect(f"{reverse('workspace:setup', args=[place.member.slug])}#towns")
    towns = [item for item in checklist(place).towns if item.position is not None]
    if not towns:
        messages.error(request, _("No town is left with a position to place."))
        return back
    outcomes = []
    try:
        with transaction.atomic():
            for item in towns:
                town, position = item.town, item.position
                assert position is not None
                try:
                    version = int(request.POST.get(f"version-{town.pk}", ""))
                except ValueError:
                    version = None
                try:
                    outcomes.append(
                        town_position_save(
                            town=town,
                            latitude=position.latitude,
                            longitude=position.longitude,
                            user=request.user,
                            expected_version=version,
                            authority_id=place.member.pk,
                        )
                    )
                except ValidationError as error:
                    raise ValidationError(
                        _("%(town)s: %(problem)s Nothing was placed; try again.")
                        % {"town": town.name, "problem": " ".join(error.messages)}
                    ) from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    saved = outcomes.count("saved")
    proposed = outcomes.count("proposed")
    if saved:
        messages.success(
            request,
            ngettext("%(count)s town is on the map.", "%(count)s towns are on the map.", saved)
            % {"count": saved},
        )
    if proposed:
        messages.success(
            request,
            ngettext(
                "%(count)s town is used by other authorities too: its position is proposed to "
                "the register's curators, and shown once accepted.",
                "%(count)s towns are used by other authorities too: their positions are "
                "proposed to the register's curators, and shown once accepted.",
                proposed,
            )
            % {"count": proposed},
        )
    return back
