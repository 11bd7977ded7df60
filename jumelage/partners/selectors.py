"""Reads of the partners app: a member authority's partnerships, twin towns and cooperations,
and what of them is published.

What is public is decided here and nowhere else (docs/architecture.md, "What is published"):
the public site, the embeds, the feeds, the API and the IATI file read through these functions.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Count, F, FilteredRelation, Model, Q, QuerySet

from jumelage.partners.models import Authority, Label, MemberAuthority, Partnership

RecordT = TypeVar("RecordT", bound=Model)


# --- What is published ---------------------------------------------------------------------


def published_members() -> QuerySet[MemberAuthority]:
    """Member authorities whose records the public may see: the active ones. A member that
    left the platform (inactive) publishes nothing, whatever its records say."""
    return MemberAuthority.objects.filter(is_active=True)


def published_member(slug: str) -> MemberAuthority | None:
    """The active member authority at this address, with its directory entry: one query."""
    return published_members().filter(slug=slug).select_related("authority__country").first()


def of_published_member(
    records: QuerySet[RecordT], member: MemberAuthority | None, *, path: str = "authority"
) -> QuerySet[RecordT]:
    """`records` of `member` (through `path`, the record's way to its member authority), or
    of every active member when `member` is None; nothing of an inactive member."""
    if member is None:
        return records.filter(**{f"{path}__is_active": True})
    if not member.is_active:
        return records.none()
    return records.filter(**{f"{path}_id": member.pk})


def partnership_is_published(path: str = "") -> Q:
    """The rule: a partnership is public once marked published. `path` reaches the partnership
    from another model ("partnership__"), so that a join applies this same rule."""
    return Q(**{f"{path}is_public": True})


def published_partnerships(member: MemberAuthority | None = None) -> QuerySet[Partnership]:
    """Published partnerships of `member` (of every active member when None), ended ones too."""
    return of_published_member(Partnership.objects.filter(partnership_is_published()), member)


def partnerships_present(member: MemberAuthority) -> tuple[bool, bool]:
    """Whether the member has partnerships, and whether its public page shows one of them
    (`published_partnerships(member)` not empty), in one query."""
    found = Partnership.objects.of_authority(member.pk).aggregate(
        total=Count("pk"), published=Count("pk", filter=partnership_is_published())
    )
    # As of_published_member: an inactive member's page shows nothing.
    return found["total"] > 0, member.is_active and found["published"] > 0


def public_partnership(field: str = "partnership") -> FilteredRelation:
    """A record's partnership (and so its partner town) as the public may see it: only when
    that partnership is published and belongs to the record's own member authority.

    Use it as `.annotate(public_partnership=public_partnership()).select_related(
    "public_partnership__partner")`: one query, no partner of an unpublished partnership
    loaded. Django sets no attribute when the partnership is not public, so read it in a
    template or with `getattr(record, "public_partnership", None)`.
    """
    condition = partnership_is_published(f"{field}__") & Q(
        **{f"{field}__authority_id": F("authority_id")}
    )
    return FilteredRelation(field, condition=condition)


def published_labels(member: MemberAuthority) -> QuerySet[Label]:
    """The member's published labels and memberships."""
    return of_published_member(Label.objects.published(), member)


# --- Partnership lists -------------------------------------------------------------------------


def partnership_list(
    *, member: MemberAuthority, user: Any = None, include_ended: bool = True
) -> QuerySet[Partnership]:
    """A member authority's partnerships, each with its partner and the partner's country.

    With a user: the partnerships that user may read. Without one (public pages): the
    published ones only. Partner and country come in the same query.
    """
    if user is None:
        partnerships = published_partnerships(member)
    else:
        partnerships = Partnership.objects.of_authority(member.pk).for_user(user)
    if not include_ended:
        partnerships = partnerships.exclude(status=Partnership.Status.ENDED)
    return partnerships.select_related("partner__country").order_by("partner__name", "kind")


def twin_towns(
    *, member: MemberAuthority, user: Any = None, include_ended: bool = False
) -> QuerySet[Partnership]:
    """The member authority's twinnings (current ones unless `include_ended`)."""
    return partnership_list(member=member, user=user, include_ended=include_ended).filter(
        kind=Partnership.Kind.TWINNING
    )


def cooperations(
    *, member: MemberAuthority, user: Any = None, include_ended: bool = False
) -> QuerySet[Partnership]:
    """The member authority's decentralised cooperations (current ones unless `include_ended`)."""
    return partnership_list(member=member, user=user, include_ended=include_ended).filter(
        kind=Partnership.Kind.COOPERATION
    )


# --- Gaps of the public page (the workspace's home) ------------------------------------------


def _unplaced(authority: Authority) -> bool:
    return authority.latitude is None or authority.longitude is None


def towns_missing_from_the_map(*, member: MemberAuthority, user: Any) -> list[Authority]:
    """The member itself and the partner towns of its published, current partnerships whose
    position is unknown: the public map cannot place them (one query)."""
    towns = [member.authority] if _unplaced(member.authority) else []
    partnerships = of_published_member(
        partnership_list(member=member, user=user, include_ended=False)
        .filter(partnership_is_published())
        .filter(Q(partner__latitude__isnull=True) | Q(partner__longitude__isnull=True)),
        member,
    )
    seen: set[int] = set()
    for partnership in partnerships:
        if partnership.partner_id not in seen:
            seen.add(partnership.partner_id)
            towns.append(partnership.partner)
    return towns


# The ways to reach the service that its public contact page shows, in the order it shows them.
CONTACT_EMAIL, CONTACT_PHONE, CONTACT_ADDRESS = "email", "phone", "address"


def service_contact_gaps(member: MemberAuthority) -> list[str]:
    """The ways to reach the service that its public contact page lacks (no query):
    `CONTACT_EMAIL`, `CONTACT_PHONE`, `CONTACT_ADDRESS` (a street and a town)."""
    gaps = []
    if not member.email.strip():
        gaps.append(CONTACT_EMAIL)
    if not member.phone.strip():
        gaps.append(CONTACT_PHONE)
    if not (member.street.strip() and member.city.strip()):
        gaps.append(CONTACT_ADDRESS)
    return gaps


def partner_languages(member: MemberAuthority) -> list[str]:
    """The languages of the member's partner towns (the language of each town's own name,
    e.g. Serbian for Крагујевац), in order of first partnership: the content languages an
    officer is offered besides French and English. One query."""
    codes = (
        Partnership.objects.filter(authority=member)
        .exclude(partner__local_name_language="")
        .order_by("pk")
        .values_list("partner__local_name_language", flat=True)
    )
    found: list[str] = []
    for code in codes:
        language = code.split("-")[0].lower()
        if language not in found:
            found.append(language)
    return found
