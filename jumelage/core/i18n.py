"""Multilingual content: a JSON object of language code -> text, shown in the reader's language.

Partners read titles and descriptions in their own language (Serbian, Haitian Creole...), so a
content field carries any of settings.CONTENT_LANGUAGES, not only the interface's two.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def content_language_codes() -> list[str]:
    return [code for code, _name in settings.CONTENT_LANGUAGES]


def validate_translations(value: Any) -> None:
    if value in (None, ""):
        return
    if not isinstance(value, dict):
        raise ValidationError(
            _('Write the text as an object of language codes, for example {"fr": "..."}.')
        )
    allowed = content_language_codes()
    for code, text in value.items():
        if code not in allowed:
            raise ValidationError(
                _("“%(code)s” is not a content language; use one of: %(allowed)s."),
                params={"code": code, "allowed": ", ".join(allowed)},
            )
        if not isinstance(text, str):
            raise ValidationError(
                _("The text in “%(code)s” must be plain text."), params={"code": code}
            )


class TranslatedField(models.JSONField):
    """Text in several languages, stored as {"fr": "...", "en": "...", "sr": "..."}."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
        if validate_translations not in self.validators:
            self.validators.append(validate_translations)

    def formfield(self, **kwargs: Any) -> Any:
        from jumelage.core.forms import TranslatedFormField

        # Titles and names fit on one line; descriptions get text areas.
        multiline = not any(word in self.name for word in ("title", "name"))
        return super().formfield(
            **{"form_class": TranslatedFormField, "multiline": multiline, **kwargs}
        )


def pick(value: dict[str, str] | None, language: str | None = None) -> tuple[str, str]:
    """Return (text, language) in the asked language, else the site default, else any.

    The language is returned so that templates can set `lang` on foreign-language text.
    """
    if not value:
        return "", language or settings.LANGUAGE_CODE
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    for code in (language, settings.LANGUAGE_CODE, "en", "fr"):
        if value.get(code):
            return value[code], code
    for code, text in value.items():
        if text:
            return text, code
    return "", language


def translate(value: dict[str, str] | None, language: str | None = None) -> str:
    return pick(value, language)[0]
