"""Screenshots of the workspace's pages, signed in as the demo's officer, at phone (390 px) and
desktop (1280 px) widths, into docs/screenshots/workspace-*.png, the annual report's page
(annual-report-*.png) and the first pages of its PDF file (annual-report-pdf-*.png, drawn by
poppler's pdftoppm: scripts/ensure-pdf.sh installs it). Rerun it after a change of the
workspace, then look at them.

    .venv/bin/python tests/browser/make_workspace_screenshots.py
    .venv/bin/python tests/browser/make_workspace_screenshots.py --base-url http://127.0.0.1:8100

Without --base-url it serves a throwaway copy of the demo, as make_screenshots.py does.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_screenshots import OUTPUT, ROOT, SLUG, WIDTHS, demo_server

REPORT_YEAR = 2025  # the year of the demo's projects

# (file name, path, then the link to follow from it if any): French pages.
PAGES = [
    ("workspace-home", f"/espace/{SLUG}/", ""),
    ("workspace-project", f"/espace/{SLUG}/projets/", "Appui à l'état civil de Cap-Haïtien"),
    ("workspace-partnership", f"/espace/{SLUG}/partenariats/", "Cap-Haïtien"),
    ("workspace-calendar", f"/espace/{SLUG}/calendrier/2027/3/", ""),
    ("workspace-payments", f"/espace/{SLUG}/paiements/", ""),
    ("workspace-people", f"/espace/{SLUG}/personnes/", ""),
    ("annual-report", f"/espace/{SLUG}/rapport-annuel/{REPORT_YEAR}/", ""),
]
# The annual report of the demo's year, and how many pages of its PDF file to show.
PDF_PATH = f"/espace/{SLUG}/rapport-annuel/{REPORT_YEAR}.pdf"
PDF_PAGES = 3
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
            executable_path=chromium,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
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
            if label == "desktop":
                written += pdf_pages(page.request.get(base + PDF_PATH).body())
            context.close()
        browser.close()
    return written


def pdf_pages(content: bytes) -> list[Path]:
    """The first pages of the report's PDF file as PNG images, as a reader sees them."""
    if not content.startswith(b"%PDF-"):
        raise SystemExit(f"{PDF_PATH} did not answer a PDF file.")
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        raise SystemExit("Install poppler-utils (scripts/ensure-pdf.sh) to draw the PDF pages.")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "report.pdf"
        source.write_bytes(content)
        prefix = OUTPUT / "annual-report-pdf"
        subprocess.run(
            [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", str(PDF_PAGES), str(source), prefix],
            check=True,
        )
    # pdftoppm numbers pages with as many digits as the document's page count needs.
    written = []
    for number in range(1, PDF_PAGES + 1):
        found = sorted(OUTPUT.glob(f"annual-report-pdf-*{number}.png"))
        target = OUTPUT / f"annual-report-pdf-{number}.png"
        for path in found:
            if path.stem.split("-")[-1].lstrip("0") == str(number) and path != target:
                path.rename(target)
        if target.exists():
            written.append(target)
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
