"""Browser fixtures: Debian's chromium driven by Playwright's sync API against `live_server`.

Playwright cannot download its own browser on a closed network: the tests use the system's
chromium (`CHROMIUM_PATH`, else `chromium` on the PATH; `scripts/ensure-chromium.sh` installs
it). Without it they fail with what to do, rather than being skipped unnoticed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

# Playwright's sync API keeps an asyncio event loop running in this thread, and Django
# refuses ORM calls (the factories, the fixtures) from a thread with a running loop.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# Without the background-networking flags chromium keeps calling Google's services, which a
# closed network refuses (and which would also fail the "no other host" check).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # the tests may run as root, where chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if not path:
        pytest.fail(
            "The browser tests need chromium: run scripts/ensure-chromium.sh "
            "(or 'sudo apt-get install chromium'), or set CHROMIUM_PATH."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def requested_urls() -> list[str]:
    """Every URL the page asked for, to check that nothing left the live server."""
    return []


@pytest.fixture
def page(browser: Any, live_server: Any, requested_urls: list[str]) -> Iterator[Any]:
    # The browser says it prefers English: the French default must hold regardless.
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("request", lambda request: requested_urls.append(request.url))
    yield page
    context.close()


@pytest.fixture
def csp_violations(page: Any) -> list[str]:
    """What the Content-Security-Policy refused on the pages so far, as chromium reports it in
    the console ("Refused to load / execute / apply ..."); the policy stays on in every test
    (axe-core is evaluated through the DevTools protocol, which the policy does not cover)."""
    refused: list[str] = []

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return refused


@pytest.fixture
def foreign_requests(live_server: Any, requested_urls: list[str]) -> Any:
    """A function: the URLs so far that went to a host other than the live server
    (data: and blob: URLs stay in the browser)."""
    own = urlsplit(live_server.url).netloc

    def outside() -> list[str]:
        assert requested_urls, "no request was recorded: the check would prove nothing"
        return [
            url
            for url in requested_urls
            if urlsplit(url).scheme not in {"data", "blob", "about"} and urlsplit(url).netloc != own
        ]

    return outside


@pytest.fixture
def sign_in(page: Any) -> Any:
    """A function: sign in to the back office through its form."""

    def sign_in(username: str, password: str = "pw") -> None:
        page.goto("/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_load_state()
        assert "/admin/login/" not in page.url, f"{username} could not sign in"

    return sign_in


@pytest.fixture
def demo(transactional_db: Any, settings: Any) -> Any:
    """The demonstration data (Suresnes and a fictional second authority), loaded as
    `make run` loads it: reference data, then the demo."""
    import io

    from django.core.management import call_command

    from jumelage.partners.models import MemberAuthority

    # Tests run with DEBUG off, where the demo refuses its well-known default password.
    settings.DEMO_PASSWORD = "browser-tests-only"
    call_command("load_reference", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    return MemberAuthority.objects.get(slug="suresnes")
