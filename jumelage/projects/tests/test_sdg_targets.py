"""SDG targets as officers type them (`validators.sdg_targets_from_text`, read by the workspace's
project form and the back office's alike): commas, spaces, semicolons or lines between them,
French commas inside them; what is not written as a target is refused by name."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError

from jumelage.projects.fields import SdgTargetsField
from jumelage.projects.validators import sdg_targets_from_text


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        ("6.1, 16.6", ["6.1", "16.6"]),
        ("6.1 16.6", ["6.1", "16.6"]),
        ("6.1\n16.6\r\n", ["6.1", "16.6"]),
        ("6,1 ; 16,6", ["6.1", "16.6"]),
        ("6,1,16,6", ["6.1", "16.6"]),
        ("6.1,16.10", ["6.1", "16.10"]),
        ("4.A  06.1", ["4.a", "6.1"]),
        ("6.1, 6.1", ["6.1"]),
        ("  ", []),
    ],
)
def test_targets_are_read_however_they_are_separated(typed, codes):
    assert sdg_targets_from_text(typed) == codes


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("6.1, 42", "“42”"),
        ("ODD 6.1", "“ODD”"),
        ("6.1.2", "“6.1.2”"),
        ("6.1, 6.abc", "“6.abc”"),
        ("6.1 cible, 7", "“cible”, “7”"),
    ],
)
def test_what_is_not_a_target_is_named(typed, named):
    with pytest.raises(ValidationError) as refused:
        sdg_targets_from_text(typed)
    assert named in refused.value.messages[0]
    assert "for example 6.1" in refused.value.messages[0]


def test_the_form_field_shows_a_list_as_text_and_reads_it_back():
    class Form(forms.Form):
        sdg_targets = SdgTargetsField(required=False)

    assert 'value="6.1, 16.6"' in str(Form(initial={"sdg_targets": ["6.1", "16.6"]}))
    form = Form(data={"sdg_targets": "6,1 16,6"})
    assert form.is_valid() and form.cleaned_data["sdg_targets"] == ["6.1", "16.6"]
    form = Form(data={"sdg_targets": "6.1 ODD"})
    assert not form.is_valid() and "“ODD”" in form.errors["sdg_targets"][0]
