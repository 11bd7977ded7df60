"""The shared directory of authorities: one row per authority."""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jumelage.audit.services import snapshot
from jumelage.partners.models import Authority
from jumelage.partners.services import authority_save
from jumelage.register.selectors import may_add_entries, may_change_directly
from jumelage.reporting.spreadsheets.cells import norm
from jumelage.reporting.spreadsheets.exports import field_header
from jumelage.reporting.spreadsheets.imports.base import (
    Context,
    Field,
    ImportKind,
    Planned,
    RowProblems,
    authority_candidates,
)


class AuthorityImport(ImportKind):
    name = "authorities"
    title = gettext_lazy("Authorities (shared directory)")
    description = gettext_lazy(
        "French and foreign local authorities of the directory that every member shares."
    )
    what = gettext_lazy("authority")
    needs_member = False
    existing_rows = gettext_lazy(
        "An authority already in the directory (same SIREN, or without a SIREN the same name "
        "and country) is updated: filled cells replace what is stored, empty cells leave it "
        "unchanged. A row identical to what is stored is skipped."
    )
    fields = (
        Field(
            "name",
            field_header(Authority, "name"),
            "text",
            gettext_lazy("The authority's usual name."),
            "Kragujevac",
            required=True,
            args=(200,),
        ),
        Field(
            "country",
            field_header(Authority, "country"),
            "country",
            gettext_lazy("The country's name, or its two-letter ISO code (RS for Serbia)."),
            "RS",
            required=True,
        ),
        Field(
            "kind",
            field_header(Authority, "kind"),
            "choice",
            gettext_lazy("One of the list; a municipality if empty."),
            choices=Authority.Kind,
        ),
        Field(
            "local_name",
            field_header(Authority, "local_name"),
            "text",
            gettext_lazy("The name in its own language and script."),
            "Крагујевац",
            args=(200,),
        ),
        Field(
            "region_name",
            field_header(Authority, "region_name"),
            "text",
            gettext_lazy("Its region, state or province."),
            "Šumadija",
            args=(200,),
        ),
        Field(
            "population",
            field_header(Authority, "population"),
            "integer",
            gettext_lazy("A whole number."),
            "146315",
            args=(0, None),
        ),
        Field(
            "latitude",
            field_header(Authority, "latitude"),
            "decimal",
            gettext_lazy("In decimal degrees, between -90 and 90."),
            "44.0128",
            args=(Decimal(-90), Decimal(90)),
        ),
        Field(
            "longitude",
            field_header(Authority, "longitude"),
            "decimal",
            gettext_lazy("In decimal degrees, between -180 and 180."),
            "20.9114",
            args=(Decimal(-180), Decimal(180)),
        ),
        Field(
            "siren",
            field_header(Authority, "siren"),
            "siren",
            gettext_lazy("For a French authority: its nine-digit SIREN number."),
        ),
        Field(
            "insee_code",
            field_header(Authority, "insee_code"),
            "text",
            gettext_lazy("For a French commune: its five-character INSEE code."),
            args=(5,),
        ),
        Field(
            "iati_org_id",
            field_header(Authority, "iati_org_id"),
            "text",
            gettext_lazy("e.g. FR-RCS-217600691."),
            args=(100,),
        ),
        Field(
            "wikidata_id",
            field_header(Authority, "wikidata_id"),
            "text",
            gettext_lazy("e.g. Q189153."),
            args=(20,),
        ),
        Field(
            "website",
            field_header(Authority, "website"),
            "website",
            gettext_lazy("Its web address."),
            "https://www.kragujevac.rs",
        ),
    )
    plain = (
        "kind",
        "local_name",
        "region_name",
        "population",
        "latitude",
        "longitude",
        "siren",
        "insee_code",
        "iati_org_id",
        "wikidata_id",
        "website",
    )

    def may_write(self, ctx: Context) -> str | None:
        if may_add_entries(ctx.user):
            return None
        return _(
            "You may not change the shared directory of authorities. Ask an officer of your "
            "authority for an officer's role."
        )

    def prepare(self, ctx: Context, rows: list[tuple[int, dict[str, Any]]]) -> None:
        sirens = [values["siren"] for _row, values in rows if values.get("siren")]
        self.by_siren = {a.siren: a for a in Authority.objects.filter(siren__in=sirens)}
        self.by_name = authority_candidates(
            (values["name"], values.get("country")) for _row, values in rows if values.get("name")
        )

    def key(self, values: dict[str, Any]) -> Hashable | None:
        if values.get("siren"):
            return ("siren", values["siren"])
        return ("name", norm(values.get("name", "")), values.get("country"))

    def plan(self, row: int, values: dict[str, Any], ctx: Context) -> Planned:
        existing = self.by_siren.get(values.get("siren", ""))
        if existing is None:
            named = [
                a
                for a in self.by_name.get((norm(values["name"]), values["country"]), [])
                if not (values.get("siren") and a.siren)
            ]
            if len(named) > 1:
                raise RowProblems(
                    [
                        self.problem(
                            row,
                            "name",
                            _(
                                "several authorities of the directory have this name in this "
                                "country; give the SIREN to say which one."
                            ),
                        )
                    ]
                )
            existing = named[0] if named else None
        if existing is None:
            instance = Authority(name=values["name"], country_id=values["country"])
            stored = None
        else:
            instance = Authority.objects.get(pk=existing.pk)
            stored = snapshot(instance)
            instance.name = values["name"]
            instance.country_id = values["country"]
        self.set_values(instance, values, self.plain)
        if (
            stored is not None
            and snapshot(instance) != stored
            and not may_change_directly(ctx.user, instance)
        ):
            # The entry serves other authorities too: a correction goes to the curators.
            raise RowProblems(
                [
                    self.problem(
                        row,
                        "name",
                        _(
                            "“%(name)s” is used by other authorities too: only the register's "
                            "curators change it. Propose the correction from its page in the "
                            "back office, or leave this row as the directory has it."
                        )
                        % {"name": instance.name},
                    )
                ]
            )
        return self.outcome(row, instance, stored)

    def write(self, planned: Planned, ctx: Context) -> None:
        authority_save(
            authority=planned.instance,
            user=ctx.user,
            expected_version=planned.instance.version,  # as read when the row was planned
        )
