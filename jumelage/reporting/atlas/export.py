"""The Atlas sheets of a member authority as one XLSX table, a row per partnership, headers in
the active language (the command activates the site's: French on a French instance)."""

from __future__ import annotations

import io
from typing import IO

from django.utils.translation import gettext as _

from jumelage.partners.models import MemberAuthority
from jumelage.reporting.atlas.selectors import AtlasSheet
from jumelage.reporting.spreadsheets import writers
from jumelage.reporting.spreadsheets.writers import DATE, INTEGER, TEXT, Column, Table

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(member: MemberAuthority) -> str:
    return f"{member.slug}-atlas.xlsx"


def _columns() -> list[Column]:
    return [
        Column(_("Title"), TEXT, 40),
        Column(_("Partner authority"), TEXT, 25),
        Column(_("Partner's country"), TEXT, 15),
        Column(_("Kind"), TEXT, 20),
        Column(_("Summary"), TEXT, 60),
        Column(_("Year of first signature"), INTEGER, 12),
        Column(_("Theme"), TEXT, 35),
        Column(_("Sub-theme"), TEXT, 35),
        Column(_("Detailed theme"), TEXT, 35),
        Column(_("Secondary themes, ranked"), TEXT, 60),
        Column(_("Start year"), INTEGER, 10),
        Column(_("Status"), TEXT, 12),
        Column(_("End date"), DATE),
        Column(_("Context"), TEXT, 60),
        Column(_("Published"), TEXT, 10),
    ]


def _row(sheet: AtlasSheet) -> list:
    secondary = "\n".join(f"{theme.rank}. {theme.full_name}" for theme in sheet.secondary_themes)
    return [
        sheet.title,
        sheet.partner,
        sheet.country,
        sheet.kind,
        sheet.summary,
        sheet.first_signature_year,
        *sheet.theme_levels,
        secondary,
        sheet.start_year,
        sheet.status,
        sheet.ended_on,
        sheet.context,
        _("yes") if sheet.is_public else _("no"),
    ]


def write_xlsx(member: MemberAuthority, sheets: list[AtlasSheet], stream: IO[bytes]) -> None:
    writers.write_workbook(
        stream,
        title=_("Atlas sheets of %(authority)s") % {"authority": member},
        tables=[Table(_("Atlas"), _columns(), [_row(sheet) for sheet in sheets])],
    )


def xlsx_bytes(member: MemberAuthority, sheets: list[AtlasSheet]) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(member, sheets, buffer)
    return buffer.getvalue()
