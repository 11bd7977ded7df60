"""The service's contact details as people read them: opening hours by day, whether the service
is open now (in Paris time, computed on each request, never cached), and a dialable phone."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from jumelage.partners.models import OpeningHours

# French services open on Paris time. (An overseas authority would need its own time zone on
# MemberAuthority: not in the model yet.)
SERVICE_TIME_ZONE = ZoneInfo("Europe/Paris")

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


def open_state(periods: list[Period], now: datetime.datetime | None = None) -> OpenState | None:
    """Whether the service is open at `now` (Paris time), and until when or from when.

    None when no opening hours are recorded (nothing is claimed then).
    """
    if not periods:
        return None
    now = (now or timezone.now()).astimezone(SERVICE_TIME_ZONE)
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
    prefix); other numbers keep their digits and a leading +.
    """
    digits = re.sub(r"[^\d+]", "", phone)
    if not digits:
        return ""
    if digits.startswith("00"):
        return "+" + digits[2:]
    if country_code == "FR" and re.fullmatch(r"0\d{9}", digits):
        return "+33" + digits[1:]
    return digits
