"""Partner towns of the directory matched by name as officers write them ("Weissenburg" finds
"Weißenburg in Bayern"), with suggestions for a near miss: for spreadsheet imports and the
workspace's town pickers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from jumelage.core.values import norm

# --- Towns of the directory ----------------------------------------------------------------------

_SAINT = re.compile(r"\b(st|ste|s)\b\.?")
_WORDS = re.compile(r"[^a-z0-9]+")


def town_key(name: Any) -> str:
    """A town's name as compared: no case or accents, ß as ss, hyphens and apostrophes as
    spaces, "St"/"Ste" as "saint"/"sainte" (Saint-Étienne, St Etienne, ST-ETIENNE are one)."""
    text = norm(str(name).replace("ß", "ss").replace("ẞ", "ss"))
    text = _WORDS.sub(" ", text)
    text = re.sub(r"\bste\b", "sainte", text)
    text = re.sub(r"\bst\b", "saint", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class TownMatch:
    """What the directory holds for a name: the entry (exact, or the one near match that
    stands out) and the other suggestions, best first."""

    authority: Any | None
    exact: bool
    suggestions: tuple[Any, ...] = ()


class Towns:
    """Authorities of the directory, by name within a country (or everywhere), matched as
    officers write them: "Weissenburg" finds "Weißenburg in Bayern"."""

    STANDS_OUT = 90  # rapidfuzz score (0-100) of a near match proposed on its own
    SUGGESTED = 75

    def __init__(self, countries: set[str] | None = None) -> None:
        from jumelage.partners.models import Authority

        rows = Authority.objects.only("pk", "name", "local_name", "country_id")
        if countries:
            rows = rows.filter(country_id__in=countries)
        self.by_country: dict[str | None, list[tuple[str, Any]]] = {}
        for authority in rows.iterator(chunk_size=2000):
            for name in {authority.name, authority.local_name} - {""}:
                entry = (town_key(name), authority)
                self.by_country.setdefault(authority.country_id, []).append(entry)
                self.by_country.setdefault(None, []).append(entry)

    def match(self, name: Any, country: str | None = None) -> TownMatch:
        from rapidfuzz import fuzz, process

        key = town_key(name)
        entries = self.by_country.get(country, [])
        exact = list(dict.fromkeys(a for k, a in entries if k == key))
        if len(exact) == 1:
            return TownMatch(exact[0], True)
        if exact:
            return TownMatch(None, False, tuple(exact))
        keys = [k for k, _a in entries]
        found = process.extract(
            key, keys, scorer=fuzz.token_set_ratio, score_cutoff=self.SUGGESTED, limit=8
        )
        ranked: list[tuple[float, Any]] = []
        for _key, score, index in found:
            # token_set_ratio is 100 for a name within another ("Weissenburg" in "Weissenburg in
            # Bayern"); the plain ratio breaks ties towards the closest spelling.
            tie = fuzz.ratio(key, keys[index])
            authority = entries[index][1]
            if all(authority != a for _s, a in ranked):
                ranked.append((score * 1000 + tie, authority))
        ranked.sort(key=lambda item: -item[0])
        suggestions = tuple(authority for _score, authority in ranked)
        if not ranked:
            return TownMatch(None, False)
        best = ranked[0][0] // 1000
        second = ranked[1][0] // 1000 if len(ranked) > 1 else 0
        if best >= self.STANDS_OUT and best > second:
            return TownMatch(suggestions[0], False, suggestions[1:])
        return TownMatch(None, False, suggestions)
