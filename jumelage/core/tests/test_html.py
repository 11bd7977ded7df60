"""The one allow-list for user HTML: what may reach a page or a feed, and what never does."""

from __future__ import annotations

from jumelage.core.html import clean_html, text_to_html


def test_it_removes_scripts_with_their_content():
    assert clean_html("<p>Hello<script>alert(1)</script></p>") == "<p>Hello</p>"


def test_it_removes_event_handler_attributes():
    assert clean_html('<p onclick="alert(1)">Hi <img src=x onerror="alert(1)"></p>') == "<p>Hi </p>"


def test_it_removes_javascript_and_data_link_addresses():
    cleaned = clean_html(
        '<a href="javascript:alert(1)">a</a><a href=" JaVaScRiPt:alert(1)">b</a>'
        '<a href="data:text/html,<script>alert(1)</script>">c</a>'
    )
    assert "javascript" not in cleaned.lower() and "data:" not in cleaned
    assert "href" not in cleaned


def test_it_keeps_paragraphs_lists_links_emphasis_and_headings():
    html = (
        "<h2>Title</h2><p><em>a</em> <strong>b</strong></p><ul><li>one</li></ul>"
        '<ol><li>two</li></ol><p><a href="https://example.org/">link</a></p>'
    )
    assert clean_html(html) == html.replace(
        '<a href="https://example.org/">',
        '<a href="https://example.org/" rel="noopener noreferrer nofollow">',
    )


def test_it_drops_frames_forms_styles_and_images():
    cleaned = clean_html(
        '<iframe src="https://example.org"></iframe><form><input></form>'
        "<style>p{}</style><img src=x><p style='color:red'>x</p>"
    )
    assert cleaned == "<p>x</p>"


def test_a_plain_text_shows_what_looks_like_markup_as_typed():
    assert text_to_html("a <b>bold</b>\nnext\n\nsecond") == (
        "<p>a &lt;b&gt;bold&lt;/b&gt;<br>next</p>\n\n<p>second</p>"
    )
