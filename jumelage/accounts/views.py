"""Signing in to the back office: in the user's preferred language, and the password reset by
e-mail.

The preferred language: the language is chosen by the address (/admin/ in French, /en/admin/ in
English), so a successful sign-in sends the user on to the same page in their language.

Password reset by e-mail:
Django's own views and the admin's templates (translated with Django), shown inside the back
office's frame. The form never says whether an address is known: it sends a link, valid for
PASSWORD_RESET_TIMEOUT, only to an active account with that address. An account invited without
a password gets its first one this way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.urls import reverse_lazy, translate_url
from django.utils import translation


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


class ResetForm(PasswordResetForm):
    """Django's form, which also reaches accounts created without a password: here that means
    invited and not yet signed in (there is no outside sign-in), so the link sets the first
    password."""

    def get_users(self, email: str) -> Iterator[Any]:
        users = get_user_model()._default_manager.filter(
            email__iexact=email.strip(), is_active=True
        )
        return (user for user in users if user.email)


class PasswordResetView(_InBackOffice, auth_views.PasswordResetView):
    form_class = ResetForm
    success_url = reverse_lazy("password_reset_done")
    extra_email_context = {"site_name": "Jumelage"}  # rather than the server's host name


class PasswordResetDoneView(_InBackOffice, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(_InBackOffice, auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(_InBackOffice, auth_views.PasswordResetCompleteView):
    pass
