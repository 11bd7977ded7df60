"""Template helpers: text with its language, money, numbers and the language switch."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from jumelage.public.templatetags import public_tags


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_text_in_the_readers_language_has_no_lang_of_its_own():
    assert public_tags.tr({"fr": "Bonjour", "en": "Hello"}) == "Hello"


def test_text_in_another_language_says_which_and_is_escaped():
    assert public_tags.tr({"ht": "Bonjou <zanmi>"}) == '<span lang="ht">Bonjou &lt;zanmi&gt;</span>'


def test_right_to_left_text_gets_its_direction():
    assert public_tags.foreign("חולון", "he") == '<span lang="he" dir="rtl">חולון</span>'


def test_a_long_text_becomes_paragraphs_in_a_div_with_its_lang():
    html = public_tags.tr({"sr": "Прво.\n\nДруго."}, block=True)  # noqa: RUF001
    assert html == '<div class="prose" lang="sr"><p>Прво.</p>\n\n<p>Друго.</p></div>'


def test_an_excerpt_is_cut_at_a_word():
    assert public_tags.tr({"en": "one two three four"}, words=2) == "one two…"


def test_a_partner_shows_its_own_name_in_its_own_language():
    class Town:
        name = "Kragujevac"
        local_name = "Крагујевац"
        local_name_language = "sr"

    assert public_tags.town_name(Town()) == (
        'Kragujevac <span class="local-name" lang="sr">(Крагујевац)</span>'
    )


def test_strings_typed_in_the_instances_language_are_marked_on_english_pages():
    assert public_tags.inlang("Maire") == '<span lang="fr">Maire</span>'
    with translation.override("fr"):
        assert public_tags.inlang("Maire") == "Maire"


def test_money_and_percentages_follow_the_language():
    assert public_tags.money(Decimal("60000.00"), "EUR") == "€60,000"
    assert public_tags.money(Decimal("1500"), "USD") == "1,500\xa0USD"
    assert public_tags.percent(Decimal("33.3333")) == "33%"
    with translation.override("fr"):
        assert public_tags.money(Decimal("60000.00"), "EUR") == "60\xa0000\xa0€"
        assert public_tags.percent(Decimal("75")) == "75\xa0%"
        assert public_tags.decimal(Decimal("2.3300")) == "2,33"


def test_the_language_switch_leads_to_the_same_page_in_the_other_language(db):
    request = RequestFactory().get("/en/suresnes/projects/?page=2")
    template = Template(
        "{% load public_tags %}{% language_links as links %}"
        "{% for l in links %}{{ l.code }}={{ l.url }}{% if l.current %}*{% endif %};{% endfor %}"
    )
    rendered = template.render(Context({"request": request}))
    assert rendered == "fr=/suresnes/projets/?page=2;en=/en/suresnes/projects/?page=2*;"


def test_share_links_encode_the_address_and_the_title():
    links = {
        link["key"]: link["href"]
        for link in public_tags.share_links("https://x.fr/a b/", "Twin & towns")
    }
    assert (
        links["facebook"]
        == "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fx.fr%2Fa%20b%2F"
    )
    assert links["email"] == "mailto:?subject=Twin%20%26%20towns&body=https%3A%2F%2Fx.fr%2Fa%20b%2F"
    assert links["x"].startswith("https://twitter.com/intent/tweet?url=https%3A")
    assert links["linkedin"].endswith("?url=https%3A%2F%2Fx.fr%2Fa%20b%2F")
