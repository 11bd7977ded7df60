"""Back-office forms for members: inviting a user, editing a membership."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import SetPasswordMixin, UsernameField
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jumelage.accounts.models import Membership, Role, User
from jumelage.tenancy.members.services import check_keeps_an_admin


class UserInviteForm(forms.ModelForm):
    """A new user and their first role. The password may be left empty: the account then
    cannot sign in until someone who manages it sets one."""

    authority = forms.ModelChoiceField(
        label=_("member authority"),
        queryset=Membership._meta.get_field("authority").related_model.objects.none(),  # type: ignore[attr-defined]
        help_text=_("The authority the new user joins; you can add others later."),
    )
    role = forms.ChoiceField(label=_("role"), choices=Role.choices, initial=Role.VIEWER)
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Password"), label2=_("Password confirmation")
    )

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "language")
        field_classes = {"username": UsernameField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("password1", "password2"):
            self.fields[name].required = False
        self.fields["password1"].help_text = _(
            "Leave both empty to create the account without a password; set one later from "
            "the user's page."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = cast(dict[str, Any], super().clean())  # ModelForm.clean returns cleaned_data
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if (first or second) and first != second:
            self.add_error("password2", _("The two passwords differ; type the same one twice."))
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # the account's own fields: a username already taken...
        password = self.cleaned_data.get("password1")
        if password:
            try:
                validate_password(password, self.instance)
            except ValidationError as error:
                self.add_error("password1", error)


class MembershipForm(forms.ModelForm):
    """Shows on the form, before any write, that the last administrator must stay one."""

    class Meta:
        model = Membership
        fields = ("user", "authority", "role")

    def clean(self) -> dict[str, Any]:
        cleaned = cast(dict[str, Any], super().clean())  # ModelForm.clean returns cleaned_data
        if self.instance.pk is not None and "role" in cleaned:
            try:
                check_keeps_an_admin(self.instance, cleaned["role"])
            except ValidationError as error:
                self.add_error("role", error)
        return cleaned
