"""The password-reset form (the back office's forms for members are in
`jumelage.tenancy.members.forms`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from jumelage.core.tasks import enqueue_on_commit, send_email


class ResetForm(PasswordResetForm):
    """Django's form, which also reaches accounts created without a password: here that means
    invited and not yet signed in (there is no outside sign-in), so the link sets the first
    password. Its message goes out through the e-mail task, which tries again when the mail
    server does not take it (Django's form would only log the failure)."""

    def get_users(self, email: str) -> Iterator[Any]:
        users = get_user_model()._default_manager.filter(
            email__iexact=email.strip(), is_active=True
        )
        return (user for user in users if user.email)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # A subject must not hold a line break.
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        enqueue_on_commit(send_email, subject, body, [to_email])
