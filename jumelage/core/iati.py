"""IATI organisation identifiers (IATI GUIDE §6, org-id.guide): where the project's copy of the
IATI reference files is, the registration agencies' prefixes, and the check of an organisation
id an officer gives.

One definition, in core because two layers need it: the directory's service (partners) checks
an authority's own id before writing it, and the IATI file's rules (reporting.iati.rules) check
the ids of a file with the same prefixes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jumelage.core.reference_data import REFERENCE_DIR, read_codelist

# Characters IATI forbids in an identifier or an organisation ref (rules 1.3.13 and 1.14.13).
FORBIDDEN_IN_IDS = "/&|?"
# The register of every SIREN number (org-id.guide lists/fr; IATI GUIDE §6): a French authority's
# id is FR-RCS-<SIREN>.
FRENCH_REGISTER = "FR-RCS"
# What an officer may type inside an id: spaces of any kind, kept out of the id.
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def reference_dir() -> Path:
    """Where the IATI schema/ and codelists/ folders are (a setting only for tests or odd
    installs)."""
    return Path(getattr(settings, "IATI_REFERENCE_DIR", REFERENCE_DIR / "iati"))


@lru_cache(maxsize=1)
def _agencies() -> tuple[frozenset[str], frozenset[str]]:
    path = reference_dir() / "codelists" / "OrganisationRegistrationAgency.xml"
    items = read_codelist(path, "OrganisationRegistrationAgency")
    active = frozenset(item.code for item in items if item.is_active)
    withdrawn = frozenset(item.code for item in items if not item.is_active)
    return active, withdrawn


def registration_agencies() -> frozenset[str]:
    """Prefixes allowed at the start of an organisation identifier (FR-RCS, XM-DAC, ...), the
    withdrawn ones too: a file published before their withdrawal still reads as valid."""
    active, withdrawn = _agencies()
    return active | withdrawn


def has_agency_prefix(ref: str) -> bool:
    """Whether the id starts with a registration agency's prefix and a hyphen (FR-RCS-...).

    Prefixes hold one or two hyphens themselves (XI-IATI, BE-BCE_KBO), so each leading run of
    parts is looked up in the set rather than each of the thousand prefixes tried in turn.
    """
    agencies = registration_agencies()
    parts = ref.split("-")
    return any("-".join(parts[:end]) in agencies for end in range(1, len(parts)))


def _prefix_of(text: str) -> str | None:
    """The agency prefix `text` starts with, as the list spells it (capitals), or None: the
    longest that leaves something after it."""
    by_key = {code.upper(): code for code in registration_agencies()}
    parts = text.split("-")
    for end in range(len(parts) - 1, 0, -1):
        found = by_key.get("-".join(parts[:end]).upper())
        if found is not None:
            return found
    return None


def clean_org_id(value: str) -> str:
    """An organisation's own IATI id as an officer types it ("fr-rcs-217 600 691"), checked
    the way IATI defines it, and written as IATI expects it ("FR-RCS-217600691"): spaces
    dropped, the prefix spelt as IATI's list does. "" stays "" (no id).

    Refused with a message saying what to fix (ValidationError): a character IATI forbids
    (1.3.13), a prefix that is not a registration agency of IATI's list (1.14.8) or one the
    list withdrew, nothing after the prefix, and for FR-RCS a number that is not a SIREN (nine
    digits with a valid key; a SIRET names one establishment and changes when a service moves).
    """
    from stdnum import exceptions
    from stdnum.fr import siren as stdnum_siren

    text = _SPACES.sub("", value or "")
    if not text:
        return ""
    forbidden = "".join(sorted({char for char in text if char in FORBIDDEN_IN_IDS}))
    if forbidden:
        raise ValidationError(
            _(
                "An IATI organisation id may not contain the characters / & | ?; “%(id)s” "
                "does. Write the id as the IATI Registry gives it."
            )
            % {"id": text},
            code="forbidden_characters",
        )
    prefix = _prefix_of(text)
    if prefix is None:
        raise ValidationError(
            _(
                "“%(id)s” does not start with a registration agency of the IATI list followed "
                "by a hyphen. A French authority's id is FR-RCS- followed by its SIREN, for "
                "example FR-RCS-217600691."
            )
            % {"id": text},
            code="unknown_prefix",
        )
    number = text[len(prefix) + 1 :]
    if prefix in _agencies()[1]:
        raise ValidationError(
            _(
                "IATI withdrew the prefix %(prefix)s from its list of registration agencies. "
                "A French authority's id is FR-RCS- followed by its SIREN, for example "
                "FR-RCS-217600691."
            )
            % {"prefix": prefix},
            code="withdrawn_prefix",
        )
    if not number:
        raise ValidationError(
            _("Write the organisation's number after %(prefix)s-.") % {"prefix": prefix},
            code="no_number",
        )
    if prefix == FRENCH_REGISTER:
        digits = number.replace(".", "")
        if len(digits) == 14 and digits.isdigit():
            raise ValidationError(
                _(
                    "%(number)s is a SIRET, the number of one establishment; the IATI id uses "
                    "the SIREN, its first nine digits: FR-RCS-%(siren)s."
                )
                % {"number": number, "siren": digits[:9]},
                code="siret",
            )
        try:
            number = str(stdnum_siren.validate(digits))
        except exceptions.InvalidChecksum:
            raise ValidationError(
                _(
                    "%(number)s is not a valid SIREN number: its last digit does not match the "
                    "others; check it on annuaire-entreprises.data.gouv.fr."
                )
                % {"number": number},
                code="siren_checksum",
            ) from None
        except exceptions.ValidationError:
            raise ValidationError(
                _(
                    "After FR-RCS- comes the authority's SIREN, nine digits, for example "
                    "FR-RCS-217600691."
                ),
                code="siren",
            ) from None
    return f"{prefix}-{number}"
