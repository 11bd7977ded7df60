"""The downloadable templates of the imports: an XLSX with the columns on the first sheet, lists
to choose from where a column takes one of a few values, and a sheet of instructions; or a CSV
with the header line only. Headers are in the language asked for (French by default). Both are
written by the one writer (writers.py)."""

from __future__ import annotations

import io
from typing import IO

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from jumelage.core.models import Country
from jumelage.reporting.spreadsheets.cells import choice_labels
from jumelage.reporting.spreadsheets.imports import ImportKind
from jumelage.reporting.spreadsheets.reading import max_bytes, max_rows, megabytes
from jumelage.reporting.spreadsheets.writers import (
    CSV_ENCODING,
    TEXT,
    Column,
    Table,
    add_table,
    columns_of,
    new_workbook,
    sheet_title,
    text_cell,
    write_csv,
)


def _general_notes(kind: ImportKind) -> list[str]:
    return [
        _("Fill in the first sheet, one row per %(what)s, below the row of column names.")
        % {"what": kind.what},
        _(
            "Keep the column names as they are; you may delete the columns you do not use, "
            "except the required ones, and change their order."
        ),
        _(
            "A cell holding a formula is read as the value your spreadsheet program saved "
            "with it (formulas are never computed on import); a text that a spreadsheet would "
            "run as a formula is refused (it starts with “=”, or with “+”, “-” or “@” and "
            "calls a function). Negative amounts and telephone numbers such as "
            "+33 1 23 45 67 89 are fine."
        ),
        _("Write dates as dates, or as day/month/year (31/12/2025); amounts as numbers."),
        _("For yes/no columns, write “%(yes)s” or “%(no)s”.") % {"yes": _("yes"), "no": _("no")},
        str(kind.existing_rows),
        _(
            "Send the file first for a check: every problem is listed with its row and column, "
            "and nothing is imported until the whole file is clean."
        ),
        _("At most %(rows)s rows and %(size)s MB per file: .xlsx, .xls, .ods or CSV.")
        % {
            "rows": number_format(max_rows(), force_grouping=True),
            "size": megabytes(max_bytes()),
        },
    ]


def _lists(kind: ImportKind) -> dict[str, list[str]]:
    """The values to choose from, by column key: choices, yes/no, countries."""
    found: dict[str, list[str]] = {}
    for spec in kind.fields:
        if spec.choices is not None:
            found[spec.key] = choice_labels(spec.choices)
        elif spec.parser == "boolean":
            found[spec.key] = [str(_("yes")), str(_("no"))]
        elif spec.parser == "country":
            language = (translation.get_language() or "fr").split("-")[0]
            name = "name_en" if language == "en" else "name_fr"
            found[spec.key] = sorted(Country.objects.values_list(name, flat=True))
    return found


def write_template_xlsx(kind: ImportKind, stream: IO[bytes], *, language: str) -> None:
    with translation.override(language):
        columns = [
            Column(spec.header, TEXT, max(14, min(40, len(str(spec.header)) + 4)))
            for spec in kind.fields
        ]
        data = Table(sheet_title(str(kind.title)), columns, rows=[])
        tables = [data]

        # Lists to choose from, on a hidden sheet: a list written into the validation itself
        # is limited to 255 characters, and labels may hold commas.
        lists = _lists(kind)
        if lists:
            source_title = sheet_title(_("Lists"))
            tables.append(
                Table(
                    source_title,
                    [Column(key) for key in lists],
                    columns_of(list(lists.values())),
                    hidden=True,
                )
            )
            last_row = max_rows() + 1
            for list_index, (key, values) in enumerate(lists.items(), start=1):
                letter = get_column_letter(list_index)
                column = next(i for i, f in enumerate(kind.fields, start=1) if f.key == key)
                spec = kind.fields[column - 1]
                reference = (
                    f"{quote_sheetname(source_title)}!${letter}$2:${letter}${len(values) + 1}"
                )
                validation = DataValidation(type="list", formula1=reference, allow_blank=True)
                if spec.parser == "country":
                    # ISO codes are welcome too: suggest the names, do not forbid the rest.
                    validation.showErrorMessage = False
                else:
                    validation.showErrorMessage = True
                    validation.errorTitle = str(spec.header)
                    validation.error = _("Choose a value of the list.")
                target = get_column_letter(column)
                validation.add(f"{target}2:{target}{last_row}")
                data.validations.append(validation)

        workbook = new_workbook(kind.title)
        for table in tables:
            add_table(workbook, table)
        _add_instructions(workbook, kind)
        workbook.save(stream)


def _add_instructions(workbook: Workbook, kind: ImportKind) -> None:
    notes = workbook.create_sheet(sheet_title(_("Instructions")))
    for letter, width in (("A", 34), ("B", 12), ("C", 80), ("D", 28)):
        notes.column_dimensions[letter].width = width
    notes.append([text_cell(notes, kind.title, bold=True, size=14)])
    notes.append([])
    for note in _general_notes(kind):
        notes.append([text_cell(notes, f"• {note}")])
    notes.append([])
    notes.append(
        [
            text_cell(notes, header, bold=True)
            for header in (_("Column"), _("Required"), _("What to write"), _("Example"))
        ]
    )
    for spec in kind.fields:
        help_text = str(spec.help)
        if spec.choices is not None:
            help_text = f"{help_text} {_('Choices:')} {choice_labels(spec.choices, joined=True)}."
        texts = (
            str(spec.header),
            _("yes") if spec.required else "",
            help_text.strip(),
            spec.example,
        )
        notes.append([text_cell(notes, value, wrap=True) for value in texts])


def write_template_csv(kind: ImportKind, stream: IO[bytes], *, language: str) -> None:
    with translation.override(language):
        text = io.TextIOWrapper(stream, encoding=CSV_ENCODING, newline="")
        write_csv(
            text,
            headers=[spec.header for spec in kind.fields],
            kinds=[TEXT for _spec in kind.fields],
            rows=[],
            language=language,
        )
        text.flush()
        text.detach()


def template_file_name(kind: ImportKind, file_format: str) -> str:
    from django.utils.text import slugify

    return f"{slugify(_('template'))}-{slugify(str(kind.title))}.{file_format}"
