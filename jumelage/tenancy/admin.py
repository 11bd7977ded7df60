"""The back office's shared machinery: every admin page is scoped to the user's authorities and
writes through the services (`save_owned`, `delete_owned`), so rules and the audit log apply.

Access comes from memberships (role per authority), not from Django's model permissions: a
member of an authority sees its records; admins and officers (and contributors, for content)
change them; nobody sees another authority's private records.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from jumelage.core.converters import too_long_for_an_id
from jumelage.core.counting import cached_count
from jumelage.core.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from jumelage.tenancy.access import may_write, may_write_somewhere, roles_of, writable_authority_ids
from jumelage.tenancy.models import OwnedModel, owned, tenant_model
from jumelage.tenancy.services import (
    check_same_authority,
    concurrent_edit_error,
    counts_versions,
    delete_owned,
    one_edit,
    rules_for,
    run_rules,
    save_owned,
)


def readable_authorities(user: Any) -> models.QuerySet:
    return tenant_model().objects.for_user(user)


def user_roles(user: Any) -> dict[int, str]:
    """The user's role in each of their authorities, read once per request (for what the
    pages show; the services check roles afresh on every write)."""
    return roles_of(user)


def is_member(user: Any) -> bool:
    return bool(user.is_active and (user.is_superuser or user_roles(user)))


def can_write_somewhere(user: Any, roles: tuple[str, ...]) -> bool:
    return may_write_somewhere(user, roles)


def can_write(user: Any, obj: Any, roles: tuple[str, ...]) -> bool:
    """May the user write `obj` (with these roles)? The page's answer: `tenancy.access`."""
    return may_write(user, obj.owning_authority_id(), roles)


class ReadableAuthorityFilter(admin.SimpleListFilter):
    """Filter by member authority, offering only those the user belongs to.

    Django's related-field filter would list every member authority of a national instance
    and read each name with its own query. An instance administrator reads every authority:
    listing 5 000 of them on every page of every list cost more than the page itself (issue
    12), so they type the authority's address (its slug) or id instead (`TYPED_TEMPLATE`).
    """

    title = _("member authority")
    parameter_name = "authority"
    field_path = "authority"
    template = "admin/filter.html"
    TYPED_TEMPLATE = "admin/tenancy/typed_authority_filter.html"

    def __init__(self, request: HttpRequest, params: Any, model: Any, model_admin: Any) -> None:
        self.typed = bool(request.user.is_superuser)
        if self.typed:
            self.template = self.TYPED_TEMPLATE
        self.other_params: list[tuple[str, str]] = []
        super().__init__(request, params, model, model_admin)

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[Any, str]]:
        if self.typed:
            # Only the authority asked for (one query, none without a filter).
            value = self.value()
            if not (value or "").strip():
                return []
            chosen = self.queryset(request, readable_authorities(request.user), field="")
            return [(value, str(member)) for member in chosen.select_related("authority")[:1]]
        authorities = readable_authorities(request.user).select_related("authority")
        return [(authority.pk, str(authority)) for authority in authorities]

    def has_output(self) -> bool:
        return self.typed or super().has_output()

    def choices(self, changelist: Any) -> Any:
        # The typed form sends the list's other parameters again (as the search form does).
        self.other_params = [
            (name, value)
            for name, value in changelist.params.items()
            if name != self.parameter_name
        ]
        yield from super().choices(changelist)

    def queryset(
        self, request: HttpRequest, queryset: models.QuerySet, field: str | None = None
    ) -> models.QuerySet:
        value = str(self.value() or "").strip()
        if not value:
            return queryset
        path = self.field_path if field is None else field
        prefix = f"{path}__" if path else ""
        if self.typed and not value.isdigit():
            return queryset.filter(**{f"{prefix}slug__iexact": value})
        # Not an id (or too long to be one: the database would overflow): nothing matches.
        if not value.isdigit() or too_long_for_an_id(value):
            return queryset.none()
        return queryset.filter(**{f"{path}_id" if path else "pk": int(value)})


def authority_filter_wanted(request: HttpRequest) -> bool:
    """The filter is noise for the many users who belong to one authority only."""
    user = request.user
    return bool(user.is_superuser or len(user_roles(user)) > 1)


def writable_authorities(user: Any, roles: tuple[str, ...]) -> models.QuerySet:
    MemberAuthority = tenant_model()
    if user.is_superuser:
        return MemberAuthority.objects.all()
    return MemberAuthority.objects.filter(pk__in=writable_authority_ids(user, roles))


def _for_choices(queryset: models.QuerySet) -> models.QuerySet:
    related = getattr(queryset.model, "choice_select_related", ())
    return queryset.select_related(*related) if related else queryset


def refusals_as_messages(
    model_admin: admin.ModelAdmin, request: HttpRequest, view: Any, *args: Any, **kwargs: Any
) -> Any:
    """A rule that only fails at write time (a concurrent edit, a race) must not become a
    server error: nothing was written (the admin's view is atomic); say what to do."""
    try:
        return view(request, *args, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            model_admin.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())
    except PermissionDenied as error:
        if not str(error):
            raise
        model_admin.message_user(request, str(error), messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())


class OwnedAdminForm(forms.ModelForm):
    """Runs the model's rules while the form is validated, so a refusal shows on the form.

    `_version` carries the version the editor saw, to refuse a stale save. The page of an
    existing record must send it: without it, the page is refused as a stale one would be.
    """

    _version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not counts_versions(self._meta.model):  # type: ignore[arg-type]
            del self.fields["_version"]
        elif self.instance.pk:
            self.fields["_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            "_version" in self.fields
            and not self.instance._state.adding
            and cleaned.get("_version") is None
        ):
            raise concurrent_edit_error()
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # a private ModelForm hook
        if self.errors:
            return
        try:
            check_same_authority(self.instance)
            run_rules(self.instance, rules_for(self.instance))
        except ValidationError as error:
            self._update_errors(self._shown_on_this_form(error))  # type: ignore[attr-defined]

    def _shown_on_this_form(self, error: ValidationError) -> ValidationError:
        """A rule may name a field this form does not show: say it at the top instead."""
        if not hasattr(error, "error_dict"):
            return error
        placed: dict[str, list[Any]] = {}
        for field, errors in error.error_dict.items():
            target = (
                field if field in self.fields or field == NON_FIELD_ERRORS else NON_FIELD_ERRORS
            )
            placed.setdefault(target, []).extend(errors)
        return ValidationError(placed)


class ScopedFormfieldsMixin:
    """Offer in choice lists only the records the user may read, and only their authorities.

    A model whose name shows a related record lists it in `choice_select_related`, so that a
    choice list costs one query, not one per option. Links typed without a scheme are https.
    """

    formfield_overrides: ClassVar[Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]] = {
        models.URLField: {"assume_scheme": "https"}
    }

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if related is tenant_model():
            kwargs["queryset"] = writable_authorities(request.user, self.model.write_roles)  # type: ignore[attr-defined]
        elif hasattr(related.objects, "for_user"):
            kwargs["queryset"] = _for_choices(related.objects.for_user(request.user))
        kwargs.setdefault("form_class", BoundedModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if hasattr(related.objects, "for_user"):
            kwargs["queryset"] = _for_choices(related.objects.for_user(request.user))
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class ParentScopedFormSet(BaseInlineFormSet):
    """Accept only row ids of this parent's rows.

    Django checks a row's hidden id against every row of the table (the default manager), and
    treats an id it does not find among the parent's rows as a new row: a tampered id would
    silently become a copy. Here it is refused, with a message that says what to do.
    """

    def add_fields(self, form: Any, index: Any) -> None:
        super().add_fields(form, index)
        field = form.fields.get(self.model._meta.pk.name)  # type: ignore[union-attr]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = self.get_queryset()
            field.error_messages["invalid_choice"] = _(
                "This row does not belong to this record. Reload the page and make your "
                "change again."
            )


def _with_version(fieldsets: Any, model: type[models.Model]) -> Any:
    """The page of a record that counts versions sends the version it shows, in a hidden
    field, whether or not the admin lists it."""
    fieldsets = list(fieldsets)
    if not counts_versions(model) or any(
        "_version" in flatten_fieldsets([fieldset]) for fieldset in fieldsets
    ):
        return fieldsets
    if not fieldsets:
        return [(None, {"fields": ["_version"]})]
    name, options = fieldsets[-1]
    fieldsets[-1] = (name, {**options, "fields": [*options["fields"], "_version"]})
    return fieldsets


class OwnedInline(ScopedFormfieldsMixin, admin.TabularInline):
    """A part of an owned record (plan lines, participants...), saved through the services.

    A row that counts its own versions (an indicator on its result's page) sends its own.
    """

    form = OwnedAdminForm
    formset = ParentScopedFormSet
    extra = 0
    show_change_link = False

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return _with_version(super().get_fieldsets(request, obj), self.model)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def _writable(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None:
            return can_write_somewhere(request.user, self.model.write_roles)
        return can_write(request.user, obj, self.model.write_roles)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._writable(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._writable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._writable(request, obj)


class OwnedStackedInline(OwnedInline):
    template = "admin/edit_inline/stacked.html"


# The demonstration's mark: shown only on a record that carries it (an officer may take it off
# a demo record made real); a real record, or a new one, never offers the box.
EXAMPLE_FLAG = "is_example"


def _is_example(obj: Any) -> bool:
    return bool(getattr(obj, EXAMPLE_FLAG, False))


def _without_field(fieldsets: Any, name: str) -> list:
    kept = []
    for title, options in fieldsets:
        fields = [
            [f for f in field if f != name] if isinstance(field, list | tuple) else field
            for field in options.get("fields", ())
            if field != name
        ]
        fields = [field for field in fields if field != []]
        if fields:
            kept.append((title, {**options, "fields": fields}))
    return kept


class CachedCountPaginator(Paginator):
    """Pages of a list without counting the whole country on every page (core.counting)."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, models.QuerySet):
            return cached_count(self.object_list)
        return super().count


class OwnedModelAdmin(ScopedFormfieldsMixin, admin.ModelAdmin):
    """Admin for a record owned by a member authority."""

    form: type[forms.ModelForm] = OwnedAdminForm
    list_per_page = 50
    show_full_result_count = False  # one COUNT less on every list, at national scale
    paginator = CachedCountPaginator

    # --- Reading -------------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return owned(super().get_queryset(request)).for_user(request.user)

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = list(super().get_list_filter(request))
        if issubclass(self.model, OwnedModel) and authority_filter_wanted(request):
            filters.insert(0, ReadableAuthorityFilter)
        return filters

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The hidden `_version` field exists only for models that count their versions.
        fields = super().get_fields(request, obj)
        hidden = set() if counts_versions(self.model) else {"_version"}
        if not _is_example(obj):
            hidden.add(EXAMPLE_FLAG)
        return [field for field in fields if field not in hidden]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = _with_version(super().get_fieldsets(request, obj), self.model)
        if _is_example(obj):
            return fieldsets
        return _without_field(fieldsets, EXAMPLE_FLAG)

    # --- Permissions from memberships ----------------------------------------------------

    def _is_member(self, request: HttpRequest) -> bool:
        return is_member(request.user)

    def _can_write_somewhere(self, request: HttpRequest) -> bool:
        return can_write_somewhere(request.user, self.model.write_roles)

    def _can_write(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None:
            return self._can_write_somewhere(request)
        return can_write(request.user, obj, self.model.write_roles)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._is_member(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._is_member(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._can_write_somewhere(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can_write(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._can_write(request, obj)

    # --- Creating: the user's authority by default ---------------------------------------

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        if issubclass(self.model, OwnedModel) and "authority" not in initial:
            choices = writable_authorities(request.user, self.model.write_roles)
            first = choices.first()
            if first is not None:
                initial["authority"] = first.pk
        return initial

    # --- Writing through the services ------------------------------------------------------

    def _m2m_from_form(self, form: forms.ModelForm) -> dict[str, Any]:
        names = [f.name for f in self.model._meta.many_to_many if f.name in form.cleaned_data]
        return {name: form.cleaned_data[name] for name in names}

    @staticmethod
    def seen_version(form: Any, change: bool) -> int | None:
        """The version of the record the page showed (none on an add page)."""
        return form.cleaned_data.get("_version") if change else None

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        save_owned(
            obj,
            user=request.user,
            expected_version=self.seen_version(form, change),
            m2m=self._m2m_from_form(form),
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Many-to-many fields were set by save_owned in save_model.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # The rows are checked against the version of the record the page showed, like the
        # record itself (one edit: see changeform_view).
        seen = self.seen_version(form, change)
        instances = formset.save(commit=False)
        row_forms = {id(row.instance): row for row in formset.forms}
        for obj in formset.deleted_objects:
            delete_owned(
                obj, user=request.user, expected_version=row_version(row_forms[id(obj)], seen)
            )
        for instance in instances:
            save_owned(
                instance,
                user=request.user,
                expected_version=row_version(row_forms[id(instance)], seen),
            )
        formset.save_m2m()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        # Deleting asks for confirmation, not for the record's content: the record goes as it
        # is when confirmed (its version as read by this request, checked under lock).
        delete_owned(obj, user=request.user, expected_version=getattr(obj, "version", None))

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        # As for one record: the records go as they are when the deletion is confirmed.
        for obj in queryset.filter(
            pk__in=owned(self.model._default_manager.all()).writable_by(request.user)
        ):
            delete_owned(obj, user=request.user, expected_version=getattr(obj, "version", None))

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # One edit: the record and every row of the page are checked against the version the
        # page showed, once, and a refusal writes nothing (Django's view is atomic too).
        with one_edit():
            return refusals_as_messages(self, request, super().changeform_view, *args, **kwargs)


def row_version(row_form: Any, seen: int | None) -> int | None:
    """The version a row of a page is checked against: the page's record's, or the row's own
    when it counts its versions (an indicator on its result's page)."""
    if "_version" in row_form.fields and not row_form.instance._state.adding:
        return row_form.cleaned_data.get("_version")
    return seen


admin.site.site_header = _("Jumelage – back office")  # noqa: RUF001
admin.site.site_title = _("Jumelage")
admin.site.index_title = _("International action")
