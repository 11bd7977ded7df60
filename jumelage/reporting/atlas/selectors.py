"""The sheets of the national Atlas of decentralised cooperation (kept by the CNCD): one per
partnership of a member authority, with its year of first signature and its themes.

`atlas_sheets` runs two queries whatever the number of partnerships: the partnerships (with
partner, country, main theme and its parents, the first signature year and the sheet's gaps),
then their ranked secondary themes with their parents. `atlas_completeness` counts the sheets
and those with a gap in one query, without building them (the workspace's home).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from jumelage.agreements.models import Agreement
from jumelage.agreements.selectors import first_signature_year, with_first_signature_year
from jumelage.core.i18n import translate
from jumelage.core.models import AtlasTheme
from jumelage.partners.models import MemberAuthority, Partnership, PartnershipTheme

THEME_LEVELS = 3


def _gap_conditions() -> dict[str, Q]:
    """What a sheet lacks that the Atlas shows, as conditions on a partnership: "theme" (no
    main Atlas theme) and "year" (neither a signed act nor a start, day or year, recorded). The one
    definition: each sheet carries its gaps from them (`sheet_gaps`), and counts use them."""
    signed = Agreement.objects.filter(partnership_id=OuterRef("pk"), signed_on__isnull=False)
    return {
        "theme": Q(main_theme__isnull=True),
        "year": Q(~Exists(signed), started_on__isnull=True, started_year__isnull=True),
    }


def _theme_path(theme: AtlasTheme | None) -> list[str]:
    """The names of the theme and its ancestors, from the top (empty without a theme)."""
    return [node.name for node in theme.path()] if theme is not None else []


@dataclass
class SecondaryTheme:
    rank: int
    path: list[str]

    @property
    def full_name(self) -> str:
        return " › ".join(self.path)  # noqa: RUF001 - the Atlas's separator


@dataclass
class AtlasSheet:
    """What the Atlas shows of one partnership."""

    pk: int
    title: str
    partner: str
    country: str
    kind: str
    summary: str
    first_signature_year: int | None
    theme_path: list[str]
    start_year: int | None
    status: str
    ended_on: datetime.date | None
    context: str
    is_public: bool
    secondary_themes: list[SecondaryTheme] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # `sheet_gaps`

    @property
    def theme(self) -> str:
        return " › ".join(self.theme_path)  # noqa: RUF001

    def theme_level(self, level: int) -> str:
        """The name of the main theme's level 1, 2 or 3 ("" where it stops higher)."""
        return self.theme_path[level - 1] if len(self.theme_path) >= level else ""

    @property
    def theme_levels(self) -> list[str]:
        return [self.theme_level(level) for level in range(1, THEME_LEVELS + 1)]


def _sheet(partnership: Partnership) -> AtlasSheet:
    partner = partnership.partner
    return AtlasSheet(
        pk=partnership.pk,
        title=str(partnership),
        partner=partner.name,
        country=partner.country.name,
        kind=str(partnership.get_kind_display()),
        summary=translate(partnership.summary),
        first_signature_year=first_signature_year(partnership),
        theme_path=_theme_path(partnership.main_theme),
        start_year=partnership.start_year,
        status=str(partnership.get_status_display()),
        ended_on=partnership.ended_on,
        context=translate(partnership.context),
        is_public=partnership.is_public,
        secondary_themes=[
            SecondaryTheme(rank=link.rank, path=_theme_path(link.theme))
            for link in partnership.secondary_themes.all()
        ],
        gaps=[name for name in _gap_conditions() if getattr(partnership, f"atlas_gap_{name}")],
    )


def _sheet_partnerships(member: MemberAuthority) -> QuerySet[Partnership]:
    secondary = PartnershipTheme.objects.select_related("theme__parent__parent").order_by(
        "rank", "pk"
    )
    gaps = {
        f"atlas_gap_{name}": ExpressionWrapper(condition, output_field=BooleanField())
        for name, condition in _gap_conditions().items()
    }
    return (
        with_first_signature_year(Partnership.objects.of_authority(member.pk))
        .annotate(**gaps)
        .select_related("partner__country", "main_theme__parent__parent")
        .prefetch_related(Prefetch("secondary_themes", queryset=secondary))
    )


def atlas_sheets(member: MemberAuthority) -> list[AtlasSheet]:
    """The Atlas sheet of each of the member authority's partnerships, by partner's name."""
    partnerships = _sheet_partnerships(member).order_by("partner__name", "kind", "pk")
    return [_sheet(partnership) for partnership in partnerships]


def atlas_sheet(member: MemberAuthority, partnership_id: int) -> AtlasSheet | None:
    """The Atlas sheet of one of the member authority's partnerships (two queries), or None
    for a partnership of another authority."""
    partnership = _sheet_partnerships(member).filter(pk=partnership_id).first()
    return _sheet(partnership) if partnership is not None else None


def sheet_gaps(sheet: AtlasSheet) -> list[str]:
    """What a sheet lacks that the Atlas shows: "theme" (no main Atlas theme) and "year"
    (neither a first signature nor a start year recorded), as `_gap_conditions` found."""
    return list(sheet.gaps)


@dataclass(frozen=True)
class AtlasCompleteness:
    sheets: int
    incomplete: int  # sheets with at least one gap


def atlas_completeness(member: MemberAuthority) -> AtlasCompleteness:
    """How many Atlas sheets the member authority has, and how many lack something the
    Atlas shows (`sheet_gaps`). One query, no sheet built."""
    any_gap = Q()
    for condition in _gap_conditions().values():
        any_gap |= condition
    counts = Partnership.objects.of_authority(member.pk).aggregate(
        sheets=Count("pk"), incomplete=Count("pk", filter=any_gap)
    )
    return AtlasCompleteness(counts["sheets"], counts["incomplete"])
