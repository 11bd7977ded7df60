"""The personal calendar feed as iCalendar (RFC 5545), written by the `icalendar` library:
each deadline is an all-day event on its day, each visit an all-day event over its days."""

from __future__ import annotations

import datetime
from urllib.parse import urljoin, urlsplit

from icalendar import Calendar, Event

from jumelage.workspace.pages.calendar import Item, item_title

PRODUCT_ID = "-//Jumelage//Workspace calendar//FR"


def feed_calendar(
    items: list[Item], *, name: str, base_url: str, stamp: datetime.datetime
) -> bytes:
    """The calendar holding `items`; links are made absolute on `base_url`."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    host = urlsplit(base_url).hostname or "jumelage"
    for item in items:
        event = Event()
        # Stable across fetches, so a calendar program updates an event instead of adding it.
        event.add("uid", f"{item.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", item_title(item))
        event.add("dtstart", item.day)
        # All-day events end the day after their last day (RFC 5545, 3.6.1).
        last = item.last_day if item.last_day and item.last_day > item.day else item.day
        event.add("dtend", last + datetime.timedelta(days=1))
        description = [item.period, item.detail] if item.period else [item.detail]
        if item.url:
            url = urljoin(base_url, item.url)
            event.add("url", url)
            description.append(url)
        event.add("description", "\n".join(text for text in description if text))
        event.add("transp", "TRANSPARENT")
        event.add("categories", [item.kind_label])
        calendar.add_component(event)
    return calendar.to_ical()
