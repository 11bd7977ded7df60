"""User-entered text as HTML: the one allow-list of what such HTML may contain.

Texts typed in the back office (news, descriptions) are plain text: `text_to_html` escapes them
and makes paragraphs, as the public pages show them. Whatever HTML comes from user text goes
through `clean_html` (nh3, a binding of the Rust sanitiser ammonia) before it reaches a page or a
feed, so a `<script>`, an `onerror=` or a `javascript:` link can never run in a reader's browser
or feed reader, even if a later change lets users type HTML.
"""

from __future__ import annotations

import nh3
from django.template.defaultfilters import linebreaks_filter
from django.utils.safestring import SafeString, mark_safe

# Paragraphs, lists, links, emphasis, headings: what a news item may hold, nothing that runs or
# loads (no script, style, iframe, img, form), and no attribute but a link's address and title.
ALLOWED_TAGS = {
    "p",
    "br",
    "ul",
    "ol",
    "li",
    "a",
    "em",
    "strong",
    "i",
    "b",
    "blockquote",
    "h2",
    "h3",
    "h4",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}}
# Links to web pages and e-mail addresses only: no javascript:, data: or vbscript: address.
URL_SCHEMES = {"http", "https", "mailto"}
# Elements removed together with their content (the default of ammonia keeps the text).
REMOVED_WITH_CONTENT = {"script", "style"}


def clean_html(html: str) -> str:
    """The HTML reduced to the allow-list: other elements dropped (their text kept, except for
    scripts and styles), other attributes and unsafe link addresses removed, links given
    `rel="noopener noreferrer nofollow"`."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def text_to_html(text: str) -> SafeString:
    """A plain text typed in the back office as HTML: escaped, blank lines making paragraphs and
    single line breaks kept; then through the allow-list like any user HTML."""
    return mark_safe(clean_html(linebreaks_filter(text or "", autoescape=True)))
