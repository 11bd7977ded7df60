"""A member authority's partnerships: one row per partnership."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jumelage.audit.services import snapshot
from jumelage.partners.matching import Towns, town_key
from jumelage.partners.models import Authority, Partnership
from jumelage.partners.services import partnership_save
from jumelage.reporting.spreadsheets.cells import norm
from jumelage.reporting.spreadsheets.exports import field_header
from jumelage.reporting.spreadsheets.imports.base import (
    Context,
    Field,
    ImportKind,
    Planned,
    RowProblems,
    TownQuestion,
    authority_candidates,
)
from jumelage.tenancy.services import user_can_write

# --- Partnerships --------------------------------------------------------------------------------


class PartnershipImport(ImportKind):
    name = "partnerships"
    title = gettext_lazy("Partnerships")
    description = gettext_lazy(
        "Your authority's twinnings, cooperations and pacts, with partners of the directory."
    )
    what = gettext_lazy("partnership")
    existing_rows = gettext_lazy(
        "A partnership your authority already has (same partner, same kind) is updated: filled "
        "cells replace what is stored, empty cells leave it unchanged. A row identical to what "
        "is stored is skipped. The partner must already be in the directory: import the "
        "authorities template first if needed."
    )
    fields = (
        Field(
            "partner",
            field_header(Partnership, "partner"),
            "text",
            gettext_lazy("The partner's name, as in the directory of authorities."),
            "Kragujevac",
            required=True,
            args=(200,),
        ),
        Field(
            "partner_country",
            gettext_lazy("Partner's country"),
            "country",
            gettext_lazy("Its country (name or ISO code), to tell apart towns of the same name."),
            "RS",
        ),
        Field(
            "partner_siren",
            gettext_lazy("Partner's SIREN"),
            "siren",
            gettext_lazy("For a French partner, its SIREN instead of the name and country."),
        ),
        Field(
            "kind",
            field_header(Partnership, "kind"),
            "choice",
            gettext_lazy("One of the list."),
            required=True,
            choices=Partnership.Kind,
        ),
        Field(
            "status",
            field_header(Partnership, "status"),
            "choice",
            gettext_lazy("One of the list; active if empty."),
            choices=Partnership.Status,
        ),
        Field(
            "title_fr",
            gettext_lazy("Title (French)"),
            "text",
            gettext_lazy("As on the Atlas sheet; the partner's name if empty."),
            model_field="title",
            args=(300,),
        ),
        Field(
            "started_year",
            field_header(Partnership, "started_year"),
            "year",
            gettext_lazy("A year, e.g. 1998."),
            "1998",
        ),
        Field(
            "started_on",
            field_header(Partnership, "started_on"),
            "date",
            gettext_lazy("A date, e.g. 15/06/1998."),
        ),
        Field(
            "ended_on",
            field_header(Partnership, "ended_on"),
            "date",
            gettext_lazy("A date, for an ended partnership."),
        ),
        Field(
            "main_theme",
            field_header(Partnership, "main_theme"),
            "theme",
            gettext_lazy("The code of an Atlas theme (listed in the back office)."),
        ),
        Field(
            "is_public",
            field_header(Partnership, "is_public"),
            "boolean",
            gettext_lazy("Yes to show it on your public pages; no if empty."),
        ),
    )
    plain = ("status", "started_year", "started_on", "ended_on", "main_theme", "is_public")

    def may_write(self, ctx: Context) -> str | None:
        if ctx.member is None:
            return _("Choose the member authority the partnerships are for.")
        if user_can_write(ctx.user, Partnership(authority=ctx.member)):
            return None
        return _(
            "You may not change the partnerships of %(authority)s. Ask its administrator for "
            "an officer's role."
        ) % {"authority": ctx.member}

    def prepare(self, ctx: Context, rows: list[tuple[int, dict[str, Any]]]) -> None:
        sirens = [v["partner_siren"] for _r, v in rows if v.get("partner_siren")]
        self.by_siren = {a.siren: a for a in Authority.objects.filter(siren__in=sirens)}
        self.by_name = authority_candidates(
            (v["partner"], v.get("partner_country")) for _r, v in rows if v.get("partner")
        )
        self.towns: Towns | None = None
        self.existing = {
            (p.partner_id, p.kind): p
            for p in Partnership.objects.of_authority(ctx.member.pk)  # type: ignore[union-attr]
        }

    def near_partner(self, row: int, values: dict[str, Any], ctx: Context) -> Authority:
        """A partner written otherwise than the directory has it ("Weissenburg" for Weißenburg
        in Bayern): the officer's choice if made, else the one near match that stands out,
        said in a note; otherwise the closest entries are suggested. Each case is kept as a
        question (ctx.towns) so that the workspace offers the choice, or adds the town."""
        if self.towns is None:
            self.towns = Towns()
        name, country = values["partner"], values.get("partner_country")
        match = self.towns.match(name, country)
        offered = [a for a in (match.authority, *match.suggestions) if a is not None]
        chosen_pk = ctx.choices.get(town_key(name))
        chosen = next((a for a in offered if a.pk == chosen_pk), None)
        if chosen is None and chosen_pk is not None:
            chosen = Authority.objects.filter(pk=chosen_pk).first()
            if chosen is not None:
                offered.insert(0, chosen)
        taken = chosen or match.authority
        ctx.towns.append(
            TownQuestion(
                row=row,
                name=str(name),
                country=country,
                chosen=taken.pk if taken is not None else None,
                candidates=[(a.pk, f"{a.name} ({a.country_id})") for a in offered[:4]],
            )
        )
        if taken is not None:
            if chosen is None:
                ctx.notes.append(
                    self.problem(
                        row,
                        "partner",
                        _("“%(name)s” read as “%(entry)s” (%(country)s), from the directory.")
                        % {"name": name, "entry": taken.name, "country": taken.country_id},
                    )
                )
            return cast(Authority, taken)
        if match.suggestions:
            message = _(
                "no authority called “%(name)s” is in the directory; did you mean %(names)s? "
                "Write the name as the directory has it, or add the partner to the directory "
                "first."
            ) % {
                "name": name,
                "names": ", ".join(f"“{a.name}” ({a.country_id})" for a in match.suggestions[:3]),
            }
        else:
            message = _(
                "no authority called “%(name)s” is in the directory; add it first "
                "(authorities template, or the back office), or check the spelling "
                "and the partner's country."
            ) % {"name": name}
        raise RowProblems([self.problem(row, "partner", message)])

    def partner(self, row: int, values: dict[str, Any], ctx: Context) -> Authority:
        if values.get("partner_siren"):
            found = self.by_siren.get(values["partner_siren"])
            if found is None:
                raise RowProblems(
                    [
                        self.problem(
                            row,
                            "partner_siren",
                            _(
                                "no authority of the directory has this SIREN; add the partner "
                                "to the directory first (authorities template), or check the "
                                "number."
                            ),
                        )
                    ]
                )
            return found
        name = norm(values["partner"])
        if values.get("partner_country"):
            named = self.by_name.get((name, values["partner_country"]), [])
        else:
            named = [a for (n, _c), found in self.by_name.items() if n == name for a in found]
        if not named:
            return self.near_partner(row, values, ctx)
        if len(named) > 1:
            raise RowProblems(
                [
                    self.problem(
                        row,
                        "partner_country" if not values.get("partner_country") else "partner",
                        _(
                            "several authorities of the directory are called “%(name)s”; give "
                            "the partner's country, or its SIREN, to say which one."
                        )
                        % {"name": values["partner"]},
                    )
                ]
            )
        return named[0]

    def key(self, values: dict[str, Any]) -> Hashable | None:
        return None  # known once the partner is found: see plan()

    def plan(self, row: int, values: dict[str, Any], ctx: Context) -> Planned:
        partner = self.partner(row, values, ctx)
        existing = self.existing.get((partner.pk, values["kind"]))
        if existing is None:
            instance = Partnership(authority=ctx.member, partner=partner, kind=values["kind"])
            stored = None
        else:
            instance = Partnership.objects.get(pk=existing.pk)
            stored = snapshot(instance)
        self.set_values(instance, values, self.plain)
        self.set_text(instance, values, "title", "title_fr")
        planned = self.outcome(row, instance, stored)
        planned.key = (partner.pk, values["kind"])
        return planned

    def write(self, planned: Planned, ctx: Context) -> None:
        partnership_save(
            partnership=planned.instance,
            user=ctx.user,
            expected_version=planned.instance.version,  # as read when the row was planned
        )
