"""Form fields shared by every app: multilingual text as one box per language, and choices of
records that refuse an id too long for the database."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jumelage.core.converters import too_long_for_an_id

INTERFACE_LANGUAGES = ("fr", "en")


class TranslatedWidget(forms.Widget):
    """One text box per content language: French and English always shown, the other
    languages (a partner's Serbian or Haitian Creole) folded under "Other languages"
    unless they already hold text. Works without JavaScript."""

    template_name = "core/widgets/translated.html"

    def __init__(self, multiline: bool = True, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.multiline = multiline

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        value = value if isinstance(value, dict) else {}
        base_id = (attrs or {}).get("id") or f"id_{name}"
        boxes = []
        for code, label in settings.CONTENT_LANGUAGES:
            boxes.append(
                {
                    "code": code,
                    "label": label,
                    "name": f"{name}__{code}",
                    "id": f"{base_id}__{code}",
                    "value": value.get(code, ""),
                    "primary": code in INTERFACE_LANGUAGES,
                }
            )
        context["widget"].update(
            {
                "boxes": [b for b in boxes if b["primary"] or b["value"]],
                "other_boxes": [b for b in boxes if not b["primary"] and not b["value"]],
                "multiline": self.multiline,
            }
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str] | None:
        prefix = f"{name}__"
        if not any(key.startswith(prefix) for key in data):
            return None
        return {
            code: data.get(f"{prefix}{code}", "").strip()
            for code, _label in settings.CONTENT_LANGUAGES
            if data.get(f"{prefix}{code}", "").strip()
        }

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(key.startswith(f"{name}__") for key in data)


class OnDemandTranslatedWidget(TranslatedWidget):
    """French shown, and the languages that already hold text; the `offered` languages (English,
    the partner towns' languages) under "Add a language", one box each, folded until asked for.
    Works without JavaScript (a details element). The field's label names the French box."""

    template_name = "core/widgets/translated_on_demand.html"

    def __init__(
        self, multiline: bool = True, offered: Any = (), attrs: dict[str, Any] | None = None
    ) -> None:
        super().__init__(multiline=multiline, attrs=attrs)
        self.offered = list(offered)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}__fr" if id_ else id_

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        value = value if isinstance(value, dict) else {}
        widget = context["widget"]
        boxes = widget["boxes"] + widget["other_boxes"]
        offered = set(self.offered)
        # The French box carries the field's own label and hint (aria-describedby).
        described = (attrs or {}).get("aria-describedby", "")
        for box in boxes:
            box["described_by"] = described if box["code"] == "fr" else ""
        widget["boxes"] = [b for b in boxes if b["code"] == "fr" or value.get(b["code"])]
        widget["other_boxes"] = [
            b
            for b in boxes
            if b["code"] in offered and b["code"] != "fr" and not value.get(b["code"])
        ]
        return context


class TranslatedFormField(forms.JSONField):
    """The form side of core.i18n.TranslatedField."""

    def __init__(self, *args: Any, multiline: bool = True, **kwargs: Any) -> None:
        kwargs["widget"] = TranslatedWidget(multiline=multiline)
        # The model's callable default would add a hidden "initial" copy (a Python repr) that
        # makes the field always look changed.
        kwargs.pop("show_hidden_initial", None)
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        if value is None:
            return {}
        if isinstance(value, dict):
            return {code: text for code, text in value.items() if text}
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        return value

    def bound_data(self, data: Any, initial: Any) -> Any:
        return data if data is not None else initial

    def has_changed(self, initial: Any, data: Any) -> bool:
        return (initial or {}) != (self.to_python(data) or {})

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(_("Write this text in at least one language."))


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A choice among records: a tampered id too long for the database is an invalid choice on
    the form (Django's own field would let the database overflow into a server error)."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and too_long_for_an_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The same for a list of records."""

    def _check_values(self, value: Any) -> Any:
        for pk in value or ():
            if too_long_for_an_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:40]},
                )
        return super()._check_values(value)  # type: ignore[misc]  # private in the stubs
