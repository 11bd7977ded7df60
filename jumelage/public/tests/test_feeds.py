"""A news text that carries markup never reaches a feed reader or a page as live HTML: feed
readers show RSS descriptions and Atom summaries as HTML, so a script there runs."""

from __future__ import annotations

import datetime

import pytest
from lxml import etree
from lxml import html as lxml_html

from jumelage.content.tests.factories import NewsItemFactory

ATTACK = (
    "Our visit <script>alert('script')</script> went well.\n"
    '<img src="x" onerror="alert(\'onerror\')">\n\n'
    "<a href=\"javascript:alert('link')\">Read more</a> "
    "<p onmouseover=\"alert('hover')\">Photos</p>"
)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def hostile_news(city_a):
    return NewsItemFactory(
        authority=city_a,
        slug="visite",
        title={"fr": "Visite", "en": "Visit"},
        body={"fr": ATTACK, "en": ATTACK},
        published_on=datetime.date(2026, 1, 10),
        is_public=True,
    )


def live_html_problems(fragment: str) -> list[str]:
    """What in this HTML would run in a browser: script elements, event handler attributes,
    javascript: links."""
    problems = []
    tree = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        # The page's own scripts (site.js, the JSON-LD data) say no "alert".
        if element.tag == "script" and "alert" in (element.text or ""):
            problems.append("script element")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                problems.append(f"{name} attribute")
            if name in {"href", "src"} and value.strip().lower().startswith("javascript:"):
                problems.append(f"javascript: {name}")
    return problems


def test_the_rss_feed_carries_no_script_handler_or_javascript_link(client, hostile_news):
    feed = etree.fromstring(client.get("/ville-a/news/feed.rss").content)
    [description] = feed.findall("./channel/item/description")
    assert "went well" in description.text  # the text is there, as text
    assert live_html_problems(description.text) == []


def test_the_atom_feed_carries_no_script_handler_or_javascript_link(client, hostile_news):
    feed = etree.fromstring(client.get("/en/ville-a/news/feed.atom").content)
    [summary] = feed.findall(f"./{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "html"
    assert "went well" in summary.text
    assert live_html_problems(summary.text) == []


def test_a_feed_shows_the_markup_typed_in_a_news_text_as_text(client, hostile_news):
    """The back office takes plain text: what looks like a tag is shown as typed, on the page
    and in the feed alike."""
    feed = etree.fromstring(client.get("/ville-a/news/feed.rss").content)
    [description] = feed.findall("./channel/item/description")
    assert "&lt;script&gt;" in description.text
    assert description.text.startswith("<p>")


@pytest.mark.parametrize(
    "address", ["/ville-a/actualites/visite/", "/ville-a/actualites/", "/ville-a/"]
)
def test_the_public_pages_carry_no_script_handler_or_javascript_link(client, hostile_news, address):
    page = client.get(address)
    assert page.status_code == 200
    content = page.content.decode()
    assert "went well" in content
    assert live_html_problems(content) == []
