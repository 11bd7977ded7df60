"""Pure checks (no database): shared by the services and the admin formsets, so a refusal reads
the same wherever the data comes from."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

HUNDRED = Decimal(100)


def _as_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def validate_percentage_split(shares: Iterable[tuple[str, Any]], *, what: str, one: str) -> None:
    """Check that shares (key, percentage) split 100 % (IATI rules, GUIDE §5.2).

    `what` names the rows in a sentence ("the sectors"), `one` a single row ("sector").
    2.1.1 / 3.1.1: with several rows, each has a percentage; 2.1.2 / 3.1.2: they add up to
    exactly 100 (summed as Decimal, so 33.33 + 33.33 + 33.34 passes); 2.1.4 / 3.1.4: a single
    row is omitted or 100; 12.x: each is within 0..100. An empty list is fine (none given).
    """
    rows = list(shares)
    if not rows:
        return
    errors: list[str] = []
    keys = [key for key, _value in rows]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        errors.append(
            _("“%(key)s” is listed twice among %(what)s; list each %(one)s once.")
            % {"key": key, "what": what, "one": one}
        )
    values = [(key, _as_decimal(value)) for key, value in rows]
    for key, value in values:
        if value is not None and not (0 <= value <= HUNDRED):
            errors.append(
                _("The percentage of “%(key)s” must be between 0 and 100.") % {"key": key}
            )
    if len(values) == 1:
        key, value = values[0]
        if value is not None and value != HUNDRED:
            errors.append(
                _(
                    "A single %(one)s counts for 100 %%: set the percentage of “%(key)s” to 100, "
                    "or add the other %(what)s."
                )
                % {"one": one, "key": key, "what": what}
            )
    else:
        missing = [key for key, value in values if value is None]
        if missing:
            errors.append(
                _("With several %(what)s, give each a percentage (missing for %(keys)s).")
                % {"what": what, "keys": ", ".join(f"“{k}”" for k in missing)}
            )
        else:
            total = sum((value for _key, value in values if value is not None), Decimal(0))
            if total != HUNDRED:
                errors.append(
                    _(
                        "The percentages of %(what)s add up to %(total)s %%; they must add up "
                        "to exactly 100 %%. Correct them, putting any rounding remainder on "
                        "one line."
                    )
                    % {"what": what, "total": total}
                )
    if errors:
        raise ValidationError(errors)


def validate_sector_percentages(sectors: Iterable[tuple[str, str, Any]]) -> None:
    """Sectors as (vocabulary, code, percentage): each vocabulary splits 100 % on its own."""
    from jumelage.projects.models import ProjectSector

    by_vocabulary: dict[str, list[tuple[str, Any]]] = {}
    for vocabulary, code, percentage in sectors:
        by_vocabulary.setdefault(vocabulary or ProjectSector.Vocabulary.DAC_5, []).append(
            (code, percentage)
        )
    errors: list[ValidationError] = []
    labels = dict(ProjectSector.Vocabulary.choices)
    for vocabulary, shares in sorted(by_vocabulary.items()):
        what = _("the sectors (%(vocabulary)s)") % {
            "vocabulary": labels.get(vocabulary, vocabulary)
        }
        try:
            validate_percentage_split(shares, what=what, one=_("sector"))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)


def validate_country_percentages(countries: Iterable[tuple[str, Any]]) -> None:
    """Recipient countries as (ISO code, percentage)."""
    validate_percentage_split(
        countries, what=_("the recipient countries"), one=_("recipient country")
    )


# An SDG target as officers write it: the goal (1 to 17), a point (or a French comma), the
# target (digits for an outcome target, a letter for a means of implementation: 6.1, 6.a).
SDG_TARGET = re.compile(r"(\d{1,2})[.,](\d{1,2}|[a-z])", re.IGNORECASE)
SDG_SEPARATORS = re.compile(r"[\s,;]+")


def sdg_targets_from_text(text: str) -> list[str]:
    """The SDG target codes in `text`, each once, in the order typed: "6.1, 16.6", "6.1 16.6",
    one per line, or with French commas ("6,1 ; 16,6"). A part that is not written as a
    target is refused by name; whether each target exists is the codelist's check
    (`projects.services.sdg_targets_are_codes`)."""
    codes: list[str] = []
    unreadable: list[str] = []
    position = 0
    text = text or ""
    while position < len(text):
        separator = SDG_SEPARATORS.match(text, position)
        if separator:
            position = separator.end()
            continue
        code = SDG_TARGET.match(text, position)
        end = code.end() if code else position
        if code and (end == len(text) or SDG_SEPARATORS.match(text, end)):
            value = f"{int(code[1])}.{code[2].lower()}"
            if value not in codes:
                codes.append(value)
            position = end
            continue
        word = re.compile(r"[^\s,;]+").match(text, position)
        assert word is not None  # not a separator, so at least one character
        unreadable.append(word.group())
        position = word.end()
    if unreadable:
        raise ValidationError(
            ngettext(
                "“%(parts)s” is not written as an SDG target. Write each target as its goal, "
                "a point and its number or letter, for example 6.1 or 4.a.",
                "“%(parts)s” are not written as SDG targets. Write each target as its goal, "
                "a point and its number or letter, for example 6.1 or 4.a.",
                len(unreadable),
            )
            % {"parts": "”, “".join(unreadable)},
            code="sdg_format",
        )
    return codes
