"""Signing in to the back office: in the user's preferred language, and the password reset by
e-mail.

The preferred language: the language is chosen by the address (/admin/ in French, /en/admin/ in
English), so a successful sign-in sends the user on to the same page in their language.

Password reset by e-mail:
Django's own views and the admin's templates (translated with Django), shown inside the back
office's frame. The form never says whether an address is known: it sends a link, valid for
PASSWORD_RESET_TIMEOUT, only to an active account with that address. An account invited without
a password gets its first one this way. Nor does the time it takes: once the answer has gone
(`_AfterResponse`), a background task gets the address, looks it up and sends the e-mail
(`accounts.tasks`). Requests are limited per address
and per client (`throttling.password_reset_throttled`); a new password lifts the sign-in lockout
of its account.

Sign-in lockout (django-axes, settings AXES_*): `locked_out` is the page shown instead of the
sign-in form.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from axes.helpers import get_cool_off
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse_lazy, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jumelage.accounts.forms import ResetForm
from jumelage.accounts.tasks import send_password_reset
from jumelage.accounts.throttling import password_reset_throttled
from jumelage.core.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)


def login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """The back office's sign-in, then on to the next page in the user's preferred language.

    Opened without a `next` page, it leads members of an authority to their workspace
    (LOGIN_REDIRECT_URL); instance superusers keep the admin's index. The admin's form always
    posts a `next` (the admin's index by default), so only the address the page was opened at
    tells whether the user asked for a page.
    """
    response = admin.site.login(request, extra_context)
    if (
        request.method == "POST"
        and response.status_code == 302
        and request.user.is_authenticated
        and REDIRECT_FIELD_NAME not in request.GET
    ):
        home = "admin:index" if request.user.is_superuser else settings.LOGIN_REDIRECT_URL
        response["Location"] = resolve_url(home)
    language = getattr(request.user, "language", "")
    if (
        request.method == "POST"
        and response.status_code == 302
        and request.user.is_authenticated
        and language
        and language != translation.get_language()
    ):
        response["Location"] = translate_url(response["Location"], language)
    return response


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """Shown instead of the sign-in form when axes refuses a sign-in (AXES_LOCKOUT_CALLABLE):
    when to try again and how to reset the password, in the back office's frame. Each refused
    attempt starts the cool-off again, so the time is counted from now."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
    context = {
        **admin.site.each_context(request),
        "is_nav_sidebar_enabled": False,
        "title": _("Signing in is blocked for a while"),
        "minutes": minutes,
        "until": timezone.localtime() + cool_off if cool_off else None,
    }
    return render(request, "accounts/locked_out.html", context, status=429)


class _InBackOffice:
    """The admin's header, title and colours around the page."""

    request: Any

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        # No menu for someone who is not signed in: it would only say they may see nothing.
        return {
            **admin.site.each_context(self.request),
            "is_nav_sidebar_enabled": False,
            **context,
        }


class _AfterResponse(HttpResponseRedirect):
    """A redirect that does some work once it has been sent: the server calls `close()` after
    the last byte (WSGI, PEP 3333; Django's ASGI handler and test client do the same)."""

    def __init__(self, url: str, work: Callable[[], None]) -> None:
        super().__init__(url)
        self._work = work

    def close(self) -> None:
        try:
            self._work()
        except Exception:  # the answer has gone: nobody to tell but the log
            logger.exception("The password reset e-mail could not be handed to the queue.")
        finally:
            super().close()


class PasswordResetView(_InBackOffice, auth_views.PasswordResetView):
    form_class = ResetForm
    success_url = reverse_lazy("password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        throttled = password_reset_throttled(request)
        if throttled is None:
            return super().post(request, *args, **kwargs)
        form = self.get_form()
        form.is_valid()  # so that the form shows the address typed
        form.add_error(
            "email",
            ngettext(
                "Too many password reset requests were made for this address or from your "
                "network. Wait %(minutes)s minute, then ask again; meanwhile, look for the "
                "e-mail already sent in your spam folder.",
                "Too many password reset requests were made for this address or from your "
                "network. Wait %(minutes)s minutes, then ask again; meanwhile, look for the "
                "e-mail already sent in your spam folder.",
                throttled.minutes,
            )
            % {"minutes": throttled.minutes},
        )
        return self.render_to_response(self.get_context_data(form=form), status=429)

    def form_valid(self, form: Any) -> HttpResponse:
        # Django's view looks the address up and sends the e-mail before it answers, so the
        # answer comes later when the address is known: a timing oracle that tells who has an
        # account (CWE-208). Here every valid request gets the same answer at once; once it has
        # gone, a background task is handed the address typed, and the look-up and the e-mail
        # happen in the worker, in the language of the request.
        email = form.cleaned_data["email"]
        arguments = {
            "language": translation.get_language() or settings.LANGUAGE_CODE,
            "domain": self.request.get_host(),
            "use_https": self.request.is_secure(),
        }

        def hand_over() -> None:
            enqueue_on_commit(send_password_reset, email, **arguments)

        return _AfterResponse(str(self.get_success_url()), hand_over)


class PasswordResetDoneView(_InBackOffice, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(_InBackOffice, auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # Whoever reads the account's e-mail may set its password anyway: the new password
        # lifts the lockout of the user name (not that of an address).
        axes_reset(username=form.user.get_username())
        return response


class PasswordResetCompleteView(_InBackOffice, auth_views.PasswordResetCompleteView):
    pass
