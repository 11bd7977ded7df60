"""Back office for users and memberships.

Superusers manage every account. An authority administrator sees the members of the
authorities they administer, invites new ones, and changes an account only when all its
memberships are in their authorities; they never make a superuser. Every member reads who
else belongs to their authorities. Writes go through `jumelage.tenancy.members.services`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jumelage.accounts.models import Membership, User
from jumelage.tenancy.admin import OwnedModelAdmin, ReadableAuthorityFilter, authority_filter_wanted
from jumelage.tenancy.members.forms import MembershipForm, UserInviteForm
from jumelage.tenancy.members.selectors import (
    administered_authorities,
    is_authority_admin,
    user_manageable_by,
    users_visible_to,
)
from jumelage.tenancy.members.services import (
    membership_change_role,
    membership_grant,
    membership_revoke,
    user_invite,
    user_set_password,
    user_update,
)

# Access comes from memberships, not from Django's groups and model permissions: a group page
# would only suggest otherwise.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


def _message_refusal(modeladmin: admin.ModelAdmin, request: HttpRequest, error: Exception) -> None:
    texts = error.messages if isinstance(error, ValidationError) else [str(error)]
    for text in texts:
        modeladmin.message_user(request, text, messages.ERROR)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserInviteForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "first_name", "last_name", "email", "language"),
            },
        ),
        (_("First role"), {"fields": ("authority", "role")}),
        (_("Password"), {"fields": ("password1", "password2")}),
    )
    superuser_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "language")}),
        # No groups or model permissions: access comes from memberships.
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "is_curator",
                    "reads_national_reports",
                )
            },
        ),
        (_("Memberships"), {"fields": ("memberships_list",)}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    authority_admin_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "language")}),
        (
            _("Status"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "is_curator",
                    "reads_national_reports",
                )
            },
        ),
        (_("Memberships"), {"fields": ("memberships_list",)}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    list_display = ("username", "first_name", "last_name", "email", "roles", "is_active")
    list_filter = ("is_active",)
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("username",)
    list_per_page = 50
    show_full_result_count = False

    # --- Reading -------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        visible_memberships = Membership.objects.select_related("authority__authority")
        if not request.user.is_superuser:
            # Show only the roles in the viewer's authorities: another city's membership is
            # that city's business.
            visible_memberships = visible_memberships.filter(
                authority_id__in=administered_authorities(request.user).values("pk")
            )
        return users_visible_to(request.user).prefetch_related(
            Prefetch("memberships", queryset=visible_memberships, to_attr="visible_memberships")
        )

    def get_list_filter(self, request: HttpRequest) -> Any:
        if request.user.is_superuser:
            return ("is_active", "is_staff", "is_superuser", "is_curator", "reads_national_reports")
        return self.list_filter

    @admin.display(description=_("roles"))
    def roles(self, obj: User) -> str:
        return ", ".join(
            f"{membership.authority} ({membership.get_role_display()})"
            for membership in getattr(obj, "visible_memberships", [])
        )

    @admin.display(description=_("memberships"))
    def memberships_list(self, obj: User) -> str:
        rows = getattr(obj, "visible_memberships", None)
        if rows is None:
            return ""
        url = reverse("admin:accounts_membership_changelist")
        items = format_html_join(
            "",
            "<li>{} \u2013 {}</li>",
            ((m.authority, m.get_role_display()) for m in rows),
        )
        return format_html(
            '<ul>{}</ul><a href="{}?user__id__exact={}">{}</a>',
            items,
            url,
            obj.pk,
            gettext("Manage the memberships"),
        )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return self.add_fieldsets
        if request.user.is_superuser:
            return self.superuser_fieldsets
        return self.authority_admin_fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ["memberships_list", "last_login", "date_joined"]
        if not request.user.is_superuser:
            fields += ["is_staff", "is_superuser", "is_curator", "reads_national_reports"]
        return fields

    # --- Permissions -----------------------------------------------------------------------

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_authority_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_authority_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_authority_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return is_authority_admin(request.user)
        return user_manageable_by(obj, request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An authority administrator revokes a membership or deactivates the account.
        return request.user.is_active and request.user.is_superuser

    # --- Forms -----------------------------------------------------------------------------

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            return form
        authorities = administered_authorities(request.user).select_related("authority")

        class ScopedUserInviteForm(form):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self.fields["authority"].queryset = authorities
                if authorities.count() == 1:
                    self.fields["authority"].initial = authorities.first()

        return ScopedUserInviteForm

    # --- Writing through the services ------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            user_update(user=obj, by=request.user)
            return
        data = form.cleaned_data
        created = user_invite(
            authority=data["authority"],
            role=data["role"],
            by=request.user,
            username=data["username"],
            email=data.get("email", ""),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            language=data.get("language") or "fr",
            password=data.get("password1") or None,
        )
        # The admin goes on with the form's instance (log entry, redirect): give it the row.
        obj.pk = created.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # The form checked what it could; a refusal at write time (a race, a tampered form)
        # rolls back the atomic view and is said in words, not as a server error.
        try:
            return super().changeform_view(request, *args, **kwargs)
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied) and not str(error):
                raise
            _message_refusal(self, request, error)
            return HttpResponseRedirect(request.get_full_path())

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        """A valid new password goes through `user_set_password` (checked and logged); a GET
        or a form with errors is Django's own page."""
        if request.method == "POST":
            user = self.get_object(request, unquote(id))
            if user is not None and self.has_change_permission(request, user):
                form = self.change_password_form(user, request.POST)
                if form.is_valid() and (
                    form.cleaned_data["set_usable_password"] or "unset-password" in request.POST
                ):
                    password = (
                        form.cleaned_data["password1"]
                        if form.cleaned_data["set_usable_password"]
                        else None
                    )
                    with transaction.atomic():
                        user = user_set_password(user=user, password=password, by=request.user)
                    if user.has_usable_password():
                        message = gettext("Password changed successfully.")
                    else:
                        message = gettext("Password-based authentication was disabled.")
                    messages.success(request, message)
                    update_session_auth_hash(request, user)
                    return HttpResponseRedirect(
                        reverse("admin:accounts_user_change", args=(user.pk,))
                    )
        return super().user_change_password(request, id, form_url)


@admin.register(Membership)
class MembershipAdmin(OwnedModelAdmin):
    """Every member reads the memberships of their authorities; administrators change them."""

    form = MembershipForm
    fields = ("user", "authority", "role")
    list_display = ("user", "user_full_name", "authority", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    list_select_related = ("user", "authority__authority")
    ordering = ("authority", "user__username")

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).select_related("user", "authority__authority")

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters: list[Any] = list(self.list_filter)
        if authority_filter_wanted(request):
            filters.insert(0, ReadableAuthorityFilter)
        return filters

    @admin.display(description=_("name"), ordering="user__last_name")
    def user_full_name(self, obj: Membership) -> str:
        return obj.user.get_full_name()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A membership joins one user to one authority; to move someone, revoke and grant.
        return ("user", "authority") if obj is not None else ()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            # New people come through "add user"; existing members of the authorities the
            # administrator manages can be given a role in another of them.
            kwargs["queryset"] = users_visible_to(request.user).order_by("username")
        elif db_field.name == "authority":
            kwargs["queryset"] = administered_authorities(request.user).select_related("authority")
        # Not the scoping mixin's: it would replace these querysets with broader ones.
        return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # One revocation at a time, each checked for the last administrator.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            membership_change_role(membership=obj, role=obj.role, by=request.user)
        else:
            created = membership_grant(
                authority=obj.authority, user_to_add=obj.user, role=obj.role, by=request.user
            )
            obj.pk = created.pk
            obj._state.adding = False

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        membership_revoke(membership=obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        for membership in queryset:
            membership_revoke(membership=membership, by=request.user)

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> Any:
        try:
            return super().delete_view(request, object_id, extra_context)
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied) and not str(error):
                raise
            _message_refusal(self, request, error)
            return HttpResponseRedirect(
                reverse("admin:accounts_membership_change", args=(object_id,))
            )
