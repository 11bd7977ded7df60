"""Propose, for a sheet of an officer's own file, which kind of record it holds and which field
each column is, from the headers in the officer's words and from the values; remember the
mapping an authority used and offer it for the next file of the same shape.

The headers are compared (values.norm) with the synonyms below, exactly first, then by
rapidfuzz for near matches ("Montant T.T.C", "N° mandat"); a header that names nothing known,
or a vague one ("Date", "Montant"), is decided by the column's values: dates, amounts, country
names, yes/no words. A field takes at most one column.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy, pgettext_lazy

from jumelage.core import values
from jumelage.core.values import CellProblem, norm
from jumelage.reporting.spreadsheets.reading import Table

# Kinds an officer keeps in a spreadsheet (each has an import: imports.IMPORTS).
KIND_LABELS = {
    "authorities": gettext_lazy("partner authorities"),
    "partnerships": gettext_lazy("partnerships"),
    "projects": gettext_lazy("projects"),
    "payments": gettext_lazy("payments"),
    "actors": gettext_lazy("local actors"),
    "people": gettext_lazy("people"),
    "visits": pgettext_lazy("kind of record", "visits"),
}

# {kind: {field key: (synonyms as compared, kind of values)}}. The first synonyms are the
# officers' words; the templates' own headers (French and English) are added from the kinds.
DATE, AMOUNT, COUNTRY, YESNO, YEAR, TEXT, PERIOD, CURRENCY = (
    "date",
    "amount",
    "country",
    "yesno",
    "year",
    "text",
    "period",
    "currency",
)
SYNONYMS: dict[str, dict[str, tuple[tuple[str, ...], str]]] = {
    "authorities": {
        "name": (("nom", "collectivite", "commune", "ville", "nom de la collectivite"), TEXT),
        "country": (("pays", "country", "nation"), COUNTRY),
        "kind": (("type", "type de collectivite", "niveau"), TEXT),
        "local_name": (("nom local", "nom en langue locale", "nom d'origine"), TEXT),
        "region_name": (("region", "province", "etat", "land", "departement"), TEXT),
        "population": (("population", "habitants", "nombre d'habitants", "nb habitants"), TEXT),
        "siren": (("siren", "n siren", "numero siren", "n° siren"), TEXT),
        "insee_code": (("code insee", "insee"), TEXT),
        "website": (("site", "site internet", "site web", "url"), TEXT),
    },
    "partnerships": {
        "partner": (
            (
                "ville partenaire",
                "collectivite partenaire",
                "commune partenaire",
                "partenaire",
                "ville jumelle",
                "jumelage avec",
                "partner town",
            ),
            TEXT,
        ),
        "partner_country": (("pays", "pays du partenaire", "country"), COUNTRY),
        "partner_siren": (("siren du partenaire", "siren"), TEXT),
        "kind": (("type", "type de partenariat", "nature", "nature du partenariat"), TEXT),
        "status": (("statut", "etat", "situation"), TEXT),
        "title_fr": (("intitule", "titre", "nom du partenariat"), TEXT),
        # "Date de signature" is the start date (a day when the file gives one; a month or a
        # year alone gives the start year): see PartnershipImport.dates.
        "started_year": (("depuis", "annee", "annee de signature", "signe en", "since"), YEAR),
        "started_on": (("date de signature", "signe le", "date du jumelage"), DATE),
        "ended_on": (("fin", "date de fin", "termine le"), DATE),
        "main_theme": (("theme", "thematique", "domaine"), TEXT),
        "is_public": (("publie", "public", "en ligne", "site"), YESNO),
        "council_decision": (
            (
                "deliberation",
                "deliberation du conseil",
                "deliberation du conseil municipal",
                "n de deliberation",
                "delib",
                "dcm",
            ),
            TEXT,
        ),
    },
    "projects": {
        "slug": (("identifiant", "code projet", "code", "reference", "ref"), TEXT),
        "title_fr": (
            ("intitule", "intitule du projet", "projet", "titre", "nom du projet", "libelle"),
            TEXT,
        ),
        "summary_fr": (("resume", "description", "objectifs", "objet"), TEXT),
        "status": (("statut", "etat", "avancement"), TEXT),
        "planned_start": (("debut", "date de debut", "debut prevu"), DATE),
        "planned_end": (("fin", "date de fin", "fin prevue"), DATE),
        "period": (("periode", "duree", "annees", "calendrier", "dates"), PERIOD),
        "places": (("lieux", "lieu", "localisation", "localite"), TEXT),
        "atlas_theme": (("theme", "thematique", "secteur", "domaine"), TEXT),
        "currency": (("devise", "monnaie"), CURRENCY),
        "sectors": (
            (
                "code crs",
                "codes crs",
                "code snpc",
                "code objet",
                "secteur cad",
                "secteur crs",
                "code secteur",
                "secteurs",
            ),
            TEXT,
        ),
        "countries": (("pays", "pays beneficiaire", "pays beneficiaires"), COUNTRY),
        "partnerships": (("partenaire", "partenaires", "ville partenaire", "jumelage"), TEXT),
        "is_public": (("publie", "public", "en ligne"), YESNO),
        "budget_total": (
            (
                "budget total",
                "budget",
                "budget global",
                "cout total",
                "cout",
                "cout du projet",
                "montant total",
            ),
            AMOUNT,
        ),
        "cofunders": (
            (
                "cofinanceurs",
                "cofinanceur",
                "cofinanceur s",
                "co-financeurs",
                "financeurs",
                "financeur",
                "partenaires financiers",
                "cofinancements",
            ),
            TEXT,
        ),
        "cofunding": (
            (
                "montant cofinancement",
                "montant du cofinancement",
                "montants cofinancement",
                "subvention",
                "subventions",
                "montant de la subvention",
                "montant subvention",
            ),
            AMOUNT,
        ),
    },
    "payments": {
        "order_number": (
            ("n de mandat", "numero de mandat", "mandat", "n mandat", "n° mandat", "bordereau"),
            TEXT,
        ),
        "budget_line": (
            ("imputation", "imputation budgetaire", "ligne budgetaire", "article", "compte"),
            TEXT,
        ),
        "date": (("date du mandat", "date de paiement", "date de versement", "date"), DATE),
        "beneficiary": (("beneficiaire", "tiers", "destinataire", "fournisseur"), TEXT),
        "amount": (("montant", "montant ttc", "montant ht", "somme", "montant verse"), AMOUNT),
        "currency": (("devise", "monnaie"), CURRENCY),
        "euro_value": (
            (
                "contre-valeur",
                "contre valeur",
                "montant en euros",
                "montant eur",
                "en euros",
                "montant paye en euros",
                "euros payes",
            ),
            AMOUNT,
        ),
        "in_kind": (("en nature", "valorisation", "apport en nature"), YESNO),
        "country": (("pays",), COUNTRY),
        "project": (("projet", "operation", "action"), TEXT),
        "nature": (("nature", "nature de la depense", "type de depense"), TEXT),
        "category": (("categorie apd", "categorie", "categorie d'apd"), TEXT),
        "description": (("objet", "libelle", "designation", "objet de la depense"), TEXT),
    },
    "actors": {
        "name": (
            ("nom", "structure", "organisme", "acteur", "etablissement", "nom de la structure"),
            TEXT,
        ),
        "kind": (("type", "categorie", "type de structure", "nature"), TEXT),
        "description_fr": (("description", "activite", "activites", "objet", "role"), TEXT),
        "street": (("adresse", "rue"), TEXT),
        "postcode": (("code postal", "cp"), TEXT),
        "city": (("ville", "commune", "localite"), TEXT),
        "website": (("site", "site internet", "site web"), TEXT),
        "email": (("courriel", "mail", "e-mail", "email", "adresse electronique"), TEXT),
        "phone": (("telephone", "tel", "tel.", "portable"), TEXT),
        "partnerships": (("partenariats", "jumelages", "partenaires", "jumelage"), TEXT),
        "is_public": (("publie", "public", "en ligne"), YESNO),
    },
    "people": {
        "last_name": (("nom", "nom de famille", "nom d'usage"), TEXT),
        "first_name": (("prenom", "prenoms"), TEXT),
        "kind": (("type", "categorie", "statut"), TEXT),
        "department": (("service", "direction", "service de rattachement", "pole"), TEXT),
        "title": (("fonction", "qualite", "role", "poste", "mandat", "grade"), TEXT),
        "email": (("courriel", "mail", "e-mail", "email", "adresse electronique"), TEXT),
        "phone": (("telephone", "tel", "portable", "mobile", "n de telephone"), TEXT),
        "skills": (
            ("competences", "domaines de competence", "domaine d'expertise", "expertise"),
            TEXT,
        ),
        "languages": (("langues parlees", "langues", "langue", "langues etrangeres"), TEXT),
        "availability": (
            ("disponibilites", "disponibilite", "dispo", "periode de disponibilite"),
            TEXT,
        ),
        "is_volunteer": (("benevole", "volontaire", "volontariat", "agent volontaire"), YESNO),
        "is_public": (("publie", "public", "en ligne"), YESNO),
    },
    "visits": {
        "direction": (
            ("sens", "type de visite", "accueil ou deplacement", "entrante ou sortante"),
            TEXT,
        ),
        "starts_on": (
            (
                "date de depart",
                "du",
                "date de debut",
                "debut",
                "date de la visite",
                "date d'arrivee",
                "arrivee",
            ),
            DATE,
        ),
        "ends_on": (("date de retour", "au", "date de fin", "fin", "retour"), DATE),
        "dates": (("dates", "periode", "date de la mission"), PERIOD),
        "place": (
            (
                "ville",
                "destination",
                "ville partenaire",
                "collectivite",
                "delegation",
                "delegation accueillie",
                "visiteurs",
                "lieu",
            ),
            TEXT,
        ),
        "title_fr": (("intitule", "titre", "nom de la mission"), TEXT),
        "purpose_fr": (
            ("objet", "objet de la visite", "objet de la mission", "motif", "programme"),
            TEXT,
        ),
        "status": (("statut", "etat"), TEXT),
        "participants": (
            ("participants", "membres", "membres de la delegation", "composition"),
            TEXT,
        ),
        "cost": (("cout", "cout total", "montant", "budget", "depenses", "frais"), AMOUNT),
        "mission_order": (("ordre de mission", "ordres de mission", "om"), TEXT),
        "is_public": (("publie", "public", "en ligne"), YESNO),
    },
}
# Headers that name a single kind: one of them is enough to recognise the sheet.
TELLING = {
    "payments": {"order_number", "budget_line", "euro_value"},
    "visits": {"direction", "mission_order", "participants"},
    "people": {"first_name", "languages", "is_volunteer", "availability"},
    "partnerships": {"partner"},
    "projects": {"title_fr", "period"},
    "actors": set(),
    "authorities": {"population", "insee_code", "local_name"},
}
# What a column's values must read as for a field of each kind (text fields take anything).
_READS_AS = {
    DATE: {DATE},
    PERIOD: {DATE},
    YEAR: {DATE, AMOUNT},
    AMOUNT: {AMOUNT},
    COUNTRY: {COUNTRY},
    YESNO: {YESNO},
}
NEAR = 86  # rapidfuzz score from which a header is taken as a near spelling of a synonym
SAMPLE = 30  # values read per column to judge what it holds


@dataclass
class ColumnProposal:
    index: int
    header: str
    field: str | None
    score: float
    why: str  # "header", "near", "values", "remembered" or ""


@dataclass
class SheetProposal:
    sheet: str
    kind: str | None
    columns: list[ColumnProposal] = field(default_factory=list)
    remembered: bool = False

    @property
    def mapping(self) -> dict[int, str]:
        """Column index to field key, for the columns given a field."""
        return {c.index: c.field for c in self.columns if c.field}

    def as_stored(self) -> dict[str, str]:
        return {norm(c.header): c.field or "" for c in self.columns if c.header}


def signature(headers: Iterable[str]) -> str:
    """The shape of a file: its headers as compared, whatever their order."""
    names = sorted({norm(header) for header in headers if header})
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


def _header_key(header: str) -> str:
    key = norm(header).replace("°", " ").replace("*", " ").replace(".", " ")
    key = key.replace("nº", "n ").replace("no ", "n ").replace("numero", "n")
    return " ".join(key.replace("(", " ").replace(")", " ").split())


def _synonyms(kind: str) -> dict[str, tuple[set[str], str]]:
    """The kind's synonyms, with its template's own headers in both languages."""
    from django.utils import translation

    from jumelage.reporting.spreadsheets.imports import IMPORTS

    found = {
        key: ({_header_key(s) for s in words}, what)
        for key, (words, what) in SYNONYMS[kind].items()
    }
    template = IMPORTS.get(kind)
    if template is not None:
        for spec in template.fields:
            words, _what = found.setdefault(spec.key, (set(), TEXT))
            words.add(_header_key(spec.key))
            for language in ("fr", "en"):
                with translation.override(language):
                    words.add(_header_key(str(spec.header)))
    return found


def _template(kind: str) -> Any:
    from jumelage.reporting.spreadsheets.imports import IMPORTS

    return IMPORTS.get(kind)


def _header_score(header: str, words: set[str]) -> tuple[float, str]:
    from rapidfuzz import fuzz, process

    key = _header_key(header)
    if not key:
        return 0.0, ""
    if key in words:
        return 100.0, "header"
    best = process.extractOne(key, list(words), scorer=fuzz.ratio, score_cutoff=NEAR)
    if best is not None:
        return float(best[1]) - 5, "near"
    # "Montant TTC (€)", "Date du mandat de paiement": a synonym as the start of the header.
    for word in sorted(words, key=len, reverse=True):
        if len(word) >= 4 and (key.startswith(word + " ") or key.endswith(" " + word)):
            return 80.0, "near"
    return 0.0, ""


def _profile(table: Table, index: int, countries: Callable[[Any], str | None]) -> str | None:
    """What a column's values are, when most of a sample agrees: dates, amounts, countries,
    yes/no; None for text or a mix."""
    sample = [cells[index] for _n, cells in table.rows if index < len(cells)]
    sample = [value for value in sample if value is not None][:SAMPLE]
    if not sample:
        return None
    for what, parse in (
        (YESNO, values.boolean),
        (DATE, values.read_date),
        (AMOUNT, values.amount),
        (COUNTRY, countries),
    ):
        if what == DATE and all(isinstance(v, int | float) for v in sample):
            continue  # numbers are amounts, unless the header says dates
        if what == YESNO and all(isinstance(v, int | float) for v in sample):
            continue
        read = 0
        for value in sample:
            try:
                if parse(value) is not None:
                    read += 1
            except CellProblem:
                pass
        if read >= max(1, 0.8 * len(sample)):
            return what
    return None


def _country_finder() -> Callable[[Any], str | None]:
    try:
        finder = values.Countries()
    except Exception:  # no country table (a fresh instance): no country column by its values
        return lambda value: None
    return lambda value: finder.find(value) if isinstance(value, str) else None


def propose_kind(headers: Sequence[str]) -> str | None:
    """The kind of record whose synonyms name the most columns; a telling header counts
    double ("N° de mandat" says payments). None when fewer than two columns are named."""
    best: tuple[float, str] | None = None
    for kind in SYNONYMS:
        synonyms = _synonyms(kind)
        score = 0.0
        named = 0
        for key, (words, _what) in synonyms.items():
            found = max((_header_score(h, words)[0] for h in headers), default=0)
            if found:
                named += 1
                score += found * (2 if key in TELLING.get(kind, set()) else 1)
        if named >= 2 and (best is None or score > best[0]):
            best = (score, kind)
    return best[1] if best else None


def propose(
    table: Table, *, kind: str | None = None, remembered: dict[str, str] | None = None
) -> SheetProposal:
    """The kind of the sheet (unless given) and a field for each column."""
    if remembered is not None:
        columns = [
            ColumnProposal(index, header, remembered.get(norm(header)) or None, 100, "remembered")
            for index, header in enumerate(table.headers)
        ]
        return SheetProposal(table.sheet, kind, columns, remembered=True)
    kind = kind or propose_kind(table.headers)
    proposal = SheetProposal(table.sheet, kind)
    if kind is None:
        proposal.columns = [ColumnProposal(i, h, None, 0, "") for i, h in enumerate(table.headers)]
        return proposal
    synonyms = _synonyms(kind)
    countries = _country_finder()
    profiles = {index: _profile(table, index, countries) for index in range(len(table.headers))}
    filled = {
        index
        for _number, cells in table.rows
        for index, value in enumerate(cells)
        if value is not None
    }
    # Fields several columns take, by the shape of their headers ("Budget 2025"): each such
    # column is that field, whatever the synonyms say.
    template = _template(kind)
    by_pattern = {
        index: spec.key
        for index, header in enumerate(table.headers)
        for spec in (template.fields if template is not None else ())
        if header and spec.takes_header(header)
    }
    candidates: list[tuple[float, int, str, str]] = []
    for index, header in enumerate(table.headers):
        if index in by_pattern:
            continue
        for key, (words, what) in synonyms.items():
            score, why = _header_score(header, words)
            profile = profiles[index]
            if profile is not None and profile in _READS_AS.get(what, ()):
                # The values agree with the header: ahead of a field of another kind.
                score, why = (score + 10, why) if score else (50.0, "values")
            elif what in _READS_AS and index in filled and score:
                score -= 45  # the values say otherwise ("Date" over a column of names)
            if score > 0:
                candidates.append((score, index, key, why))
    taken_fields: set[str] = set()
    chosen: dict[int, tuple[str, float, str]] = {}
    for score, index, key, why in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if index in chosen or key in taken_fields or score < 45:
            continue
        chosen[index] = (key, score, why)
        taken_fields.add(key)
    for index, key in by_pattern.items():
        chosen[index] = (key, 100.0, "header")
    for index, header in enumerate(table.headers):
        if index in chosen:
            key, score, why = chosen[index]
            proposal.columns.append(ColumnProposal(index, header, key, score, why))
        else:
            proposal.columns.append(ColumnProposal(index, header, None, 0.0, ""))
    return proposal


# --- Remembered mappings -------------------------------------------------------------------------


def remembered_mapping(member: Any, headers: Sequence[str]) -> tuple[str, dict[str, str]] | None:
    """(kind, mapping) the authority used for a file with these headers, if any."""
    from jumelage.reporting.models import ColumnMapping

    found = (
        ColumnMapping.objects.filter(authority=member, signature=signature(headers))
        .only("kind", "mapping")
        .first()
    )
    return (found.kind, dict(found.mapping)) if found else None


def remember_mapping(
    *, member: Any, user: Any, proposal: SheetProposal, headers: Sequence[str]
) -> Any:
    """Record (or update) the authority's mapping for files of this shape, through the one
    write path (version, audit)."""
    from jumelage.reporting.models import ColumnMapping
    from jumelage.tenancy.services import locked_version, save_owned

    shape = signature(headers)
    instance = ColumnMapping.objects.filter(authority=member, signature=shape).first()
    if instance is None:
        instance = ColumnMapping(authority=member, signature=shape)
    stored = proposal.as_stored()
    if instance.pk and instance.kind == proposal.kind and instance.mapping == stored:
        return instance
    instance.kind = proposal.kind or ""
    instance.headers = [header for header in headers if header]
    instance.mapping = stored
    # Written by the import itself, not from a page: the version it has just read.
    return save_owned(instance, user=user, expected_version=locked_version(instance))
