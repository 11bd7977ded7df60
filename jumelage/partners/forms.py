"""Forms of the partners app: inviting a new member authority (the instance's operators)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jumelage.core.fields import SirenField


class MemberInviteForm(forms.Form):
    """One form for a new member authority: its name, its SIREN, its first administrator."""

    name = forms.CharField(
        label=_("Name of the authority"),
        max_length=200,
        help_text=_("As the authority writes it, e.g. Ville de Suresnes or Suresnes."),
    )
    siren = SirenField(
        label=_("SIREN"), help_text=_("Nine digits, with or without spaces, e.g. 219 200 730.")
    )
    email = forms.EmailField(
        label=_("E-mail of its first administrator"),
        help_text=_("The invitation link is sent to this address; it is their sign-in name."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=[("fr", _("French")), ("en", _("English"))],
        initial="fr",
    )
