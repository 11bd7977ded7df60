"""CRS purpose codes read from the names officers write ("Eau potable", "Basic sanitation"),
matched against the names of the shipped IATI codelists (Sector: 5-digit purpose codes;
SectorCategory: 3-digit DAC sectors), in French and English.

A name is taken when it is the name of one purpose code, compared without case or accents, or
a near spelling of it (rapidfuzz, `NEAR`) that stands out. A 3-digit DAC sector's name
("Santé, Général", "Water Supply & Sanitation") is not a purpose code: the codelists give no
"general" code of a category, so the officer is asked to choose one of its codes, with
suggestions. Nothing here maps an Atlas theme to a sector: the project app defines no such
mapping, and one is not invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jumelage.core.values import norm

NEAR = 92  # rapidfuzz ratio from which a name is taken as a spelling of a purpose code's name
SUGGESTED = 60
SUGGESTIONS = 3


@dataclass(frozen=True)
class SectorMatch:
    """What a name reads as: the purpose code (exact, or a near spelling), or, for the name of
    a 3-digit category or a near miss, the codes suggested (code, name) best first."""

    code: str | None
    exact: bool = False
    category: str | None = None  # the 3-digit category whose name was written
    suggestions: tuple[tuple[str, str], ...] = field(default_factory=tuple)


class SectorNames:
    """The active codes of the loaded Sector and SectorCategory lists, by name as compared."""

    def __init__(self) -> None:
        from jumelage.core.models import CodelistItem

        self.codes: dict[str, str] = {}  # code -> name shown (French when known)
        self.by_name: dict[str, set[str]] = {}
        self.categories: dict[str, set[str]] = {}  # category name as compared -> 3-digit codes
        self.in_category: dict[str, list[str]] = {}
        rows = CodelistItem.objects.filter(
            codelist__in=("Sector", "SectorCategory"), is_active=True
        ).values_list("codelist", "code", "name_fr", "name_en", "category")
        for codelist, code, name_fr, name_en, category in rows:
            names = {norm(name) for name in (name_fr, name_en) if name}
            if codelist == "Sector":
                self.codes[code] = name_fr or name_en
                self.in_category.setdefault(category or code[:3], []).append(code)
                for name in names:
                    self.by_name.setdefault(name, set()).add(code)
            else:
                for name in names:
                    self.categories.setdefault(name, set()).add(code)
        self.names = list(self.by_name)

    @property
    def loaded(self) -> bool:
        return bool(self.codes)

    def _suggest(self, key: str, codes: list[str] | None = None) -> tuple[tuple[str, str], ...]:
        from rapidfuzz import fuzz, process

        if codes is not None:
            choices = {code: norm(self.codes[code]) for code in codes}
            near = process.extract(key, choices, scorer=fuzz.WRatio, limit=SUGGESTIONS)
            ranked = [str(code) for _name, _score, code in near] or codes[:SUGGESTIONS]
            return tuple((code, self.codes[code]) for code in ranked[:SUGGESTIONS])
        found = process.extract(
            key, self.names, scorer=fuzz.WRatio, score_cutoff=SUGGESTED, limit=SUGGESTIONS * 2
        )
        seen: list[str] = []
        for name, _score, _index in found:
            for code in sorted(self.by_name[name]):
                if code not in seen:
                    seen.append(code)
        return tuple((code, self.codes[code]) for code in seen[:SUGGESTIONS])

    def match(self, name: str) -> SectorMatch:
        from rapidfuzz import fuzz, process

        key = norm(name)
        if key.isdigit() and len(key) == 3 and key in self.in_category:  # "140": a DAC sector
            return SectorMatch(
                None, category=key, suggestions=self._suggest(key, self.in_category[key])
            )
        exact = self.by_name.get(key, set())
        if len(exact) == 1:
            return SectorMatch(next(iter(exact)), exact=True)
        if exact:  # two codes share the name (43040 and 43042 "Rural development")
            return SectorMatch(None, suggestions=tuple((c, self.codes[c]) for c in sorted(exact)))
        categories = self.categories.get(key, set())
        if categories:
            category = sorted(categories)[0]
            return SectorMatch(
                None,
                category=category,
                suggestions=self._suggest(key, self.in_category.get(category, [])),
            )
        found = process.extract(key, self.names, scorer=fuzz.ratio, score_cutoff=NEAR, limit=2)
        if found:
            best_codes = self.by_name[found[0][0]]
            second = found[1][1] if len(found) > 1 else 0
            if len(best_codes) == 1 and found[0][1] > second:
                return SectorMatch(next(iter(best_codes)))
        return SectorMatch(None, suggestions=self._suggest(key))


def shown_suggestions(suggestions: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{code} ({name})" for code, name in suggestions)
