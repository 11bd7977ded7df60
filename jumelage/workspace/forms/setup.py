"""Forms of the setup checklist: the service contact and the public page's introduction."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jumelage.workspace.forms.base import WorkspaceForm


class ContactForm(WorkspaceForm):
    service_name = forms.CharField(
        label=_("Name of the service"),
        max_length=200,
        required=False,
        help_text=_("e.g. Actions internationales"),
    )
    street = forms.CharField(label=_("Street address"), max_length=200)
    postcode = forms.CharField(label=_("Postcode"), max_length=20)
    city = forms.CharField(label=_("Town"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    email = forms.EmailField(label=_("E-mail"))


class IntroductionForm(WorkspaceForm):
    introduction = forms.CharField(
        label=_("Introduction (French)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown at the top of your public page."),
    )
