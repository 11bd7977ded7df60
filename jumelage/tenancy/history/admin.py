"""The audit log in the back office: read-only, scoped with `history.selectors.entries_for`'s
rule (in its indexed shape, `readable_entry_ids`).

A member reads the entries of their authorities; entries with no authority (the shared
directory) are for superusers only. Nobody adds, changes or deletes an entry here.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.core.cache import cache
from django.db import models
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jumelage.audit.models import AuditEntry
from jumelage.core.counting import COUNT_TIMEOUT
from jumelage.tenancy.admin import (
    CachedCountPaginator,
    ReadableAuthorityFilter,
    authority_filter_wanted,
    is_member,
)
from jumelage.tenancy.history.selectors import readable_entry_ids

EMPTY = "\u2014"
SUPERUSER_TYPES_KEY = "jumelage:audit:record-types"


def _model_of(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None  # a model since removed: the entry keeps its raw label


def record_type_name(label: str) -> str:
    model = _model_of(label)
    return str(model._meta.verbose_name) if model is not None else label


def _fields_by_attname(model: type[models.Model] | None) -> dict[str, models.Field]:
    if model is None:
        return {}
    fields: dict[str, models.Field] = {}
    for field in model._meta.get_fields():
        if getattr(field, "concrete", False) or getattr(field, "many_to_many", False):
            fields[getattr(field, "attname", field.name)] = field  # type: ignore[assignment]
            fields.setdefault(field.name, field)  # type: ignore[arg-type]
    return fields


def readable_value(field: models.Field | None, value: Any) -> str:
    """A stored value as a person reads it: choice labels, yes/no, an empty dash.

    Related records are kept as ids in the log (the record may since be gone): shown as #id.
    """
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if field is not None and getattr(field, "choices", None) and not field.is_relation:
        labels = {str(key): str(label) for key, label in field.flatchoices}
        return labels.get(str(value), str(value))
    if field is not None and field.is_relation:
        items = value if isinstance(value, list) else [value]
        return ", ".join(f"#{item}" for item in items)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {text}" for key, text in value.items())
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def field_label(field: models.Field | None, name: str) -> str:
    return str(field.verbose_name) if field is not None else name


class RecordTypeFilter(admin.SimpleListFilter):
    title = _("record type")
    parameter_name = "model"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        def read() -> list[str]:
            return list(
                model_admin.get_queryset(request)
                .order_by()
                .values_list("model", flat=True)
                .distinct()
            )

        # A member's record types cost what its entries cost; a superuser's are the whole
        # log's, read once a minute (as its count, core.counting).
        labels: list[str] = (
            cache.get_or_set(SUPERUSER_TYPES_KEY, read, COUNT_TIMEOUT) or []
            if request.user.is_superuser
            else read()
        )
        return sorted(((label, record_type_name(label)) for label in labels), key=lambda c: c[1])

    def queryset(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        if self.value():
            return queryset.filter(model=self.value())
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "user",
        "action",
        "what",
        "record_type",
        "object_repr",
        "changed_fields",
        "authority",
    )
    list_display_links = ("at", "object_repr")
    list_filter = ("action", RecordTypeFilter, ("at", admin.DateFieldListFilter))
    search_fields = ("object_repr", "object_id", "verb", "user__username", "user__last_name")
    ordering = ("-at", "-id")
    list_per_page = 100
    show_full_result_count = False
    paginator = CachedCountPaginator  # a superuser's list is the whole log: never counted
    fields = (
        "at",
        "user",
        "authority",
        "action",
        "what",
        "record_type",
        "object_id",
        "object_repr",
        "changes_table",
    )
    readonly_fields = fields
    actions = None

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # `entries_for`'s rule in the shape a list sorted by time and counted can follow along
        # the indexes (`readable_entry_ids`): a member's list costs what its entries cost.
        ids = readable_entry_ids(request.user)
        entries = AuditEntry.objects.all() if ids is None else AuditEntry.objects.filter(pk__in=ids)
        return entries.select_related("user", "authority__authority")

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = list(self.list_filter)
        if authority_filter_wanted(request):
            filters.insert(0, ReadableAuthorityFilter)
        return filters

    # --- Read only ---------------------------------------------------------------------

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_member(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    # --- Columns -----------------------------------------------------------------------

    @admin.display(description=_("what was done"), ordering="verb")
    def what(self, obj: AuditEntry) -> str:
        # Services store verbs untranslated (gettext_noop); they are translated when read.
        return gettext(obj.verb) if obj.verb else EMPTY

    @admin.display(description=_("record type"), ordering="model")
    def record_type(self, obj: AuditEntry) -> str:
        return record_type_name(obj.model)

    @admin.display(description=_("changed fields"))
    def changed_fields(self, obj: AuditEntry) -> str:
        if obj.action != AuditEntry.Action.UPDATE:
            return ""
        fields = _fields_by_attname(_model_of(obj.model))
        return ", ".join(field_label(fields.get(name), name) for name in obj.changes)

    @admin.display(description=_("changes"))
    def changes_table(self, obj: AuditEntry) -> str:
        return changes_table(_model_of(obj.model), obj.changes)


def changes_table(model: type[models.Model] | None, changes: dict[str, Any]) -> str:
    """A table of field, before, after, as a person reads them (the audit log's and the
    register's proposals' shape: field -> [before, after])."""
    if not changes:
        return gettext("No field values recorded.")
    fields = _fields_by_attname(model)
    rows = []
    for name, values in changes.items():
        # Written by audit.services.diff as [before, after].
        before, after = values if isinstance(values, list) and len(values) == 2 else (None, values)
        field = fields.get(name)
        rows.append(
            (
                field_label(field, name),
                readable_value(field, before),
                readable_value(field, after),
            )
        )
    body = format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", rows)
    return format_html(
        '<table class="audit-changes"><thead><tr><th scope="col">{}</th>'
        '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody>'
        "</table>",
        gettext("field"),
        gettext("before"),
        gettext("after"),
        body,
    )
