"""An officer's own workbook, sheet by sheet, for the workspace's import.

The job that reads an upload (`check_workbook`) proposes, for each sheet, its kind of record and
the field of each column (mapping.py; the mapping the authority used for a file of the same
shape first), checks every row with it, and keeps per sheet what the page shows: the columns
with a few sample values and their field, the rows skipped, each row's problems with the cell,
the towns to confirm, and how many rows are ready. The officer may change the mapping (the
check runs again with it: `given` sheets) and import a sheet's clean rows (`import_sheet`,
which remembers the mapping for the authority). The rows with problems are written back as a
spreadsheet with an error column (`write_rows_to_fix`), through the one writer.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _

from jumelage.partners.matching import town_key
from jumelage.reporting.spreadsheets.imports import IMPORTS, Outcome, check_table, import_table
from jumelage.reporting.spreadsheets.imports.base import MAX_KEPT_PROBLEMS
from jumelage.reporting.spreadsheets.mapping import (
    KIND_LABELS,
    ColumnProposal,
    SheetProposal,
    propose,
    remember_mapping,
    remembered_mapping,
)
from jumelage.reporting.spreadsheets.reading import Table
from jumelage.reporting.spreadsheets.writers import Column, write_workbook
from jumelage.reporting.spreadsheets.writers import Table as SheetToWrite

WORKBOOK = "workbook"  # SpreadsheetJob.list_name of a workspace import of a whole workbook
SAMPLES = 3  # sample values shown per column


def _shown(value: Any) -> str:
    """A cell as the page shows it (a sample value)."""
    if isinstance(value, datetime.datetime) and not value.time():
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:60]


def given_proposal(table: Table, sheet: dict[str, Any]) -> SheetProposal:
    """The mapping the officer chose on the page for this sheet."""
    fields = {int(c["index"]): c.get("field") or None for c in sheet.get("columns", [])}
    columns = [
        ColumnProposal(index, header, fields.get(index), 100, "given")
        for index, header in enumerate(table.headers)
    ]
    return SheetProposal(table.sheet, sheet.get("kind") or None, columns)


def proposal_for(table: Table, member: Any, given: dict[str, Any] | None) -> SheetProposal:
    if given is not None and given.get("given"):
        return given_proposal(table, given)
    remembered = remembered_mapping(member, table.headers)
    if remembered is not None:
        return propose(table, kind=remembered[0], remembered=remembered[1])
    return propose(table)


def check_sheet(
    table: Table,
    proposal: SheetProposal,
    *,
    user: Any,
    member: Any,
    choices: dict[str, int] | None = None,
) -> Outcome | None:
    if proposal.kind not in IMPORTS:
        return None
    return check_table(
        IMPORTS[proposal.kind],
        table,
        user=user,
        member=member,
        mapping=proposal.mapping,
        choices=choices,
    )


def summary(
    table: Table,
    proposal: SheetProposal,
    outcome: Outcome | None,
    *,
    choices: dict[str, int] | None = None,
    given: bool = False,
) -> dict[str, Any]:
    """What the page shows of one sheet (kept as JSON on the job)."""
    rows = [number for number, _cells in table.rows]
    samples: dict[int, list[str]] = {}
    for _number, cells in table.rows:
        for index, value in enumerate(cells):
            if value is not None and len(samples.setdefault(index, [])) < SAMPLES:
                samples[index].append(_shown(value))
    problems = outcome.problems if outcome is not None else []
    whole_sheet = outcome is None or any(p.row is None for p in problems)
    problem_rows = sorted(set(rows) if whole_sheet else {p.row for p in problems if p.row})
    counts = outcome.counts if outcome is not None else {}
    return {
        "name": table.sheet,
        "kind": proposal.kind or "",
        "kind_label": str(KIND_LABELS.get(proposal.kind or "", _("not recognised"))),
        "importable": proposal.kind in IMPORTS,
        "header_row": table.header_row,
        "remembered": proposal.remembered,
        "given": given,
        "columns": [
            {
                "index": column.index,
                "header": column.header,
                "field": column.field or "",
                "samples": samples.get(column.index, []),
            }
            for column in proposal.columns
            if column.header or samples.get(column.index)
        ],
        "skipped": [[s.row, str(s.reason)] for s in table.skipped],
        "problems": [
            {"row": p.row, "column": p.column, "message": str(p.message), "text": str(p)}
            for p in problems[:MAX_KEPT_PROBLEMS]
        ],
        "problem_count": len(problems),
        "whole_sheet": whole_sheet,
        "problem_rows": problem_rows,
        "notes": [str(note) for note in (outcome.notes if outcome is not None else [])],
        "towns": [
            {
                "row": q.row,
                "name": q.name,
                "key": town_key(q.name),
                "country": q.country or "",
                "chosen": q.chosen,
                "candidates": q.candidates,
            }
            for q in (outcome.towns if outcome is not None else [])
        ],
        "choices": dict(choices or {}),
        "rows": len(rows),
        "ready": len(rows) - len(problem_rows),
        "to_write": counts.get("create", 0) + counts.get("update", 0),
        "counts": counts,
    }


def check_workbook(
    sheets: list[Table],
    *,
    user: Any,
    member: Any,
    given: list[dict[str, Any]],
    progress: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Each sheet's proposal (or the officer's mapping) and its check. Writes nothing."""
    by_name = {sheet["name"]: sheet for sheet in given}
    found = []
    for done, table in enumerate(sheets, start=1):
        sheet = by_name.get(table.sheet)
        choices = (sheet or {}).get("choices") or {}
        proposal = proposal_for(table, member, sheet)
        outcome = check_sheet(table, proposal, user=user, member=member, choices=choices)
        found.append(
            summary(
                table,
                proposal,
                outcome,
                choices=choices,
                given=bool(sheet and sheet.get("given")),
            )
        )
        if progress is not None:
            progress(done, len(sheets))
    return found


def import_sheet(
    table: Table,
    sheet: dict[str, Any],
    *,
    user: Any,
    member: Any,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Write the sheet's clean rows with the mapping shown to the officer (one transaction),
    and remember the mapping for the authority's next file of this shape."""
    proposal = given_proposal(table, sheet)
    if proposal.kind not in IMPORTS:
        raise ValueError(f"no import for {proposal.kind!r}")
    outcome = import_table(
        IMPORTS[proposal.kind],
        table,
        user=user,
        member=member,
        progress=progress,
        mapping=proposal.mapping,
        choices=sheet.get("choices") or {},
        clean_rows_only=True,
    )
    if outcome.written:
        remember_mapping(member=member, user=user, proposal=proposal, headers=table.headers)
    return outcome


def write_rows_to_fix(target: IO[bytes], table: Table, sheet: dict[str, Any]) -> int:
    """The sheet's rows with problems, as read, with a first column saying what to fix: a
    spreadsheet to correct and send back. Returns the number of rows written."""
    messages: dict[int, list[str]] = {}
    for problem in sheet.get("problems", []):
        row = problem.get("row")
        if row is None:
            continue
        where = problem.get("column")
        text = f"{where} : {problem['message']}" if where else problem["message"]
        messages.setdefault(row, []).append(text)
    wanted = set(sheet.get("problem_rows", []))
    general = [p["message"] for p in sheet.get("problems", []) if p.get("row") is None]

    def kind_of(value: Any) -> str:
        if isinstance(value, datetime.date):
            return "date"
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return "decimal"
        return "text"

    rows = []
    for number, cells in table.rows:
        if number not in wanted:
            continue
        problems = " ; ".join(messages.get(number, []) or general)
        values = [cells[i] if i < len(cells) else None for i in range(len(table.headers))]
        rows.append([problems, *values])
    columns = [Column(_("Problems to fix"), "text", 60)]
    for index, header in enumerate(table.headers):
        kinds = {kind_of(r[index + 1]) for r in rows if r[index + 1] is not None}
        columns.append(Column(header or "", kinds.pop() if len(kinds) == 1 else "text"))
    # Values of mixed kinds in one column are written as text, as read.
    cleaned = [
        [
            value
            if columns[i].kind != "text" or value is None or isinstance(value, str)
            else _shown(value)
            for i, value in enumerate(row)
        ]
        for row in rows
    ]
    return write_workbook(
        target,
        title=table.sheet or _("Rows to fix"),
        tables=[SheetToWrite(title=table.sheet or _("Rows to fix"), columns=columns, rows=cleaned)],
    )
