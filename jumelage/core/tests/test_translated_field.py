"""Multilingual content fields: one box per language in forms, stored as a JSON object."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from jumelage.core.i18n import pick, translate, validate_translations
from jumelage.projects.models import Project


class ProjectTitleForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["title", "description"]


def test_the_form_shows_french_and_english_and_folds_the_other_languages():
    html = str(ProjectTitleForm(instance=Project(title={"fr": "Eau", "sr": "Вода"}))["title"])
    assert 'name="title__fr"' in html and 'value="Eau"' in html
    assert 'name="title__en"' in html
    # A language that holds text is shown, with its lang attribute.
    assert 'lang="sr"' in html and "Вода" in html
    assert "<details" in html  # the empty other languages are folded
    assert 'type="text"' in html  # a title is one line
    assert "<textarea" in str(ProjectTitleForm()["description"])


def test_the_form_keeps_only_the_languages_written():
    form = ProjectTitleForm(
        data={"title__fr": " Eau potable ", "title__en": "", "title__ht": "Dlo"}
    )
    form.is_valid()
    assert form.cleaned_data["title"] == {"fr": "Eau potable", "ht": "Dlo"}


def test_it_refuses_an_unknown_language_code():
    with pytest.raises(ValidationError, match="not a content language"):
        validate_translations({"xx": "texte"})
    with pytest.raises(ValidationError):
        validate_translations(["not", "a", "dict"])


def test_it_shows_the_readers_language_then_falls_back():
    value = {"fr": "Coopération", "en": "Cooperation"}
    assert translate(value, "en") == "Cooperation"
    assert translate(value, "de") == "Coopération"  # the site's default language
    assert pick({"sr": "Сарадња"}, "en") == ("Сарадња", "sr")  # the language is kept for lang=
