"""The password reset e-mail, as a background task (jumelage.core.tasks).

The view answers every valid request the same way, at once, and only hands this task the
address typed: the look-up of the account and the e-mail happen in the worker, so neither the
answer nor its timing tells whether an account has that address (CWE-208).
"""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from jumelage.accounts.forms import ResetForm

RESET_EMAIL_CONTEXT = {"site_name": "Jumelage"}  # rather than the server's host name


@task()
def send_password_reset(email: str, *, language: str, domain: str, use_https: bool) -> None:
    """Send the reset link to the active accounts with this address (none: nothing is sent).
    The message goes out through core.tasks.send_email, which tries again if the mail server
    does not take it."""
    form = ResetForm({"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.save(
            domain_override=domain,
            use_https=use_https,
            extra_email_context=RESET_EMAIL_CONTEXT,
        )
