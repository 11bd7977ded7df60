"""Back office of the partners app: the directory of authorities, member authorities' settings,
labels and partnerships. Every save goes through the app's services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jumelage.partners import services
from jumelage.partners.forms import MemberInviteForm
from jumelage.partners.models import (
    Authority,
    Label,
    MemberAuthority,
    OpeningHours,
    Partnership,
    PartnershipTheme,
)
from jumelage.register.admin import RegisterEntryAdmin
from jumelage.tenancy.admin import OwnedInline, OwnedModelAdmin, can_write
from jumelage.tenancy.members.services import invitation_link, invitation_send


@admin.register(Authority)
class AuthorityAdmin(RegisterEntryAdmin):
    list_display = ["name", "local_name", "kind", "country", "siren", "is_recognised_by_france"]
    list_filter = ["kind", "country", "is_recognised_by_france"]
    list_select_related = ["country"]
    search_fields = ["name", "local_name", "siren", "insee_code", "iati_org_id"]
    # Django 6 reads a website typed without a scheme as https: do so already.

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        # Recognising an entity again is for the operators (see services.authority_save).
        if obj is not None and not obj.is_recognised_by_france and not request.user.is_superuser:
            readonly.append("is_recognised_by_france")
        return readonly

    def save_entry(
        self, request: HttpRequest, obj: Any, *, expected_version: int | None, m2m: dict
    ) -> None:
        services.authority_save(authority=obj, user=request.user, expected_version=expected_version)


class OpeningHoursInline(OwnedInline):
    model = OpeningHours
    fields = ["weekday", "opens", "closes"]

    def _writable(self, request: HttpRequest, obj: Any) -> bool:
        # The opening hours are part of the member authority's settings: its administrators.
        if obj is None:
            return request.user.is_superuser
        return can_write(request.user, obj, MemberAuthority.write_roles)


@admin.register(MemberAuthority)
class MemberAuthorityAdmin(OwnedModelAdmin):
    """A member authority's settings: its members read them, its administrators change them;
    creating a member authority (a new tenant) is for the instance's operators."""

    list_display = ["__str__", "slug", "service_name", "city", "is_active"]
    list_select_related = ["authority"]
    search_fields = ["authority__name", "slug"]
    autocomplete_fields = ["authority"]
    inlines = [OpeningHoursInline]
    operator_fields = ["authority", "slug", "is_active", "is_demo"]
    fieldsets = [
        (None, {"fields": operator_fields}),  # type: ignore[typeddict-item]  # list is invariant
        (
            _("Service contact"),
            # The same list as the service takes: a field shown here is a field it saves.
            {"fields": list(services.SERVICE_CONTACT_FIELDS)},
        ),
        (_("Public page"), {"fields": ["introduction", "goals"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return [*super().get_readonly_fields(request, obj), *self.operator_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def get_urls(self) -> list[Any]:
        invite = path(
            "invite/",
            self.admin_site.admin_view(self.invite_view),
            name="partners_memberauthority_invite",
        )
        return [invite, *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        extra = {"may_invite": self.has_add_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def invite_view(self, request: HttpRequest) -> HttpResponse:
        """A new member authority and its first administrator's invitation, in one form."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = MemberInviteForm(request.POST or None)
        link = ""
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                member, invitation, token = services.member_invite(
                    name=data["name"],
                    siren=data["siren"],
                    email=data["email"],
                    language=data["language"],
                    by=request.user,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                link = invitation_link(
                    token, language=data["language"], site_url=request.build_absolute_uri("/")
                )
                invitation_send(invitation, link)
                messages.success(
                    request,
                    gettext("%(name)s is a member authority; the invitation was sent to %(email)s.")
                    % {"name": member, "email": data["email"]},
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Invite a new authority"),
            "form": form,
            "link": link,
        }
        status = 400 if form.errors else 200
        return TemplateResponse(
            request, "admin/partners/memberauthority/invite.html", context, status=status
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if request.user.is_superuser or not change:
            super().save_model(request, obj, form, change)
            return
        # The form has already put its values on `obj`; the service takes the settings only.
        services.member_settings_update(
            member=obj,
            user=request.user,
            expected_version=self.seen_version(form, change),
            **{name: getattr(obj, name) for name in services.MEMBER_SETTINGS_FIELDS},
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # The opening hours are rows of the settings: checked against the page's version.
        seen = self.seen_version(form, change)
        instances = formset.save(commit=False)
        for hours in formset.deleted_objects:
            services.opening_hours_delete(hours=hours, user=request.user, expected_version=seen)
        for hours in instances:
            services.opening_hours_save(hours=hours, user=request.user, expected_version=seen)


@admin.register(Label)
class LabelAdmin(OwnedModelAdmin):
    list_display = ["name", "kind", "granted_by", "started_year", "ended_year", "is_public"]
    list_filter = ["kind", "is_public"]
    search_fields = ["name", "granted_by"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.label_save(
            label=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("_version") if change else None,
        )


class PartnershipThemeInline(OwnedInline):
    model = PartnershipTheme
    fields = ["theme", "rank"]


@admin.register(Partnership)
class PartnershipAdmin(OwnedModelAdmin):
    list_display = ["partner_name", "partner_country", "kind", "status", "since"]
    list_filter = ["kind", "status", ("partner__country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["partner__country"]
    search_fields = ["partner__name", "partner__local_name"]
    autocomplete_fields = ["partner"]
    inlines = [PartnershipThemeInline]

    @admin.display(description=_("partner"), ordering="partner__name")
    def partner_name(self, obj: Partnership) -> str:
        return obj.partner.name

    @admin.display(description=_("country"), ordering="partner__country__name_fr")
    def partner_country(self, obj: Partnership) -> str:
        return str(obj.partner.country)

    @admin.display(description=_("since"), ordering="started_year")
    def since(self, obj: Partnership) -> int | None:
        return obj.start_year

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.partnership_save(
            partnership=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("_version") if change else None,
        )
