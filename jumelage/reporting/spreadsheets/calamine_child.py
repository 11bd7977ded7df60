"""Read a workbook (XLSX, XLS or ODS) with python-calamine in a child process, under limits.

Run by reading.py as a script (`python -I calamine_child.py PATH MAX_HEIGHT MAX_WIDTH`), never
imported by the app. Why a child: calamine builds each sheet as one dense block from its first
to its last cell, so a small file with a value in A1 and another in XFD1048576 asks for half a
terabyte, and Rust stops the whole process on a failed allocation (it cannot be caught). In a
child held to MEMORY_LIMIT and CPU_SECONDS, such a file only ends the child, and the parent
refuses it. The answer goes back pickled on stdout: {"sheets": [...]} or {"refused": reason}.
"""

from __future__ import annotations

import datetime
import pickle
import resource
import sys
from typing import Any

MEMORY_LIMIT = 1024 * 1024 * 1024
CPU_SECONDS = 60


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, datetime.timedelta):
        # A duration cell (a time of day typed without a date): seconds since midnight.
        return (datetime.datetime.min + value).time()
    return value


def read(path: str, max_height: int, max_width: int) -> dict[str, Any]:
    import python_calamine

    sheets: list[dict[str, Any]] = []
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(path)
    except python_calamine.PasswordError:
        return {"refused": "password"}
    except Exception as error:  # calamine's errors for a broken or foreign file
        return {"refused": "unreadable", "error": error.__class__.__name__}
    with workbook:
        for metadata in workbook.sheets_metadata:
            kind = str(metadata.typ).rsplit(".", 1)[-1]
            visible = str(metadata.visible).rsplit(".", 1)[-1]
            if kind != "WorkSheet":
                continue  # charts, macros, dialogs hold no table
            try:
                sheet = workbook.get_sheet_by_name(metadata.name)
            except python_calamine.PasswordError:
                return {"refused": "password"}
            except Exception as error:
                return {"refused": "unreadable", "error": error.__class__.__name__}
            end = sheet.end
            height = end[0] + 1 if end else 0
            if height > max_height:
                return {"refused": "rows", "sheet": metadata.name, "height": height}
            rows = [
                [_cell(value) for value in row[:max_width]]
                for row in (sheet.to_python(skip_empty_area=False) if end else [])
            ]
            sheets.append(
                {
                    "name": metadata.name,
                    "visible": visible == "Visible",
                    "rows": rows,
                    "merges": list(sheet.merged_cell_ranges or []),
                }
            )
    return {"sheets": sheets}


def main() -> None:
    _limit()
    path, max_height, max_width = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    answer = read(path, max_height, max_width)
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    main()
