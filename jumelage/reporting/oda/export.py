"""The ODA declaration as files: an XLSX workbook with a sheet per view (categories, countries,
CRS lines, transactions counted, left out, to fix) and a CSV of every disbursement of the year
with its status; and the national view's files (every authority's total: a CSV of the
authorities, an XLSX with the categories, the countries and the authorities). Headers are in
the active language (the commands activate the site's)."""

from __future__ import annotations

import io
from typing import IO

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jumelage.reporting.oda.selectors import (
    NationalDeclaration,
    NationalRow,
    OdaDeclaration,
    OdaItem,
    Total,
)
from jumelage.reporting.spreadsheets import writers
from jumelage.reporting.spreadsheets.writers import AMOUNT, DATE, INTEGER, TEXT, Column, Table

XLSX = "xlsx"
CSV = "csv"
FORMATS = (XLSX, CSV)
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}


def file_name(declaration: OdaDeclaration, extension: str) -> str:
    return f"{declaration.member.slug}-oda-{declaration.year}.{extension}"


def _workbook_title(declaration: OdaDeclaration) -> str:
    return _("ODA declaration of %(authority)s, %(year)s flows") % {
        "authority": declaration.member,
        "year": declaration.year,
    }


# --- Columns -----------------------------------------------------------------------------------


def _item_columns() -> list[Column]:
    return [
        Column(_("Transaction no."), INTEGER, 14),
        Column(_("Date"), DATE),
        Column(_("Value date"), DATE),
        Column(_("Project"), TEXT, 40),
        Column(_("Description"), TEXT, 40),
        Column(_("Receiver"), TEXT, 25),
        Column(_("Transaction type"), TEXT, 12),
        Column(_("ODA category"), TEXT, 40),
        Column(_("Country code"), TEXT, 10),
        Column(_("Country"), TEXT, 20),
        Column(_("CRS purpose code"), TEXT, 12),
        Column(_("CRS channel"), TEXT, 12),
        Column(_("Flow type"), TEXT, 10),
        Column(_("Finance type"), TEXT, 10),
        Column(_("Aid type"), TEXT, 10),
        Column(_("Amount"), AMOUNT),
        Column(_("Currency"), TEXT, 10),
        Column(_("Amount in euros"), AMOUNT),
    ]


def _item_row(item: OdaItem) -> list:
    return [
        item.pk,
        item.date,
        item.rate_date,
        item.project_title,
        item.description,
        item.receiver,
        item.transaction_type,
        item.category_label,
        item.country_code,
        item.country_name,
        item.sector_code,
        item.channel_code,
        item.flow_type,
        item.finance_type,
        item.aid_type,
        item.amount,
        item.currency,
        item.amount_eur,
    ]


def _total_columns(first: str) -> list[Column]:
    return [
        Column(_("Code"), TEXT, 10),
        Column(first, TEXT, 50),
        Column(_("Transactions"), INTEGER),
        Column(_("Amount in euros"), AMOUNT),
    ]


def _total_rows(totals: list[Total]) -> list[list]:
    return [[total.key, total.label, total.count, total.amount] for total in totals]


def _grand_total(declaration: OdaDeclaration, width: int) -> list:
    row: list = [None] * width
    row[1] = _("Total")
    row[-2] = len(declaration.counted)
    row[-1] = declaration.total
    return row


# --- XLSX --------------------------------------------------------------------------------------


def write_xlsx(declaration: OdaDeclaration, stream: IO[bytes]) -> None:
    writers.write_workbook(stream, title=_workbook_title(declaration), tables=_tables(declaration))


def _tables(declaration: OdaDeclaration) -> list[Table]:
    tables = []
    columns = _total_columns(_("ODA category"))
    tables.append(
        Table(
            _("By category"),
            columns,
            _total_rows(declaration.by_category),
            total=_grand_total(declaration, len(columns)),
        )
    )

    columns = [
        Column(_("Country code"), TEXT, 10),
        Column(_("Country"), TEXT, 30),
        Column(_("Income group"), TEXT, 35),
        Column(_("Transactions"), INTEGER),
        Column(_("Amount in euros"), AMOUNT),
    ]
    rows = [[t.key, t.label, t.note, t.count, t.amount] for t in declaration.by_country]
    tables.append(
        Table(_("By country"), columns, rows, total=_grand_total(declaration, len(columns)))
    )

    columns = [
        Column(_("ODA category"), TEXT, 40),
        Column(_("Country code"), TEXT, 10),
        Column(_("Country"), TEXT, 20),
        Column(_("CRS purpose code"), TEXT, 40),
        Column(_("CRS channel"), TEXT, 30),
        Column(_("Flow type"), TEXT, 20),
        Column(_("Finance type"), TEXT, 20),
        Column(_("Aid type"), TEXT, 25),
        Column(_("Transactions"), INTEGER),
        Column(_("Amount in euros"), AMOUNT),
    ]
    rows = [
        [
            r.category_label,
            r.country_code,
            r.country_name,
            r.sector,
            r.channel,
            r.flow_type,
            r.finance_type,
            r.aid_type,
            r.count,
            r.amount,
        ]
        for r in declaration.crs_rows
    ]
    tables.append(
        Table(_("CRS lines"), columns, rows, total=_grand_total(declaration, len(columns)))
    )

    tables.append(
        Table(
            _("Transactions counted"),
            _item_columns(),
            [_item_row(item) for item in declaration.counted],
        )
    )

    columns = [*_item_columns(), Column(_("Reason"), TEXT, 60)]
    rows = [[*_item_row(e.item), e.reason] for e in declaration.excluded]
    tables.append(Table(_("Left out"), columns, rows))

    columns = [
        *_item_columns(),
        Column(_("Counted"), TEXT, 10),
        Column(_("What to fix"), TEXT, 70),
    ]
    rows = [
        [*_item_row(w.item), _("yes") if w.counted else _("no"), w.message]
        for w in declaration.warnings
    ]
    tables.append(Table(_("To fix"), columns, rows))
    return tables


def xlsx_bytes(declaration: OdaDeclaration) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(declaration, buffer)
    return buffer.getvalue()


# --- CSV ---------------------------------------------------------------------------------------


def _status_rows(declaration: OdaDeclaration) -> list[list]:
    """Every disbursement of the year once, with its status and what is said about it."""
    messages: dict[int, list[str]] = {}
    for warning in declaration.warnings:
        messages.setdefault(warning.item.pk, []).append(warning.message)
    rows: list[tuple] = []
    for item in declaration.counted:
        rows.append((item, _("counted"), " ".join(messages.get(item.pk, []))))
    counted = {item.pk for item in declaration.counted}
    excluded = {e.item.pk for e in declaration.excluded}
    for exclusion in declaration.excluded:
        notes = [exclusion.reason, *messages.get(exclusion.item.pk, [])]
        rows.append((exclusion.item, _("left out"), " ".join(notes)))
    seen: set[int] = set()
    for warning in declaration.warnings:
        pk = warning.item.pk
        if pk in counted or pk in excluded or pk in seen:
            continue
        seen.add(pk)
        rows.append((warning.item, _("to fix"), " ".join(messages[pk])))
    rows.sort(key=lambda row: (row[0].date, row[0].pk))
    return [[*_item_row(item), status, note] for item, status, note in rows]


def write_csv(declaration: OdaDeclaration, stream: IO[str]) -> None:
    """Write to a text stream opened with encoding writers.CSV_ENCODING and newline=""."""
    columns = [
        *_item_columns(),
        Column(_("Status"), TEXT),
        Column(_("Reason or what to fix"), TEXT),
    ]
    writers.write_csv(
        stream,
        headers=[column.header for column in columns],
        kinds=[column.kind for column in columns],
        rows=_status_rows(declaration),
        language=get_language() or "en",
    )


def csv_bytes(declaration: OdaDeclaration) -> bytes:
    buffer = io.StringIO(newline="")
    write_csv(declaration, buffer)
    return buffer.getvalue().encode(writers.CSV_ENCODING)


# --- The national view: every authority at once ---------------------------------------------


def national_file_name(national: NationalDeclaration, extension: str) -> str:
    return f"oda-national-{national.year}.{extension}"


def _national_columns() -> list[Column]:
    return [
        Column(_("Authority"), TEXT, 45),
        Column(_("Address on the site"), TEXT, 30),
        Column(_("ODA in euros"), AMOUNT),
        Column(_("Lines"), INTEGER),
    ]


def _national_rows(rows: list[NationalRow]) -> list[list]:
    return [[row.name, row.slug, row.total, row.lines] for row in rows]


def _national_total(national: NationalDeclaration) -> list:
    return [_("Total"), None, national.total, national.lines]


def write_national_csv(national: NationalDeclaration, stream: IO[str]) -> None:
    """One line per authority, largest first, then the total; to a text stream opened with
    encoding writers.CSV_ENCODING and newline=""."""
    columns = _national_columns()
    writers.write_csv(
        stream,
        headers=[column.header for column in columns],
        kinds=[column.kind for column in columns],
        rows=[*_national_rows(national.by_authority), _national_total(national)],
        language=get_language() or "en",
    )


def national_csv_bytes(national: NationalDeclaration) -> bytes:
    buffer = io.StringIO(newline="")
    write_national_csv(national, buffer)
    return buffer.getvalue().encode(writers.CSV_ENCODING)


def national_xlsx_bytes(national: NationalDeclaration) -> bytes:
    """Three sheets: by category, by country, by authority, each with the total."""
    title = _("ODA of every member authority, %(year)s flows") % {"year": national.year}
    grand = [None, _("Total"), national.lines, national.total]
    tables = [
        Table(
            _("By category"),
            _total_columns(_("ODA category")),
            _total_rows(national.by_category),
            total=grand,
        ),
        Table(
            _("By country"),
            [
                Column(_("Country code"), TEXT, 10),
                Column(_("Country"), TEXT, 30),
                Column(_("Transactions"), INTEGER),
                Column(_("Amount in euros"), AMOUNT),
            ],
            _total_rows(national.by_country),
            total=grand,
        ),
        Table(
            _("By authority"),
            _national_columns(),
            _national_rows(national.by_authority),
            total=_national_total(national),
        ),
    ]
    buffer = io.BytesIO()
    writers.write_workbook(buffer, title=title, tables=tables)
    return buffer.getvalue()
