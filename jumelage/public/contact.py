"""The service's contact details as people read them: opening hours by day, whether the service
is open now (in the service's own time zone, computed on each request, never cached), and a
dialable phone."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from jumelage.partners.models import OpeningHours

DEFAULT_TIME_ZONE = "Europe/Paris"

# French overseas numbers: their national prefix (after the trunk 0) and their country code.
# Guadeloupe 0590 12 34 56 is dialled +590 590 12 34 56 from abroad (ARCEP numbering plan).
OVERSEAS_PREFIXES = {
    **dict.fromkeys(("590", "690", "691"), "+590"),  # Guadeloupe, Saint-Barthélemy, Saint-Martin
    **dict.fromkeys(("594", "694"), "+594"),  # French Guiana
    **dict.fromkeys(("596", "696", "697"), "+596"),  # Martinique
    **dict.fromkeys(("262", "263", "692", "693", "269", "639"), "+262"),  # Réunion, Mayotte
}
FRENCH_NUMBERING = {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF"}

Period = tuple[int, datetime.time, datetime.time]

# schema.org day names, Monday first (OpeningHours.weekday: 0 = Monday).
SCHEMA_DAYS = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


@dataclass(frozen=True)
class DayHours:
    weekday: int
    name: str
    periods: list[tuple[datetime.time, datetime.time]]


def hours_by_day(periods: list[Period]) -> list[DayHours]:
    """Each day the service opens, with its periods in order (days it is closed left out)."""
    names = dict(OpeningHours.Weekday.choices)
    days: dict[int, list[tuple[datetime.time, datetime.time]]] = {}
    for weekday, opens, closes in sorted(periods):
        days.setdefault(weekday, []).append((opens, closes))
    return [DayHours(day, str(names[day]), spans) for day, spans in sorted(days.items())]


def clock(value: datetime.time) -> str:
    """A time as people write it in the active language (09:00 in French, 9 a.m. in English)."""
    return time_format(value, "TIME_FORMAT")


@dataclass(frozen=True)
class OpenState:
    is_open: bool
    message: str


def open_state(
    periods: list[Period],
    now: datetime.datetime | None = None,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> OpenState | None:
    """Whether the service is open at `now` (read in the service's time zone), and until when
    or from when.

    None when no opening hours are recorded (nothing is claimed then).
    """
    if not periods:
        return None
    now = (now or timezone.now()).astimezone(ZoneInfo(time_zone or DEFAULT_TIME_ZONE))
    today, time_now = now.weekday(), now.time()
    names = dict(OpeningHours.Weekday.choices)
    for weekday, opens, closes in sorted(periods):
        if weekday == today and opens <= time_now < closes:
            return OpenState(True, _("Open now, until %(time)s") % {"time": clock(closes)})
    # The next opening, within the coming week.
    for offset in range(8):
        day = (today + offset) % 7
        for weekday, opens, _closes in sorted(periods):
            if weekday != day or (offset == 0 and opens <= time_now):
                continue
            if offset == 0:
                text = _("Closed now; opens today at %(time)s")
            elif offset == 1:
                text = _("Closed now; opens tomorrow at %(time)s")
            else:
                text = _("Closed now; opens on %(day)s at %(time)s")
            return OpenState(False, text % {"day": names[day], "time": clock(opens)})
    return OpenState(False, _("Closed now"))


def dialable(phone: str, country_code: str = "FR") -> str:
    """A phone number for a tel: link, in international form where it can be told.

    A French number written "01 42 04 96 77" becomes +33142049677 (the leading 0 is the trunk
    prefix); an overseas one takes its own country code (0262 12 34 56, in La Réunion, becomes
    +262262123456; 05 08 41 23 45, in Saint-Pierre-et-Miquelon, +508412345); other numbers keep
    their digits and a leading +.
    """
    digits = re.sub(r"[^\d+]", "", phone)
    if not digits:
        return ""
    if digits.startswith("00"):
        return "+" + digits[2:]
    if country_code in FRENCH_NUMBERING and re.fullmatch(r"0\d{9}", digits):
        national = digits[1:]
        if national.startswith("508"):
            return "+508" + national[3:]
        return OVERSEAS_PREFIXES.get(national[:3], "+33") + national
    return digits
