"""IATI 1.0x activities, read by converting their old codes to the 2.0x ones.

Version 1 of the standard was retired in 2019, but files in that shape are still met: old
datasets kept on the Registry, re-exports of archives, publishers who never upgraded. Its
structure is close enough for what an import keeps (texts directly in the elements instead of
`narrative`, which the reader already accepts), but several codes were words or letters. The
tables below come from the IATI 1.05 codelists (OrganisationRole, TransactionType,
SectorVocabulary, ActivityDateType) and the 2.01 upgrade notes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lxml import etree

ROLES = {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}
TRANSACTION_TYPES = {
    "IF": "1",  # incoming funds
    "C": "2",  # commitment
    "D": "3",  # disbursement
    "E": "4",  # expenditure
    "IR": "5",  # interest repayment
    "LR": "6",  # loan repayment
    "R": "7",  # reimbursement
    "QP": "8",  # purchase of equity
    "QS": "9",  # sale of equity
    "CG": "10",  # credit guarantee
}
SECTOR_VOCABULARIES = {
    "DAC": "1",
    "DAC-3": "2",
    "COFOG": "3",
    "NACE": "4",
    "NTEE": "5",
    "ADT": "6",
    "RO": "99",
    "RO2": "98",
}
DATE_TYPES = {"start-planned": "1", "start-actual": "2", "end-planned": "3", "end-actual": "4"}


def looks_legacy(activity: etree._Element) -> bool:
    """An activity of a file that states no version, written in the 1.0x shape: no narrative
    anywhere, and a title with its text directly inside."""
    title = activity.find("title")
    return (
        title is not None
        and bool((title.text or "").strip())
        and activity.find(".//narrative") is None
    )


def upgrade_codes(activity: etree._Element) -> None:
    """Rewrite, in place, the 1.0x codes that an import reads into their 2.0x values. Codes
    that are already numeric, or unknown, are left as they are (and reported by the checks)."""
    _convert(activity.iterfind("participating-org"), "role", ROLES, key=str.lower)
    _convert(activity.iterfind("transaction/transaction-type"), "code", TRANSACTION_TYPES)
    _convert(activity.iterfind("sector"), "vocabulary", SECTOR_VOCABULARIES)
    _convert(activity.iterfind("transaction/sector"), "vocabulary", SECTOR_VOCABULARIES)
    # Date types (`start-actual`...) are converted by the reader, for every file.
    for date in activity.iterfind("activity-date"):
        # 1.0x allowed the date as the element's text only.
        if not date.get("iso-date") and (date.text or "").strip():
            date.set("iso-date", (date.text or "").strip()[:10])


def _convert(
    elements: Iterable[etree._Element],
    attribute: str,
    table: dict[str, str],
    key: Callable[[str], str] = str.upper,
) -> None:
    for element in elements:
        value = (element.get(attribute) or "").strip()
        new = table.get(key(value))
        if new is not None:
            element.set(attribute, new)
