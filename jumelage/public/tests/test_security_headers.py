"""The public pages' Content-Security-Policy and Permissions-Policy: scripts and styles from
this site only, nothing inline, no framing but the embeddable blocks."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from django.urls import reverse
from lxml import etree
from lxml import html as lxml_html

from jumelage.public.tests.test_pages import public_urls

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    assert header, "no Content-Security-Policy"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def inline_code(content: str) -> list[str]:
    """What the policy would refuse in this page: inline scripts (JSON data excepted), style
    elements and attributes, event handler attributes, javascript: links."""
    found = []
    for element in lxml_html.fromstring(content).iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.split("}")[-1]
        # A JSON-LD block is data, not a script: the policy lets it be.
        data = element.get("type") == "application/ld+json"
        if tag == "script" and not element.get("src") and not data:
            found.append("inline script")
        if tag == "style":
            found.append("style element")
        for name, value in element.attrib.items():
            if name == "style" or name.lower().startswith("on"):
                found.append(f"{name} attribute on {tag}")
            if name == "href" and value.strip().lower().startswith("javascript:"):
                found.append("javascript: link")
    return found


def test_every_public_page_allows_only_this_sites_scripts_and_styles(client, world):
    for url in [*public_urls(world), reverse("public:news_rss", args=[world.member.slug])]:
        directives = policy(client.get(url))
        assert directives["default-src"] == ["'none'"], url
        assert directives["script-src"] == ["'self'"], url
        assert directives["style-src"] == ["'self'"], url
        assert directives["img-src"] == ["'self'"], url
        assert directives["form-action"] == ["'self'"], url
        assert "'unsafe-inline'" not in str(directives) and "'unsafe-eval'" not in str(directives)


def test_no_public_page_holds_an_inline_script_or_style(client, world):
    slug = world.member.slug
    urls = [*public_urls(world), reverse("public:embed_twin_towns", args=[slug]) + "?map=1"]
    for url in urls:
        response = client.get(url)
        assert inline_code(response.content.decode()) == [], url


def test_the_map_on_a_page_is_styled_by_a_linked_stylesheet(client, world):
    content = client.get(reverse("public:authority", args=[world.member.slug])).content.decode()
    assert 'class="jm-map"' in content
    assert "/static/public/css/map.css" in content


def test_no_page_may_be_framed_but_the_embeddable_blocks(client, world):
    slug = world.member.slug
    embeds = {
        reverse("public:embed_twin_towns", args=[slug]),
        reverse("public:embed_projects", args=[slug]),
    }
    for url in public_urls(world):
        response = client.get(url)
        if url in embeds:
            assert policy(response)["frame-ancestors"] == ["*"], url
            assert "X-Frame-Options" not in response.headers, url
        else:
            assert policy(response)["frame-ancestors"] == ["'none'"], url
            assert response.headers["X-Frame-Options"] == "DENY", url


def test_the_standalone_map_allows_its_own_styles_by_their_hash_only(client, world):
    response = client.get(reverse("public:map_svg", args=[world.member.slug]))
    svg = etree.fromstring(response.content)
    [style] = svg.findall("{http://www.w3.org/2000/svg}style")
    digest = base64.b64encode(hashlib.sha256(style.text.encode()).digest()).decode()
    assert policy(response)["style-src"] == ["'self'", f"'sha256-{digest}'"]


def test_every_page_denies_the_camera_the_microphone_and_the_location(client, world):
    for url in public_urls(world):
        header = client.get(url).headers["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert re.search(rf"(^|, ){feature}=\(\)", header), (url, feature)
