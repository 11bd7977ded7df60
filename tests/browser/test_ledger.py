"""The payments ledger in a real browser: the demo's officer records a payment of 45 000 000 FCFA
with the euros the treasury paid, in place on the project's page (htmx), sees it in French
format, and the ODA declaration counts those euros; a line corrected in place; axe-core on the
ledger's pages in French and English, with a form open and a paste previewed; nothing refused
by the Content-Security-Policy."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from tests.browser.test_public_accessibility import axe_violations, describe
from tests.browser.test_workspace import _sign_in, watch_refusals

pytestmark = pytest.mark.browser

PROJECT_SLUG = "etat-civil-cap-haitien-exemple"


def _project_pk() -> int:
    from jumelage.projects.models import Project

    return Project.objects.get(slug=PROJECT_SLUG).pk


def test_recording_a_payment_of_45_million_fcfa_with_its_euro_value(
    page, demo, sign_in, foreign_requests, csp_violations
):
    from jumelage.partners.models import MemberAuthority
    from jumelage.projects.models import Transaction
    from jumelage.reporting.oda.selectors import oda_declaration

    sign_in("officer", "browser-tests-only")
    page.goto(f"/espace/suresnes/projets/{_project_pk()}/")
    section = page.locator("#payments")
    section.get_by_role("link", name="Ajouter un paiement").click()
    form = page.locator("#payment-new form")
    form.wait_for()
    form.get_by_label("Pays").select_option(label="Sénégal")
    form.get_by_label("Date").fill("12/05/2025")
    form.get_by_label("Montant", exact=False).first.fill("45 000 000 FCFA")
    form.get_by_label("Euros payés").fill("68 602,11")
    form.get_by_label("Bénéficiaire").fill("Commune de Dakar")
    form.get_by_label("Catégorie APD").select_option("1")
    form.get_by_label("N° de mandat").fill("M-2025-118")
    form.get_by_label("Imputation").fill("65748")
    form.get_by_role("button", name="Enregistrer le paiement").click()

    payment = None
    row = page.locator("tr.ws-ledger-saved")
    row.wait_for()
    text = row.text_content() or ""
    assert "45\u00a0000\u00a0000,00\u00a0XOF" in text, text
    assert "68\u00a0602,11\u00a0€" in text, text
    assert "Commune de Dakar" in text and "M-2025-118" in text
    payment = Transaction.objects.get(order_number="M-2025-118")
    assert (payment.currency, payment.amount, payment.amount_eur) == (
        "XOF",
        Decimal("45000000.00"),
        Decimal("68602.11"),
    )

    # Corrected in place: the row becomes a form with the values as written, and back.
    row.get_by_role("link", name="Corriger").click()
    editing = page.locator(f"#payment-{payment.pk} form")
    editing.wait_for()
    assert editing.get_by_label("Euros payés").input_value() == "68\u00a0602,11"
    editing.get_by_label("Euros payés").fill("68 600")
    editing.get_by_role("button", name="Enregistrer le paiement").click()
    page.locator(f"tr#payment-{payment.pk}.ws-ledger-saved").wait_for()
    payment.refresh_from_db()
    assert payment.amount_eur == Decimal("68600.00") and payment.version == 2

    # Its CRS codes, in their section collapsed by default: opened, the channel chosen by its
    # French name, saved through the same form.
    page.locator(f"tr#payment-{payment.pk}").get_by_role("link", name="Corriger").click()
    editing = page.locator(f"#payment-{payment.pk} form")
    editing.wait_for()
    details = editing.locator("details")
    assert details.get_attribute("open") is None
    assert not editing.get_by_label("Canal").is_visible()
    details.locator("summary").click()
    assert editing.get_by_label("Type d'aide").input_value() == "C01"
    editing.get_by_label("Canal").select_option(label="12002 – Gouvernment local")  # noqa: RUF001
    editing.get_by_role("button", name="Enregistrer le paiement").click()
    page.locator(f"tr#payment-{payment.pk}.ws-ledger-saved").wait_for()
    payment.refresh_from_db()
    assert (payment.channel_code, payment.aid_type, payment.version) == ("12002", "C01", 3)

    # The ODA declaration counts the euros the treasury paid, not the parity's.
    member = MemberAuthority.objects.get(slug="suresnes")
    counted = {item.pk: item.amount_eur for item in oda_declaration(member, 2025).counted}
    assert counted.get(payment.pk) == Decimal("68600.00")

    page.goto("/espace/suresnes/paiements/")
    assert page.get_by_role("heading", level=1, name="Paiements").is_visible()
    assert page.locator(f"#payment-{payment.pk}").is_visible()
    assert csp_violations == []
    assert foreign_requests() == []


def _payment_pk(project_pk: int) -> int:
    from jumelage.projects.models import Transaction

    return (
        Transaction.objects.filter(project_id=project_pk)
        .order_by("pk")
        .values_list("pk", flat=True)[0]
    )


def _ledger_pages(project_pk: int) -> list[tuple[str, str]]:
    """(path, what to do on it before the check) for each page of the ledger, both languages;
    a payment's page opened with its CRS codes' section, a bad code sent."""
    payment_pk = _payment_pk(project_pk)
    pages = []
    for prefix, words in (
        ("/espace/suresnes/", ("projets", "paiements", "coller", "taux-de-change", "modifier/")),
        ("/en/workspace/suresnes/", ("projects", "payments", "paste", "exchange-rates", "edit/")),
    ):
        projects, payments, paste, rates, edit = words
        pages += [
            (f"{prefix}{payments}/", ""),
            (f"{prefix}{projects}/{project_pk}/", "open-form"),
            (f"{prefix}{payments}/{payment_pk}/{edit}?open=oda", "bad-code"),
            (f"{prefix}{payments}/{paste}/?for_project={project_pk}", "paste"),
            (f"{prefix}{rates}/?currency=HTG&date=2025-06-01", "bad-rate"),
        ]
    return pages


PASTED = (
    "Date\tMontant\tDevise\tMontant en euros\tBénéficiaire\tCatégorie\tPays\tMandat\n"
    "12/05/2025\t1 405 gourdes\t\t10,00\tMairie\t1\tHaïti\tM-1\n"
    "32/05/2025\tdouze\t\t\t\t\t\t\n"
)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_ledgers_pages_pass_axe_in_french_and_english(browser, live_server, demo, width):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}, locale="fr-FR"
    )
    page = context.new_page()
    refused = watch_refusals(page)
    try:
        _sign_in(page, "officer")
        failures = []
        for path, action in _ledger_pages(_project_pk()):
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            _do(page, action)
            assert page.get_by_role("heading", level=1).count() == 1, path
            violations = axe_violations(page)
            if violations:
                failures.append(
                    f"{path} ({action or 'as opened'}) at {width}px:\n{describe(violations)}"
                )
        assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)
        assert refused == []
    finally:
        context.close()


def _do(page: Any, action: str) -> None:
    if action == "open-form":
        page.locator("#payments a[hx-get*='for_project']").first.click()
        page.locator("#payment-new form").wait_for()
        page.locator("#payment-new button[type=submit]").click()  # empty: errors shown
        page.locator("#payment-new .ws-error").first.wait_for()
        page.locator("#payment-new details summary").click()  # the CRS codes' section open
    elif action == "bad-code":
        form = page.locator("form.ws-ledger-form")
        assert form.locator("details[open]").count() == 1  # opened by the link
        form.locator("select[name=flow_type]").evaluate(
            "select => { select.add(new Option('99', '99')); select.value = '99'; }"
        )
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        page.locator("details[open] .ws-error").first.wait_for()
    elif action == "paste":
        page.locator("textarea").fill(PASTED)
        page.locator("button[value=preview]").click()
        page.wait_for_load_state()
        page.locator("#preview-caption").wait_for()
    elif action == "bad-rate":
        page.locator("button[type=submit].ws-button").last.click()
        page.wait_for_load_state()
        page.locator(".ws-error").first.wait_for()


def test_the_ledger_works_without_javascript(browser, live_server, demo):
    from jumelage.projects.models import Transaction

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        _sign_in(page, "officer")
        page.goto("/espace/suresnes/paiements/")
        page.get_by_role("link", name="Ajouter un paiement").click()
        page.wait_for_load_state()
        page.get_by_label("Projet").select_option(label="une cotisation")
        page.get_by_label("Date").fill(datetime.date(2025, 2, 1).strftime("%d/%m/%Y"))
        page.get_by_label("Montant", exact=False).first.fill("1 200 €")
        page.get_by_label("Bénéficiaire").fill("Cités Unies France")
        page.get_by_role("button", name="Enregistrer le paiement").click()
        page.wait_for_load_state()
        assert page.url.endswith("/espace/suresnes/paiements/")
        assert page.get_by_text("Le paiement est enregistré.").is_visible()
        fee = Transaction.objects.get(receiver="Cités Unies France")
        assert (fee.project_id, fee.nature) == (None, Transaction.Nature.MEMBERSHIP_FEE)
    finally:
        context.close()


def test_the_ledgers_pages_reflow_on_a_phone(browser, live_server, demo):
    # WCAG 1.4.10: at 320 CSS pixels the tables scroll in their own box, the page does not.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 800})
    page = context.new_page()
    try:
        _sign_in(page, "officer")
        for path, action in _ledger_pages(_project_pk()):
            page.goto(path)
            _do(page, action)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} ({action}) scrolls sideways by {overflow}px"
    finally:
        context.close()
