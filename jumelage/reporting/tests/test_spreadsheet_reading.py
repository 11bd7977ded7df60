"""Reading an officer's file as it is: XLSX, ODS and CSV in the usual encodings, the header row
under title rows, merged cells unmerged, blank, total and subtotal rows skipped with their
reason, several sheets each on its own; hostile files refused with a message."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from jumelage.reporting.spreadsheets.reading import FileRefused, read_table, read_workbook
from jumelage.reporting.tests.officer_files import csv_bytes, ods, xlsx

TITLE = "Ville A — Relations internationales — suivi 2023"
PAYMENTS: list[list[Any]] = [
    [TITLE, None, None, None, None],
    ["Mis à jour le 15/01/2024", None, None, None, None],
    [None, None, None, None, None],
    ["N° de mandat", "Date du mandat", "Bénéficiaire", "Pays", "Montant TTC"],
    ["2023-0112", "12/05/2023", "Mairie de Thiès", "Sénégal", "3 870,40 €"],
    ["2023-0187", "03/07/2023", "Commune de Bafoussam", "Cameroun", 200],
    [None, None, None, None, None],
    ["Sous-total", None, None, None, 4070.4],
    ["2023-0190", "04/07/2023", "Cap-Haïtien", "Haïti", 1000],
    ["TOTAL GÉNÉRAL", None, None, None, 5070.4],
    ["Source : service des finances, janvier 2024", None, None, None, None],
]


def save(tmp_path: Path, content: bytes, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def refusal(tmp_path: Path, content: bytes, name: str = "file.xlsx") -> str:
    with pytest.raises(FileRefused) as caught:
        read_workbook(save(tmp_path, content, name))
    return caught.value.message


def files_of_the_payments_sheet() -> dict[str, bytes]:
    return {
        "suivi.xlsx": xlsx({"Paiements": PAYMENTS}, merges={"Paiements": ["A1:E1"]}),
        "suivi.ods": ods({"Paiements": PAYMENTS}, spans={"Paiements": ["A1:E1"]}),
        "suivi-latin1.csv": csv_bytes(PAYMENTS, encoding="cp1252"),
        "suivi-utf8.csv": csv_bytes(PAYMENTS, encoding="utf-8-sig", delimiter=","),
        "suivi-utf8-no-mark.csv": csv_bytes(PAYMENTS, encoding="utf-8", delimiter="\t"),
        "suivi-unicode.txt": csv_bytes(PAYMENTS, encoding="utf-16", delimiter="\t"),
    }


@pytest.mark.parametrize("name", list(files_of_the_payments_sheet()))
def test_the_header_row_is_found_under_the_title_rows_and_totals_are_skipped(tmp_path, name):
    table = read_table(save(tmp_path, files_of_the_payments_sheet()[name], name))

    assert table.header_row == 4
    assert table.headers == [
        "N° de mandat",
        "Date du mandat",
        "Bénéficiaire",
        "Pays",
        "Montant TTC",
    ]
    assert [number for number, _cells in table.rows] == [5, 6, 9]
    first = table.rows[0][1]
    assert first[:4] == ["2023-0112", "12/05/2023", "Mairie de Thiès", "Sénégal"]
    assert first[4] == "3 870,40 €"
    assert [(skipped.row, skipped.reason) for skipped in table.skipped] == [
        (7, "an empty row"),
        (8, "a subtotal row (“Sous-total”)"),
        (10, "a total row (“TOTAL GÉNÉRAL”)"),
        (11, "a note below the table (“Source : service des finances, janvier 2024”)"),
    ]


def test_a_merged_category_cell_fills_every_row_it_spans_in_xlsx_and_ods(tmp_path):
    rows = [
        ["Catégorie", "Nom", "Ville"],
        ["Établissements scolaires", "Collège Jean Macé", "Suresnes"],
        [None, "Collège Émile Zola", "Suresnes"],
        [None, "Lycée Louis Blériot", "Suresnes"],
        ["Santé", "Hôpital Foch", "Suresnes"],
    ]
    for name, content in (
        ("acteurs.xlsx", xlsx({"Acteurs": rows}, merges={"Acteurs": ["A2:A4"]})),
        ("acteurs.ods", ods({"Acteurs": rows}, spans={"Acteurs": ["A2:A4"]})),
    ):
        table = read_table(save(tmp_path, content, name))
        assert [cells[0] for _number, cells in table.rows] == [
            "Établissements scolaires",
            "Établissements scolaires",
            "Établissements scolaires",
            "Santé",
        ], name


def test_each_sheet_of_a_workbook_is_read_on_its_own_and_hidden_sheets_are_left_aside(tmp_path):
    content = xlsx(
        {
            "Partenaires": [["Ville partenaire", "Pays", "Depuis"], ["Kragujevac", "Serbie", 2011]],
            "Vide": [],
            "Paiements": PAYMENTS,
            "Listes": [["oui"], ["non"]],
        },
        hidden=["Listes"],
    )
    workbook = read_workbook(save(tmp_path, content, "suivi.xlsx"))

    assert workbook.file_format == "xlsx"
    assert [(t.sheet, t.header_row, len(t.rows)) for t in workbook.sheets] == [
        ("Partenaires", 1, 1),
        ("Paiements", 4, 3),
    ]
    assert workbook.left_aside == [("Vide", "an empty sheet"), ("Listes", "a hidden sheet")]


def test_dates_and_numbers_of_a_workbook_come_as_values(tmp_path):
    rows = [["Nom", "Depuis", "Montant"], ["Hackney", datetime.date(1984, 5, 12), 1234.5]]
    for name, content in (("a.xlsx", xlsx({"S": rows})), ("a.ods", ods({"S": rows}))):
        [(_number, cells)] = read_table(save(tmp_path, content, name)).rows
        assert cells[0] == "Hackney"
        assert cells[1] in (datetime.date(1984, 5, 12), datetime.datetime(1984, 5, 12))
        assert cells[2] == 1234.5


def test_a_formula_cell_is_read_as_the_value_its_program_saved(tmp_path):
    rows = [["Nom", "Montant", "Double"], ["Thiès", 100, None], ["Bafoussam", 50, None]]
    content = xlsx({"S": rows}, formulas={"S": {"C2": ("B2*2", 200), "C3": ("B3*2", None)}})
    table = read_table(save(tmp_path, content, "a.xlsx"))
    assert table.rows[0][1][2] == 200
    # Saved without its value (openpyxl, some exporters): noted for the import to refuse.
    assert table.formulas == {(3, 2)}

    content = ods({"S": rows}, formulas={"S": {"C2": ("of:=[.B2]*2", 200)}})
    table = read_table(save(tmp_path, content, "a.ods"))
    assert table.rows[0][1][2] == 200
    assert table.formulas == set()


def test_a_row_of_sums_of_the_rows_above_is_a_total_even_without_a_label(tmp_path):
    rows = [
        ["Bénéficiaire", "Montant", "Montant versé"],
        ["Thiès", 100, 100],
        ["Bafoussam", 50, 40],
        [None, 150, 140],
    ]
    sums = {"B4": ("SUM(B2:B3)", 150), "C4": ("SUM(C2:C3)", 140)}
    for name, content in (
        ("a.xlsx", xlsx({"S": rows}, formulas={"S": sums})),
        ("a.ods", ods({"S": rows}, formulas={"S": {"B4": ("of:=SUM([.B2:.B3])", 150)}})),
        ("a.csv", csv_bytes(rows)),
    ):
        table = read_table(save(tmp_path, content, name))
        assert [number for number, _cells in table.rows] == [2, 3], name
        assert [skipped.row for skipped in table.skipped] == [4], name


def test_a_sum_across_a_row_is_data_not_a_total(tmp_path):
    rows = [["Projet", "2023", "2024", "Total"], ["Forages", 100, 200, 300]]
    content = xlsx({"S": rows}, formulas={"S": {"D2": ("SUM(B2:C2)", 300)}})
    table = read_table(save(tmp_path, content, "a.xlsx"))
    assert table.rows == [(2, ["Forages", 100, 200, 300])]


def test_a_header_repeated_for_printing_is_skipped(tmp_path):
    rows = [["Nom", "Ville"], ["Club", "Suresnes"], ["Nom", "Ville"], ["Lycée", "Suresnes"]]
    table = read_table(save(tmp_path, csv_bytes(rows), "a.csv"))
    assert [number for number, _cells in table.rows] == [2, 4]
    assert table.skipped[0].reason == "it repeats the header row"


def test_the_long_empty_tail_libreoffice_writes_is_not_read_as_rows(tmp_path):
    content = ods({"S": [["Nom", "Ville"], ["Club", "Suresnes"]]}, empty_rows_after=1_048_000)
    table = read_table(save(tmp_path, content, "a.ods"))
    assert table.rows == [(2, ["Club", "Suresnes"])]


# --- Hostile files --------------------------------------------------------------------------------


def test_an_html_page_named_xlsx_is_refused(tmp_path):
    page = b"<!DOCTYPE html><html><body><table><tr><td>Nom</td></tr></table></body></html>"
    for content in (page, b"\xef\xbb\xbf  <html><table></table></html>", b"<?xml version='1.0'?>"):
        message = refusal(tmp_path, content, "export.xlsx")
        assert message.startswith("This file is a web page or an XML file, not a spreadsheet")


def test_a_50_mb_csv_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "grand-livre.csv"
    with path.open("wb") as stream:
        stream.write(b"Nom;Ville\r\n")
        stream.truncate(50 * 1024 * 1024)
    with pytest.raises(FileRefused) as caught:
        read_workbook(path)
    assert caught.value.message.startswith("The file weighs 50 MB, more than the 10 MB allowed")


def test_an_ods_zip_bomb_is_refused_before_it_is_parsed(tmp_path, settings):
    settings.SPREADSHEET_IMPORT_MAX_BYTES = 100_000
    content = io.BytesIO(ods({"S": [["Nom"], ["Club"]]}))
    with zipfile.ZipFile(content, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Pictures/padding.png", bytes(5_000_000))
    assert "Unpacked, this workbook would be larger than" in refusal(
        tmp_path, content.getvalue(), "a.ods"
    )


def test_a_workbook_with_a_cell_far_away_is_refused_without_stopping_the_server(tmp_path):
    # Read as one dense block, A1 and XFD1048576 would ask for half a terabyte of memory: the
    # reader's child process stops on its memory limit, and this process goes on.
    content = _with_cell(xlsx({"S": [["Nom"], ["Club"]]}), "XFD1048576")
    assert refusal(tmp_path, content).startswith("This workbook could not be read: it is damaged")
    content = _with_cell(xlsx({"S": [["Nom"], ["Club"]]}), "A20000")
    assert refusal(tmp_path, content).startswith("The file has more than 10,000 rows of data")


def _with_cell(content: bytes, reference: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                row = int("".join(char for char in reference if char.isdigit()))
                cell = f'<row r="{row}"><c r="{reference}" t="n"><v>1</v></c></row>'.encode()
                data = data.replace(b"</sheetData>", cell + b"</sheetData>")
            target.writestr(item, data)
    return out.getvalue()


def test_a_text_document_or_a_broken_workbook_is_refused(tmp_path):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as odt:
        odt.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        odt.writestr("content.xml", "<office/>")
    assert "OpenDocument text" in refusal(tmp_path, archive.getvalue(), "a.ods")
    content = ods({"S": [["Nom"], ["Club"]]})
    message = refusal(tmp_path, content[: len(content) // 2], "a.ods")
    assert message.startswith(("This file is not a spreadsheet", "This workbook could not be read"))
