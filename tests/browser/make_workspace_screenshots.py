"""Screenshots of the workspace's pages, signed in as the demo's officer, at phone (390 px) and
desktop (1280 px) widths, into docs/screenshots/workspace-*.png. Rerun it after a change of
the workspace, then look at them.

    .venv/bin/python tests/browser/make_workspace_screenshots.py
    .venv/bin/python tests/browser/make_workspace_screenshots.py --base-url http://127.0.0.1:8100

Without --base-url it serves a throwaway copy of the demo, as make_screenshots.py does.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_screenshots import OUTPUT, ROOT, SLUG, WIDTHS, demo_server

# (file name, path, then the link to follow from it if any): French pages.
PAGES = [
    ("workspace-home", f"/espace/{SLUG}/", ""),
    ("workspace-project", f"/espace/{SLUG}/projets/", "Appui à l'état civil de Cap-Haïtien"),
    ("workspace-partnership", f"/espace/{SLUG}/partenariats/", "Cap-Haïtien"),
    ("workspace-calendar", f"/espace/{SLUG}/calendrier/2027/3/", ""),
]
PASSWORD = os.environ.get("JUMELAGE_DEMO_PASSWORD", "demo")


def shoot(base: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not chromium:
        raise SystemExit("Install chromium (scripts/ensure-chromium.sh) or set CHROMIUM_PATH.")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for label, width in WIDTHS.items():
            context = browser.new_context(
                viewport={"width": width, "height": 900}, device_scale_factor=1, locale="fr-FR"
            )
            page = context.new_page()
            page.goto(base + "/admin/login/")
            page.fill("#id_username", "officer")
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            page.wait_for_load_state()
            for name, path, link in PAGES:
                page.goto(base + path)
                if link:
                    page.get_by_role("link", name=link).click()
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
    main()
