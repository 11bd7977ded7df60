"""Forms of the setup checklist and the settings page: the service contact, the public page's
introduction, and the identifiers of the authority's own directory entry."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jumelage.core.fields import IatiOrgIdField, SirenField
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


class IdentifiersForm(WorkspaceForm):
    """The identifiers the reports need (partners.services.MEMBER_IDENTIFIER_FIELDS)."""

    siren = SirenField(
        label=_("SIREN"),
        required=False,
        help_text=_("Nine digits, spaces allowed, for example 217 600 691."),
    )
    iati_org_id = IatiOrgIdField(
        label=capfirst(_("IATI organisation id")),
        required=False,
        help_text=_(
            "Heads your IATI file. Left empty, the file uses FR-RCS- followed by your SIREN, "
            "as IATI advises for a French authority. Give another id only if the IATI "
            "Registry gave you one."
        ),
    )
