"""Writes of the partners app: partnerships, member authority settings, opening hours, labels.

Every write goes through tenancy.services (save_owned / delete_owned) or, for the shared
register, register.services (save_shared), which checks
the user's role, runs the rules registered below, writes atomically and logs the change.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jumelage.core import values
from jumelage.core.iati import clean_org_id
from jumelage.partners.models import Authority, Label, MemberAuthority, OpeningHours, Partnership
from jumelage.register.services import save_shared
from jumelage.tenancy.services import (
    ConcurrentEditError,
    check_can_write,
    delete_owned,
    register_rule,
    save_owned,
)

# What a member authority's administrators may change on its record; the rest (its directory
# entry, its address on the site, whether it is active) belongs to the instance's operators.
SERVICE_CONTACT_FIELDS = (
    "service_name",
    "street",
    "postcode",
    "city",
    "phone",
    "email",
    "time_zone",
)
MEMBER_SETTINGS_FIELDS = (*SERVICE_CONTACT_FIELDS, "introduction", "goals")
# The identifiers of its own directory entry that the reports need and that its administrators
# know: the SIREN (a French authority's number, from which its default IATI id FR-RCS-<SIREN> is
# made) and the IATI organisation id, which heads its IATI file.
MEMBER_IDENTIFIER_FIELDS = ("siren", "iati_org_id")


# --- Rules (run on every write of the model, whoever writes) -------------------------------


def site_addresses() -> set[str]:
    """The first parts of the site's own addresses (admin, reporting, sitemap.xml...)."""
    from django.conf import settings
    from django.urls import URLResolver, get_resolver
    from django.utils import translation

    found = {code for code, _name in settings.LANGUAGES}

    def walk(patterns: Any, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern).lstrip("^")
            if isinstance(pattern, URLResolver) and route in {"", "en/", "fr/"}:
                walk(pattern.url_patterns, "")
            elif route and not route.startswith("<"):
                found.add(route.split("/")[0])

    # Addresses' words are translated (accessibility/, accessibilite/): reserve them all.
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            walk(get_resolver().url_patterns, "")
    return found


@register_rule(MemberAuthority)
def member_address_is_free(member: MemberAuthority) -> None:
    # The public site serves each member at /<slug>/: a slug that is a language code or the
    # start of one of the site's own addresses (admin, reporting, the accessibility
    # statement...) would hide that page or the member's.
    if (member.slug or "").lower() in site_addresses():
        raise ValidationError(
            {
                "slug": _(
                    "The address “%(slug)s” is used by the site itself. Choose another one, "
                    "for example the authority's name."
                )
                % {"slug": member.slug}
            }
        )


def _stored(authority: Authority, name: str) -> str | None:
    if authority.pk is None:
        return None
    rows = Authority._base_manager.filter(pk=authority.pk).values_list(name, flat=True)
    return rows.first()


@register_rule(Authority)
def authority_identifiers_are_valid(authority: Authority) -> None:
    # The model checks the shapes (nine digits; letters, hyphen, code); a SIREN's key and an
    # IATI id's registration agency (IATI GUIDE §6, rules 1.14.8 and 1.3.13) are checked here,
    # whoever writes. A value stored before these checks is left alone until it is changed: an
    # unrelated correction of the entry (its position, its name) is not refused for it.
    errors: dict[str, list[str]] = {}
    if authority.siren:
        try:
            valid = values.siren(authority.siren) == authority.siren
            problem = _("A SIREN number has nine digits.")
        except values.CellProblem as error:
            valid, problem = False, error.message
        if not valid and _stored(authority, "siren") != authority.siren:
            errors["siren"] = [problem]
    if authority.iati_org_id:
        try:
            clean = clean_org_id(authority.iati_org_id)
            problem = _("Write the IATI organisation id as IATI does: %(id)s.") % {"id": clean}
        except ValidationError as error:
            clean, problem = "", " ".join(error.messages)
        if clean != authority.iati_org_id and _stored(authority, "iati_org_id") != (
            authority.iati_org_id
        ):
            errors["iati_org_id"] = [problem]
    if errors:
        raise ValidationError(errors)


@register_rule(Partnership)
def partner_is_recognised_by_france(partnership: Partnership) -> None:
    # Conseil d'État, 13 May 2024, n° 474652: no act of any form with an entity France does not
    # recognise. Ending the relation is allowed: it is how an authority complies.
    if partnership.partner_id is None or partnership.status == Partnership.Status.ENDED:
        return
    partner = Authority.objects.only("name", "is_recognised_by_france").get(
        pk=partnership.partner_id
    )
    if not partner.is_recognised_by_france:
        raise ValidationError(
            {
                "partner": _(
                    "France does not recognise %(name)s, so no partnership can be made with it "
                    "(Conseil d'État, 13 May 2024). Choose another partner, or mark this "
                    "partnership as ended."
                )
                % {"name": partner.name}
            }
        )


@register_rule(Partnership)
def partnership_ends_after_it_starts(partnership: Partnership) -> None:
    # Consistency of the Atlas sheet (start year, end date), not a legal rule.
    start = partnership.started_on
    if partnership.ended_on is None:
        return
    if start is not None and partnership.ended_on < start:
        raise ValidationError(
            {"ended_on": _("The partnership ends before it starts. Check the two dates.")}
        )
    if (
        partnership.started_year is not None
        and partnership.ended_on.year < partnership.started_year
    ):
        raise ValidationError(
            {
                "ended_on": _(
                    "The partnership ends before the year it started. Check the end date and "
                    "the start year."
                )
            }
        )


@register_rule(OpeningHours)
def opening_periods_do_not_overlap(hours: OpeningHours) -> None:
    # The public page lists the periods of each day: two that overlap are a typing mistake.
    if hours.member_id is None or hours.opens is None or hours.closes is None:
        return
    clash = (
        OpeningHours.objects.filter(
            member_id=hours.member_id,
            weekday=hours.weekday,
            opens__lt=hours.closes,
            closes__gt=hours.opens,
        )
        .exclude(pk=hours.pk)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _(
                "This period overlaps %(period)s on the same day. Change the times, or edit "
                "that period instead."
            )
            % {"period": str(clash)}
        )


@register_rule(Label)
def label_ends_after_it_starts(label: Label) -> None:
    # Consistency of the public page's list of labels and seats, not a legal rule.
    if label.started_year and label.ended_year and label.ended_year < label.started_year:
        raise ValidationError(
            {"ended_year": _("The label ends before it starts. Check the two years.")}
        )


# --- Services -------------------------------------------------------------------------------


def authority_save(
    *,
    authority: Authority,
    user: Any,
    expected_version: int | None = None,
    authority_id: int | None = None,
) -> Authority:
    """Add or correct an entry of the shared directory of authorities.

    Any member with a writing role may mark an entity as not recognised by France, but only
    the instance's operators may mark it recognised again: otherwise one click would lift the
    ban on acts with it (Conseil d'État, 13 May 2024, n° 474652) for every authority.
    """
    if authority.is_recognised_by_france and not getattr(user, "is_superuser", False):
        was_unrecognised = Authority.objects.filter(
            pk=authority.pk, is_recognised_by_france=False
        ).exists()
        if was_unrecognised:
            raise ValidationError(
                {
                    "is_recognised_by_france": _(
                        "Only the operators of this site can mark an entity as recognised by "
                        "France again. Ask them, with the source of the change."
                    )
                }
            )
    return save_shared(  # type: ignore[return-value]
        authority,
        user=user,
        expected_version=expected_version,
        authority_id=authority_id,
        verb=gettext_noop("authority saved"),
    )


def partner_town_add(
    *, name: str, country_id: str, user: Any, authority_id: int | None = None
) -> Authority:
    """Add a partner town the directory lacks, on an officer's confirmation (the spreadsheet
    import's town choices, the workspace's partnership form): a new entry of the shared
    register, added for `authority_id`."""
    entry = Authority(name=name.strip(), country_id=country_id)
    return authority_save(authority=entry, user=user, authority_id=authority_id)


def partnership_save(
    *, partnership: Partnership, user: Any, expected_version: int | None = None
) -> Partnership:
    """Create or change a partnership of the user's authority."""
    return save_owned(
        partnership,
        user=user,
        expected_version=expected_version,
        verb=gettext_noop("partnership saved"),
    )


def partnership_save_with_new_partner(
    *,
    partnership: Partnership,
    name: str,
    country_id: str,
    user: Any,
    expected_version: int | None,
) -> Partnership:
    """Add the partner town to the directory and save the partnership with it, in one
    transaction: a partnership refused leaves no town added."""
    with transaction.atomic():
        partnership.partner = partner_town_add(
            name=name, country_id=country_id, user=user, authority_id=partnership.authority_id
        )
        return partnership_save(
            partnership=partnership, user=user, expected_version=expected_version
        )


class StalePartnershipError(ValidationError):
    """One of the partnerships to publish changed since the page was shown."""

    def __init__(self, partnership: Partnership) -> None:
        super().__init__(
            _(
                "“%(partnership)s” was changed by someone else since you opened this page, so "
                "nothing was changed. Reload the page and choose again."
            )
            % {"partnership": partnership},
            code="concurrent_edit",
        )
        self.partnership = partnership


def partnerships_set_published(
    *, versions: Mapping[Partnership, int | None], published: bool, user: Any
) -> list[Partnership]:
    """Publish (or unpublish) several partnerships at once, each checked against the version
    its page showed. All or nothing: one stale partnership, or one the user may not change,
    and none is written (the refusal names it). Returns those whose state changed."""
    changed = []
    with transaction.atomic():
        for partnership, version in versions.items():
            before = partnership.version
            partnership.is_public = published
            try:
                saved = save_owned(
                    partnership,
                    user=user,
                    expected_version=version,
                    verb=gettext_noop("partnership published")
                    if published
                    else gettext_noop("partnership unpublished"),
                )
            except ConcurrentEditError:
                raise StalePartnershipError(partnership) from None
            if saved.version != before:
                changed.append(saved)
    return changed


@transaction.atomic
def member_settings_update(
    *, member: MemberAuthority, user: Any, expected_version: int | None, **changes: Any
) -> MemberAuthority:
    """Change a member authority's settings (service contact, introduction, goals).

    Only the authority's administrators may (MemberAuthority.write_roles). Only the fields of
    MEMBER_SETTINGS_FIELDS can be changed here; `member` is refreshed on success.
    `expected_version` is the version of the settings the editor saw.
    """
    unknown = sorted(set(changes) - set(MEMBER_SETTINGS_FIELDS))
    if unknown:
        raise TypeError(f"member_settings_update() cannot change {', '.join(unknown)}")
    current = MemberAuthority._base_manager.select_for_update().get(pk=member.pk)
    check_can_write(user, current)
    for name, value in changes.items():
        setattr(current, name, value)
    save_owned(
        current,
        user=user,
        expected_version=expected_version,
        verb=gettext_noop("member authority settings changed"),
    )
    member.refresh_from_db()
    return member


@transaction.atomic
def member_identifiers_update(
    *, member: MemberAuthority, user: Any, expected_version: int | None, **changes: Any
) -> Authority:
    """Change the identifiers (MEMBER_IDENTIFIER_FIELDS) of the member authority's own entry of
    the shared directory, and return the entry.

    The entry written is always `member.authority`, never one the caller names: the directory
    is shared, and an administrator of one authority changes no other authority's entry. Who
    may is the register's rule for a member's own entry (`register.selectors.
    may_change_directly`: its administrators, and the instance's operators), applied by
    `authority_save`; anyone else gets PermissionDenied and nothing is written.
    `expected_version` is the version of the entry the editor saw.
    """
    unknown = sorted(set(changes) - set(MEMBER_IDENTIFIER_FIELDS))
    if unknown:
        raise TypeError(f"member_identifiers_update() cannot change {', '.join(unknown)}")
    entry = Authority._base_manager.get(pk=member.authority_id)
    for name, value in changes.items():
        setattr(entry, name, value)
    saved = authority_save(authority=entry, user=user, expected_version=expected_version)
    member.authority = saved
    return saved


def opening_hours_save(
    *, hours: OpeningHours, user: Any, expected_version: int | None
) -> OpeningHours:
    """Add or change an opening period of the service (the authority's administrators only).
    `expected_version` is the version of the member authority's settings the editor saw."""
    return save_owned(
        hours,
        user=user,
        expected_version=expected_version,
        verb=gettext_noop("opening hours saved"),
    )


def opening_hours_delete(*, hours: OpeningHours, user: Any, expected_version: int | None) -> None:
    delete_owned(
        hours,
        user=user,
        expected_version=expected_version,
        verb=gettext_noop("opening hours removed"),
    )


def label_save(*, label: Label, user: Any, expected_version: int | None = None) -> Label:
    """Record a label or a seat in a body held by the user's authority."""
    return save_owned(
        label, user=user, expected_version=expected_version, verb=gettext_noop("label saved")
    )


# --- Joining: a new member authority, invited -------------------------------------------------


VERB_MEMBER_INVITED = gettext_noop("member authority invited")


def _free_slug(name: str) -> str:
    """An address for the new member's pages: its name as a slug, numbered if taken or if it
    is one of the site's own first path segments."""
    from django.utils.text import slugify

    base = slugify(name)[:70] or "collectivite"
    taken = site_addresses()
    slug, number = base, 1
    while slug in taken or MemberAuthority.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def member_invite(
    *, name: str, siren: str, email: str, language: str, by: Any
) -> tuple[MemberAuthority, Any, str]:
    """Make a French authority a member and invite its first administrator: the directory
    entry (found by SIREN, else added through the register), the member authority, the
    administrator's account (without a password) and a single-use invitation. Returns the
    member, the invitation and its token (the link's secret, shown once). The instance's
    operators only."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    from jumelage.accounts.models import Role
    from jumelage.tenancy.members.services import invitation_create, user_invite

    if not (getattr(by, "is_active", False) and getattr(by, "is_superuser", False)):
        raise PermissionDenied(_("Only the site's administrators invite a new authority."))
    email = email.strip()
    if get_user_model().objects.filter(username__iexact=email).exists():
        raise ValidationError(
            {
                "email": _(
                    "An account with this e-mail address exists already. Give it a role in the "
                    "authority from its memberships instead, or use another address."
                )
            }
        )
    authority = Authority.objects.filter(siren=siren).first()
    if authority is None:
        authority = Authority(
            name=name.strip(), country_id="FR", kind=Authority.Kind.MUNICIPALITY, siren=siren
        )
        authority_save(authority=authority, user=by)
    elif MemberAuthority.objects.filter(authority=authority).exists():
        raise ValidationError(
            {
                "siren": _(
                    "%(name)s is already a member authority. Invite its new administrator from "
                    "its memberships instead."
                )
                % {"name": authority.name}
            }
        )
    member = MemberAuthority(authority=authority, slug=_free_slug(authority.name), email=email)
    save_owned(member, user=by, expected_version=None, verb=VERB_MEMBER_INVITED)
    user = user_invite(
        authority=member,
        role=Role.ADMIN,
        by=by,
        username=email.lower(),
        email=email,
        language=language,
    )
    invitation, token = invitation_create(user=user, authority=member, by=by)
    return member, invitation, token


def _check_position(town: Authority, latitude: Any, longitude: Any) -> None:
    """A map position in degrees, within the model's bounds: a proposal to the register is
    checked here too, before its reviewers ever see it."""
    try:
        values = [Decimal(latitude), Decimal(longitude)]
    except (InvalidOperation, TypeError, ValueError):
        values = []
    if (
        len(values) != 2
        or not all(value.is_finite() for value in values)
        or not -90 <= values[0] <= 90
        or not -180 <= values[1] <= 180
    ):
        raise ValidationError(
            _(
                "The position of %(town)s is a latitude between -90 and 90 and a longitude "
                "between -180 and 180, in degrees, for example 49,03095 and 10,97221."
            )
            % {"town": town.name}
        )


def town_position_save(
    *,
    town: Authority,
    latitude: Any,
    longitude: Any,
    user: Any,
    expected_version: int | None,
    authority_id: int | None = None,
) -> str:
    """Give a town of the directory its position on the map. Written at once when the user may
    change the entry directly (a town only their authority uses); otherwise proposed to the
    register's reviewers, since other authorities' pages show it too. Returns "saved" or
    "proposed"."""
    from jumelage.register.selectors import may_change_directly
    from jumelage.register.services import propose_change

    _check_position(town, latitude, longitude)
    if may_change_directly(user, town):
        current = Authority.objects.get(pk=town.pk)
        current.latitude, current.longitude = latitude, longitude
        authority_save(authority=current, user=user, expected_version=expected_version)
        return "saved"
    propose_change(
        town,
        user=user,
        values={"latitude": latitude, "longitude": longitude},
        expected_version=expected_version,
        note=_("Position proposed from the gazetteer during the setup of an authority."),
        authority_id=authority_id,
    )
    return "proposed"
