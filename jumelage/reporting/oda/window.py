"""The yearly window of the ODA declaration: the Ministry opens it each spring (about 15 April
to 31 May) for the flows of the year before. Its dates are the ODA_DECLARATION_WINDOW setting,
("MM-DD", "MM-DD"), since the Ministry sets them anew each year."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

DEFAULT_WINDOW = ("04-15", "05-31")
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class DeclarationWindow:
    """The current or next declaration window, seen from `today`."""

    opens: datetime.date
    closes: datetime.date
    today: datetime.date

    @property
    def year(self) -> int:
        """The calendar year of flows declared in this window."""
        return self.opens.year - 1

    @property
    def is_open(self) -> bool:
        return self.opens <= self.today <= self.closes

    @property
    def days_to_open(self) -> int:
        return max((self.opens - self.today).days, 0)

    @property
    def days_left(self) -> int:
        """Whole days after today until the window closes (0 on the last day)."""
        return max((self.closes - self.today).days, 0)


def _month_day(value: object) -> tuple[int, int]:
    # Checked against a common year: 29 February would make the window vanish three years in four.
    match = _MONTH_DAY.match(value) if isinstance(value, str) else None
    if match:
        month, day = int(match[1]), int(match[2])
        try:
            datetime.date(2001, month, day)
        except ValueError:
            pass
        else:
            return month, day
    raise ImproperlyConfigured(
        f"ODA_DECLARATION_WINDOW holds {value!r}, which is not a day of the year written as "
        f'"MM-DD" (29 February excluded). Write it like ("04-15", "05-31").'
    )


def window_setting() -> tuple[tuple[int, int], tuple[int, int]]:
    value = getattr(settings, "ODA_DECLARATION_WINDOW", DEFAULT_WINDOW)
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ImproperlyConfigured(
            f"ODA_DECLARATION_WINDOW holds {value!r}; give two days, the opening and the "
            f'closing, like ("04-15", "05-31").'
        )
    opens, closes = _month_day(value[0]), _month_day(value[1])
    if closes < opens:
        raise ImproperlyConfigured(
            f"ODA_DECLARATION_WINDOW closes ({value[1]}) before it opens ({value[0]}); the "
            "window lies within one calendar year: swap the two days."
        )
    return opens, closes


def declaration_window(today: datetime.date | None = None) -> DeclarationWindow:
    """This year's window if it is not over yet, else next year's."""
    today = today or timezone.localdate()
    (open_month, open_day), (close_month, close_day) = window_setting()
    year = today.year
    if today > datetime.date(year, close_month, close_day):
        year += 1
    return DeclarationWindow(
        opens=datetime.date(year, open_month, open_day),
        closes=datetime.date(year, close_month, close_day),
        today=today,
    )
