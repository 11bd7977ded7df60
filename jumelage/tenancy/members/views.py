"""The invitation link of a new member authority's first administrator: choose a password
once, before the link expires, be signed in, land on the setup checklist. Mounted beside the
back office's sign-in (config/urls.py), in its frame."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import login as auth_login
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from jumelage.tenancy.members.services import invitation_accept as invitation_accept_service
from jumelage.tenancy.members.services import invitation_of, invitation_refusal


@sensitive_post_parameters()
@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation: the invitee chooses a password, is signed in, and lands on
    their authority's setup checklist. A used, expired or unknown link says what to do."""
    invitation = invitation_of(token)
    refusal = invitation_refusal(invitation)
    context: dict[str, Any] = {
        **admin.site.each_context(request),
        "is_nav_sidebar_enabled": False,
        "title": _("Choose your password"),
        "refusal": refusal,
        "invitation": invitation,
    }
    if refusal or invitation is None:
        return render(
            request, "accounts/invitation.html", context, status=410 if invitation else 404
        )
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accepted = invitation_accept_service(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                context["refusal"] = " ".join(error.messages)
                return render(request, "accounts/invitation.html", context, status=410)
        else:
            auth_login(request, accepted.user, backend="django.contrib.auth.backends.ModelBackend")
            with translation.override(accepted.user.language or settings.LANGUAGE_CODE):
                target = reverse("workspace:setup", args=[accepted.authority.slug])
            return HttpResponseRedirect(target)
    context["form"] = form
    return render(request, "accounts/invitation.html", context, status=400 if form.errors else 200)
