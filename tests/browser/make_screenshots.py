"""Screenshots of every kind of public page, at phone (390 px) and desktop (1280 px) widths,
into docs/screenshots/. Rerun it after a change of the public pages, then look at them.

    .venv/bin/python tests/browser/make_screenshots.py                 # its own demo server
    .venv/bin/python tests/browser/make_screenshots.py --base-url http://127.0.0.1:8000

Without --base-url it builds a throwaway SQLite database with the reference and demo data,
serves it on a free port, and stops it afterwards. Uses Debian's chromium (CHROMIUM_PATH, else
`chromium` on the PATH), like the browser tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "docs" / "screenshots"
WIDTHS = {"phone": 390, "desktop": 1280}
SLUG = "suresnes"

# (file name, path); French pages, and the main page in English too.
PAGES = [
    ("home", "/"),
    ("authority-fr", f"/{SLUG}/"),
    ("authority-en", f"/en/{SLUG}/"),
    ("partner", f"/{SLUG}/partenaires/{{cap}}-cap-haitien/"),
    ("projects", f"/{SLUG}/projets/"),
    ("project", f"/{SLUG}/projets/etat-civil-cap-haitien-exemple/"),
    ("news", f"/{SLUG}/actualites/"),
    ("news-item", f"/{SLUG}/actualites/formation-officiers-etat-civil-exemple/"),
    ("visits", f"/{SLUG}/visites/"),
    ("contact", f"/{SLUG}/contact/"),
    ("embed-twin-towns", f"/{SLUG}/embed/twin-towns/?map=1"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def demo_server() -> Iterator[str]:
    """A runserver on a throwaway database holding the demo."""
    workdir = Path(tempfile.mkdtemp(prefix="jumelage-screens-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "CACHE_DIR": str(workdir / "cache"),
        "DEBUG": "true",
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    manage = [python, str(ROOT / "manage.py")]
    for command in (["migrate", "--no-input", "-v0"], ["load_reference"], ["load_demo"]):
        subprocess.run([*manage, *command], env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(50):
            try:
                urllib.request.urlopen(base + "/robots.txt", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def partner_id(base: str, name: str) -> str:
    """The id in a partner page's address, read from the authority page's links."""
    with urllib.request.urlopen(f"{base}/{SLUG}/") as response:
        html = response.read().decode()
    marker = f"/{SLUG}/partenaires/"
    for chunk in html.split(marker)[1:]:
        identifier, _, rest = chunk.partition("-")
        if rest.startswith(name):
            return identifier
    raise SystemExit(f"No partner page for {name} on /{SLUG}/")


def shoot(base: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not chromium:
        raise SystemExit("Install chromium (scripts/ensure-chromium.sh) or set CHROMIUM_PATH.")
    cap = partner_id(base, "cap-haitien")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for label, width in WIDTHS.items():
            context = browser.new_context(
                viewport={"width": width, "height": 900},
                device_scale_factor=1,
                locale="fr-FR",
            )
            page = context.new_page()
            for name, path in PAGES:
                page.goto(base + path.format(cap=cap))
                page.wait_for_load_state("networkidle")
                target = OUTPUT / f"{name}-{label}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
            context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", help="a running server with the demo loaded")
    args = parser.parse_args()
    if args.base_url:
        written = shoot(args.base_url.rstrip("/"))
    else:
        with demo_server() as base:
            written = shoot(base)
    for path in written:
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    sys.exit(main())
