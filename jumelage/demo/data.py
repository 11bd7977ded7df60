"""The demonstration data: Suresnes (facts from its public page, domain guide §6) and a fictional
second authority.

Names used as natural keys (slugs, proper names, numbers) are fixed strings, so that a second
run finds what the first one wrote whatever the language. Other single-language texts go
through gettext (English source) and are stored in the instance's language. Texts in several
languages (introductions, titles, summaries) are given in French and English.

Facts carry `is_example=False`; everything invented (projects, amounts, exact dates, decision
numbers, staff) carries `is_example=True` and says "example" / "exemple" where a reader sees it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _


def t(fr: str, en: str) -> dict[str, str]:
    """A text in French and English, for a TranslatedField."""
    return {"fr": fr, "en": en}


def d(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def dec(value: str) -> Decimal:
    return Decimal(value)


# --- Reference rows the demo needs (created only when `load_reference` is not available) ----

COUNTRY_CODES = ("FR", "GB", "DE", "IL", "RS", "AT", "ES", "HT")
EU_MEMBERS = {"FR", "DE", "AT", "ES"}
ATLAS_THEME_CODES = ("1.1.1", "1.1.2", "4.2.2", "4.3.2", "5.1.3")

# --- Users ---------------------------------------------------------------------------------

SURESNES_SLUG = "suresnes"
SECOND_SLUG = "villebelle-sur-loire"

# (username, member authority slug, role); `admin` is also the instance's superuser.
USERS = (
    ("admin", SURESNES_SLUG, "admin"),
    ("officer", SURESNES_SLUG, "officer"),
    ("viewer", SURESNES_SLUG, "viewer"),
    ("officer2", SECOND_SLUG, "officer"),
)
# An authority always keeps an administrator (tenancy.members.services): the superuser administers
# the fictional authority too.
EXTRA_MEMBERSHIPS = (("admin", SECOND_SLUG, "admin"),)

# --- Suresnes --------------------------------------------------------------------------------

SURESNES = {
    "name": "Suresnes",
    "country": "FR",
    "kind": "municipality",
    "region_name": "Hauts-de-Seine",
    # SIREN of the commune (Luhn-valid) and its INSEE code: hence the IATI id FR-RCS-219200730.
    "siren": "219200730",
    "insee_code": "92073",
    "latitude": dec("48.8711"),
    "longitude": dec("2.2289"),
}

SURESNES_MEMBER = {
    "service_name": "Actions internationales",
    "street": "22 rue des Carrières",
    "postcode": "92150",
    "city": "Suresnes",
    "phone": "01 42 04 96 77",
    "introduction": t(
        "Depuis plus de cinquante ans, Suresnes tisse des liens avec des villes d'Europe et du "
        "monde. Six jumelages la relient à Hackney, Hann. Münden, Holon, Kragujevac, Villach et "
        "Colmenar Viejo ; avec Kragujevac et Cap-Haïtien, elle mène aussi une coopération "
        "décentralisée : des projets construits avec les partenaires, qui mobilisent élus, "
        "agents, établissements scolaires, hôpital et clubs service de la ville.",
        "For more than fifty years Suresnes has built ties with towns in Europe and beyond. Six "
        "twinnings link it to Hackney, Hann. Münden, Holon, Kragujevac, Villach and Colmenar "
        "Viejo; with Kragujevac and Cap-Haïtien it also runs decentralised cooperation: projects "
        "designed together with the partners, drawing on the city's elected officials, staff, "
        "schools, hospital and service clubs.",
    ),
    "goals": t(
        "Contribuer à un développement local durable, hier au titre des Objectifs du millénaire "
        "pour le développement, aujourd'hui des Objectifs de développement durable ; faire "
        "progresser la démocratie en renforçant la gouvernance locale ; faire vivre la "
        "francophonie ; démultiplier chaque euro engagé par la ville en associant l'Union "
        "européenne, le ministère des Affaires étrangères, l'AFD, la Banque mondiale et d'autres "
        "collectivités, pour un effet levier auprès des bailleurs internationaux.",
        "Support sustainable local development, first under the Millennium Development Goals "
        "and now under the Sustainable Development Goals; advance democracy by strengthening "
        "local governance; keep the French language and the French-speaking world alive; "
        "multiply each euro the city commits by bringing in the European Union, the Ministry of "
        "Foreign Affairs, AFD, the World Bank and other local authorities, for leverage on "
        "international donors.",
    ),
}

# (weekday 0 = Monday, opens, closes)
SURESNES_OPENING_HOURS = (
    *((day, "09:00", "12:30") for day in range(4)),
    *((day, "13:30", "18:00") for day in range(4)),
    (4, "09:00", "12:30"),
    (4, "13:30", "17:00"),
)

# The six twin towns. Years of twinning are not on the city's page: left empty.
TWINNINGS: tuple[dict[str, Any], ...] = (
    {
        "name": "Hackney",
        "country": "GB",
        "region_name": "England",
        "latitude": dec("51.5450"),
        "longitude": dec("-0.0550"),
    },
    {
        "name": "Hann. Münden",
        "country": "DE",
        "latitude": dec("51.4167"),
        "longitude": dec("9.6500"),
    },
    {
        "name": "Holon",
        "country": "IL",
        "local_name": "חולון",
        "local_name_language": "he",
        "latitude": dec("32.0103"),
        "longitude": dec("34.7792"),
    },
    {
        "name": "Kragujevac",
        "country": "RS",
        "local_name": "Крагујевац",
        "local_name_language": "sr",
        "latitude": dec("44.0167"),
        "longitude": dec("20.9167"),
    },
    {"name": "Villach", "country": "AT", "latitude": dec("46.6103"), "longitude": dec("13.8558")},
    {
        "name": "Colmenar Viejo",
        "country": "ES",
        "latitude": dec("40.6591"),
        "longitude": dec("-3.7676"),
    },
)

CAP_HAITIEN = {
    "name": "Cap-Haïtien",
    "country": "HT",
    "kind": "municipality",
    "latitude": dec("19.7578"),
    "longitude": dec("-72.2042"),
}

KRAGUJEVAC_COOPERATION = {
    "title": t(
        "Coopération décentralisée Suresnes – Kragujevac",  # noqa: RUF001
        "Suresnes – Kragujevac decentralised cooperation",  # noqa: RUF001
    ),
    "summary": t(
        "En plus du jumelage, Suresnes et Kragujevac (Serbie) conduisent ensemble des projets "
        "de coopération.",
        "Besides their twinning, Suresnes and Kragujevac (Serbia) carry out cooperation "
        "projects together.",
    ),
    "history": t(
        "La coopération a commencé après le conflit en ex-Yougoslavie.",
        "The cooperation began after the conflict in the former Yugoslavia.",
    ),
}

CAP_HAITIEN_COOPERATION: dict[str, Any] = {
    "title": t(
        "Coopération décentralisée Suresnes – Cap-Haïtien",  # noqa: RUF001
        "Suresnes – Cap-Haïtien decentralised cooperation",  # noqa: RUF001
    ),
    "started_year": 1998,
    "main_theme": "1.1.1",
    "summary": t(
        "Gouvernance locale et appui institutionnel : Suresnes et Cap-Haïtien (Haïti) "
        "renforcent ensemble les services de la commune haïtienne.",
        "Local governance and institutional support: Suresnes and Cap-Haïtien (Haiti) work "
        "together to strengthen the Haitian town's public services.",
    ),
    "history": t(
        "Un protocole de coopération signé en 1998 a été renouvelé en juillet 2018.",
        "A cooperation protocol signed in 1998 was renewed in July 2018.",
    ),
}

# Council decisions approving the Cap-Haïtien protocols. The acts (1998, renewed July 2018)
# are facts; the numbers and exact days are invented, so the records are examples.
CAP_HAITIEN_DECISIONS: tuple[dict[str, Any], ...] = (
    {
        "number": "1998-042",
        "date": d("1998-03-26"),
        "transmitted_on": d("1998-04-02"),
        "enforceable_on": d("1998-04-02"),
        "subject": _(
            "Approval of the cooperation protocol with the town of Cap-Haïtien (Haiti). "
            "Example: the number and dates of this decision are invented."
        ),
    },
    {
        "number": "2018-117",
        "date": d("2018-06-27"),
        "transmitted_on": d("2018-07-03"),
        "enforceable_on": d("2018-07-03"),
        "subject": _(
            "Approval of the renewal of the cooperation protocol with the town of Cap-Haïtien "
            "(Haiti). Example: the number and dates of this decision are invented."
        ),
    },
)

CAP_HAITIEN_SIGNATORIES = _("The mayor of Suresnes and the mayor of Cap-Haïtien")

CAP_HAITIEN_AGREEMENTS: tuple[dict[str, Any], ...] = (
    {
        "decision": "1998-042",
        "title": t(
            "Protocole de coopération Suresnes – Cap-Haïtien (1998)",  # noqa: RUF001
            "Suresnes – Cap-Haïtien cooperation protocol (1998)",  # noqa: RUF001
        ),
        "object": _(
            "Cooperation between the two towns in local governance and support to the "
            "institutions of Cap-Haïtien. Example wording."
        ),
        "forecast_commitment": dec("15000.00"),
        "signed_on": d("1998-05-14"),
        "transmitted_on": d("1998-05-20"),
        "starts_on": d("1998-05-14"),
        "ends_on": d("2018-07-15"),
        "status": "expired",
    },
    {
        "decision": "2018-117",
        "renews": "1998-042",
        "title": t(
            "Renouvellement du protocole de coopération Suresnes – Cap-Haïtien (2018)",  # noqa: RUF001
            "Renewal of the Suresnes – Cap-Haïtien cooperation protocol (2018)",  # noqa: RUF001
        ),
        "object": _(
            "Renewed cooperation in local governance and institutional support: civil "
            "registration, training of elected officials and staff, exchanges between schools. "
            "Example wording."
        ),
        "forecast_commitment": dec("60000.00"),
        "signed_on": d("2018-07-16"),
        "transmitted_on": d("2018-07-20"),
        "starts_on": d("2018-07-16"),
        "status": "enforceable",
    },
)

# --- Directory: co-funders and a call for projects --------------------------------------------

# IATI organisation ids only where known (IATI guide §6: AFD FR-3, foreign affairs FR-6, both
# legacy ids still in use; the World Bank publishes as 44000). The EU has several: left empty.
FUNDERS: tuple[dict[str, Any], ...] = (
    {
        "name": "Union européenne",
        "acronym": "UE",
        "iati_org_type": "40",
        "iati_org_id": "",
        "country": None,
    },
    {
        "name": "Ministère de l'Europe et des Affaires étrangères",
        "acronym": "MEAE",
        "iati_org_type": "10",
        "iati_org_id": "FR-6",
        "country": "FR",
    },
    {
        "name": "Agence française de développement",
        "acronym": "AFD",
        "iati_org_type": "10",
        "iati_org_id": "FR-3",
        "country": "FR",
    },
    {
        "name": "Banque mondiale",
        "acronym": "",
        "iati_org_type": "40",
        "iati_org_id": "44000",
        "country": None,
    },
)
MEAE = "Ministère de l'Europe et des Affaires étrangères"
AFD = "Agence française de développement"

# The MEAE call of 2025 with its rules (domain guide §4); its dates are not known: left empty.
MEAE_CALL = {
    "funder": MEAE,
    "title": "Appel à projets de soutien à la coopération décentralisée",
    "year": 2025,
    "max_rate_ldc": dec("70"),
    "max_rate_oda": dec("50"),
    "max_rate_non_oda": dec("30"),
    "max_rate_multi_country": dec("60"),
    "min_own_share": dec("10"),
    "max_in_kind_of_own_share": dec("50"),
    # "French authorities bring at least 10 %": the lines of French authorities co-funding
    # the project count with the city's own.
    "own_share_counts": "french_authorities",
    "cash_only": True,
    "final_instalment_percent": dec("20"),
    "requirements": _(
        "Paid in annual instalments, the last 20 % after the final report. Applying requires "
        "the ODA declaration of the authority to be made and earlier reports to be filed."
    ),
}

# --- Networks, labels, people ------------------------------------------------------------------

HAITI_GROUP = "Groupe pays Haïti de Cités Unies France"
NORTH_HAITI_PLATFORM = "Plateforme des acteurs français du Nord d'Haïti"

NETWORKS: tuple[dict[str, Any], ...] = (
    {
        "name": HAITI_GROUP,
        "kind": "country_group",
        "founded_year": 2008,
        "is_animator": False,
        "countries": ("HT",),
        "description": t(
            "Groupe des collectivités françaises engagées en Haïti au sein de Cités Unies "
            "France, créé en 2008 à l'initiative du maire de Suresnes, qui le préside.",
            "The group of French local authorities working in Haiti within Cités Unies France, "
            "founded in 2008 on the initiative of the mayor of Suresnes, who chairs it.",
        ),
        "member_role": _("chair (the mayor of Suresnes)"),
        "member_since": 2008,
    },
    {
        "name": NORTH_HAITI_PLATFORM,
        "kind": "platform",
        "founded_year": None,
        "is_animator": True,
        "countries": ("HT",),
        "description": t(
            "Plateforme qui rassemble les acteurs français engagés dans le nord d'Haïti ; "
            "Suresnes l'anime.",
            "A platform that brings together the French actors working in northern Haiti; "
            "Suresnes animates it.",
        ),
        "member_role": _("animator"),
        "member_since": None,
    },
)

LABELS = (
    {
        "kind": "label",
        "name": "PACT2",
        "granted_by": _("Ministry of Foreign Affairs"),
        "ended_year": None,
        "description": t(
            "Label du ministère des Affaires étrangères reconnaissant l'expertise de la ville "
            "en coopération décentralisée (programme PACT2).",
            "A label of the Ministry of Foreign Affairs recognising the city's expertise in "
            "decentralised cooperation (PACT2 programme).",
        ),
    },
    {
        "kind": "membership",
        "name": "Commission nationale de la coopération décentralisée (CNCD)",
        "granted_by": "",
        "ended_year": 2014,
        "description": t(
            "Suresnes a siégé à la commission nationale de la coopération décentralisée "
            "jusqu'en 2014.",
            "Suresnes sat on the national commission for decentralised cooperation until 2014.",
        ),
    },
)

# Elected officials, as the city's page presents them (dates of mandates not given there).
OFFICIALS: tuple[dict[str, Any], ...] = (
    {
        "first_name": "Christian",
        "last_name": "Dupuy",
        "title": _("Mayor"),
        "positions": (
            (_("Vice-president"), _("Departmental council of Hauts-de-Seine"), None),
            (
                _("Member of the World Council"),
                _("United Cities and Local Governments (UCLG)"),
                None,
            ),
            (_("Chair of the Haiti country group"), "Cités Unies France", HAITI_GROUP),
        ),
    },
    {
        "first_name": "Jean-Louis",
        "last_name": "Testud",
        "title": _("Deputy mayor for international relations and decentralised cooperation"),
        "positions": (
            # "Since July 2014": the model keeps a day, which the source does not give.
            (_("Secretary general (since July 2014)"), "Cités Unies France", None),
            (
                _("Member"),
                _("Congress of Local and Regional Authorities of the Council of Europe"),
                None,
            ),
        ),
    },
)

# Staff volunteers: invented people with obviously fictional names.
STAFF_VOLUNTEERS: tuple[dict[str, Any], ...] = (
    {
        "first_name": "Claire",
        "last_name": "Démo",
        "department": _("Civil registration (example)"),
        "skills": ("État civil", "Archivage"),
        "themes": ("1.1.2",),
        "availability": _("Two weeks a year for missions abroad (example)"),
        "daily_rate": dec("250.00"),
    },
    {
        "first_name": "Karim",
        "last_name": "Exemple",
        "department": _("Early childhood (example)"),
        "skills": ("Petite enfance", "Gestion de projet"),
        "themes": ("4.3.2", "4.2.2"),
        "availability": _("One day a month (example)"),
        "daily_rate": dec("230.00"),
    },
)

# Local actors mobilised for Cap-Haïtien (names as the city's page gives them).
CAP_HAITIEN_ACTORS = (
    (
        "Collège Jean Macé",
        "school",
        t("Collège de Suresnes.", "A lower secondary school of Suresnes."),
    ),
    (
        "Collège Émile Zola",
        "school",
        t("Collège de Suresnes.", "A lower secondary school of Suresnes."),
    ),
    (
        "Lycée professionnel Louis Blériot",
        "school",
        t("Lycée professionnel de Suresnes.", "A vocational upper secondary school of Suresnes."),
    ),
    (
        "Clubs service de Suresnes",
        "service_club",
        t("Clubs service de la ville.", "The town's service clubs."),
    ),
    ("Hôpital Foch", "hospital", t("Hôpital de Suresnes.", "A hospital of Suresnes.")),
    (
        "INSHEA",
        "university",
        t(
            "Institut national pour l'éducation des jeunes handicapés.",
            "The national institute for the education of young people with disabilities.",
        ),
    ),
    (
        "SIPFP",
        "school",
        t(
            "Section d'initiation et de première formation professionnelle.",
            "A section for first vocational training.",
        ),
    ),
)

# Delegations hosted (dates not public: left empty).
VISITS: tuple[dict[str, Any], ...] = (
    {
        "other_party": "Délégation de la Polynésie française",
        "theme": "4.3.2",
        "title": t(
            "Une délégation de Polynésie française à la Maison de la petite enfance",
            "A delegation from French Polynesia at the early childhood centre",
        ),
        "purpose": t(
            "Partager les bonnes pratiques de la ville en matière d'accueil de la petite "
            "enfance ; visite de la Maison de la petite enfance.",
            "Sharing the city's good practice in early childhood care; visit of the early "
            "childhood centre (Maison de la petite enfance).",
        ),
    },
    {
        "other_party": "Délégation chinoise",
        "theme": "5.1.3",
        "title": t(
            "Une délégation chinoise découvre la politique culturelle de Suresnes",
            "A Chinese delegation learns about the cultural policy of Suresnes",
        ),
        "purpose": t(
            "Présenter la politique culturelle de la ville ; visite de la médiathèque.",
            "Presenting the city's cultural policy; visit of the media library (médiathèque).",
        ),
    },
)

# --- Example projects (invented, is_example=True) ----------------------------------------------

# Expense lines: (label, category, amount, in kind). Resource lines: (label, funder name or None
# for the city's own money, amount, in kind, status, linked to the MEAE application).
PROJECTS = (
    {
        "slug": "etat-civil-cap-haitien-exemple",
        "partnerships": (("Cap-Haïtien", "cooperation"),),
        "title": t(
            "Appui à l'état civil de Cap-Haïtien (exemple)",
            "Civil registration support in Cap-Haïtien (example)",
        ),
        "summary": t(
            "Exemple de projet, inventé pour la démonstration : former les officiers d'état "
            "civil de Cap-Haïtien et numériser les registres des naissances.",
            "An example project, invented for the demonstration: training the civil registrars "
            "of Cap-Haïtien and digitising the birth registers.",
        ),
        "description": t(
            "Les agents du service de l'état civil de Suresnes et leurs collègues de "
            "Cap-Haïtien construisent ensemble des procédures, un plan de formation et un outil "
            "d'archivage. Exemple inventé pour la démonstration.",
            "Staff of the Suresnes civil registration service and their colleagues in "
            "Cap-Haïtien design procedures, a training plan and an archiving tool together. An "
            "example invented for the demonstration.",
        ),
        "objectives": t(
            "Que chaque naissance à Cap-Haïtien soit enregistrée et que chacun puisse obtenir "
            "un acte.",
            "That every birth in Cap-Haïtien is registered and that everyone can obtain a "
            "certificate.",
        ),
        "places": "Cap-Haïtien",
        "atlas_theme": "1.1.2",
        "sdg_targets": ["16.9", "16.6"],
        "sector": "15112",
        "country": "HT",
        "status": "running",
        "planned_start": d("2025-01-01"),
        "planned_end": d("2026-12-31"),
        "actual_start": d("2025-02-03"),
        "actual_end": None,
        "is_public": True,
        "plan_title": _("Financing plan 2025–2026 (example)"),  # noqa: RUF001
        # (label, category, amount, in kind, year): a multi-year project budgets each year,
        # as its IATI file states one budget per year.
        "expenses": (
            (_("Staff time of the civil registration service"), "staff", "6000.00", True, 2025),
            (_("Missions between Suresnes and Cap-Haïtien"), "travel", "9000.00", False, 2026),
            (_("Register equipment and archiving"), "equipment", "25000.00", False, 2025),
            (_("Training of civil registrars"), "training", "20000.00", False, 2026),
        ),
        "resources": (
            (_("City of Suresnes, cash"), None, "12000.00", False, "granted", False),
            (_("City of Suresnes, staff time"), None, "6000.00", True, "granted", False),
            ("", MEAE, "30000.00", False, "granted", True),
            ("", AFD, "12000.00", False, "requested", False),
        ),
        "application": {
            "amount_requested": dec("30000.00"),
            "submitted_on": d("2025-01-15"),
            "decided_on": d("2025-04-30"),
            "amount_granted": dec("30000.00"),
            "notes": _("Example application, invented for the demonstration."),
            # (rank, amount, due on, condition, received on)
            "instalments": (
                (1, "12000.00", d("2025-06-30"), _("First annual instalment"), d("2025-07-15")),
                (2, "12000.00", d("2026-06-30"), _("Second annual instalment"), d("2026-07-10")),
                (3, "6000.00", None, _("Final 20 %, after the final report"), None),
            ),
            # (kind, due on, submitted on)
            "reports": (
                ("interim", d("2026-03-31"), d("2026-03-25")),
                ("final", d("2027-03-31"), None),
            ),
        },
        # Disbursements from the city's own funds, in 2025: official development assistance,
        # category 1 (cooperation projects), the development of Cap-Haïtien being the main
        # objective, as recorded on the project.
        "oda_purpose": "development",
        "oda_category": 1,
        "flow_type": "10",
        "channel": "12002",  # CRS channel: local government of the recipient country
        "receiver": "Commune de Cap-Haïtien",
        "is_subsidy": True,
        "transactions": (
            (d("2025-03-14"), "4000.00", _("Training sessions for civil registrars (example)")),
            (d("2025-06-20"), "3000.00", _("Archiving equipment (example)")),
            (d("2025-11-05"), "5000.00", _("Digitisation of birth registers (example)")),
        ),
        "results": (
            {
                "type": "1",
                "title": t("Officiers d'état civil formés", "Civil registrars trained"),
                "indicator": t(
                    "Nombre d'officiers d'état civil formés", "Number of civil registrars trained"
                ),
                "measure": "1",
                "baseline": (2024, "0"),
                # (starts on, ends on, target, actual)
                "periods": (
                    (d("2025-01-01"), d("2025-12-31"), "20", "14"),
                    (d("2026-01-01"), d("2026-12-31"), "20", None),
                ),
            },
            {
                "type": "2",
                "title": t("Registres des naissances numérisés", "Birth registers digitised"),
                "indicator": t(
                    "Part des registres de naissance numérisés",
                    "Share of birth registers digitised",
                ),
                "measure": "2",
                "baseline": (2024, "10"),
                "periods": ((d("2025-01-01"), d("2025-12-31"), "40", "35"),),
            },
        ),
        "news": {
            "slug": "formation-officiers-etat-civil-exemple",
            "published_on": d("2025-03-21"),
            "title": t(
                "Première session de formation des officiers d'état civil (exemple)",
                "First training session for civil registrars (example)",
            ),
            "body": t(
                "Exemple d'actualité inventé pour la démonstration : quatorze officiers d'état "
                "civil de Cap-Haïtien ont suivi une semaine de formation avec une agente de "
                "Suresnes.",
                "An example news item invented for the demonstration: fourteen civil "
                "registrars of Cap-Haïtien took a week of training with a member of staff from "
                "Suresnes.",
            ),
        },
        "document": {
            "url": "https://example.org/jumelage-demo/etat-civil-cap-haitien-rapport-2025.pdf",
            "title": t("Rapport intermédiaire 2025 (exemple)", "Interim report 2025 (example)"),
            "category": "A07",
            "date": d("2026-03-25"),
        },
        "agreement_decision": "2018-117",
        "mission": {
            "person": "Démo",
            "description": _("Training of civil registrars in Cap-Haïtien (example)"),
            "started_on": d("2025-03-10"),
            "ended_on": d("2025-03-21"),
            "days": dec("10"),
        },
        "visit": {
            "title": t(
                "Mission d'une agente de l'état civil à Cap-Haïtien (exemple)",
                "A civil registration officer's mission to Cap-Haïtien (example)",
            ),
            "purpose": t(
                "Former les officiers d'état civil de Cap-Haïtien (exemple).",
                "Training the civil registrars of Cap-Haïtien (example).",
            ),
            "starts_on": d("2025-03-10"),
            "ends_on": d("2025-03-21"),
            "mission_order": "OM-2025-014",
            "programme": (
                (
                    d("2025-03-11"),
                    "Mairie de Cap-Haïtien",
                    _("Working session with the civil registry (example)"),
                ),
                (
                    d("2025-03-13"),
                    "Mairie de Cap-Haïtien",
                    _("First training day for civil registrars (example)"),
                ),
            ),
            "cost": (_("Air travel (example)"), dec("1400.00")),
        },
    },
    {
        "slug": "echange-scolaire-kragujevac-exemple",
        "partnerships": (("Kragujevac", "twinning"), ("Kragujevac", "cooperation")),
        "title": t(
            "Échange scolaire avec Kragujevac (exemple)",
            "School exchange with Kragujevac (example)",
        ),
        "summary": t(
            "Exemple de projet, inventé pour la démonstration : des élèves de Suresnes et de "
            "Kragujevac se rendent visite et travaillent sur un projet commun.",
            "An example project, invented for the demonstration: pupils from Suresnes and "
            "Kragujevac visit each other and work on a joint project.",
        ),
        "description": t(
            "Deux classes préparent à distance un projet commun, puis se rencontrent une "
            "semaine dans chaque ville. Exemple inventé pour la démonstration.",
            "Two classes prepare a joint project remotely, then spend a week together in each "
            "town. An example invented for the demonstration.",
        ),
        "objectives": t(
            "Faire découvrir aux élèves la culture de l'autre ville et les former à la "
            "citoyenneté européenne.",
            "Help pupils discover the other town's culture and learn about European citizenship.",
        ),
        "places": "Suresnes, Kragujevac",
        "atlas_theme": "4.2.2",
        "sdg_targets": ["4.7"],
        "sector": "11260",
        "country": "RS",
        "status": "completed",
        "planned_start": d("2025-01-06"),
        "planned_end": d("2025-06-30"),
        "actual_start": d("2025-01-06"),
        "actual_end": d("2025-06-27"),
        "is_public": True,
        "plan_title": _("Financing plan 2025 (example)"),
        "expenses": (
            (_("Travel and stay of the pupils"), "travel", "12000.00", False),
            (_("Joint project workshops"), "training", "3000.00", False),
            (_("Closing exhibition"), "communication", "3000.00", False),
            (_("Teachers' and staff time"), "staff", "2000.00", True),
        ),
        "resources": (
            (_("City of Suresnes, cash"), None, "10000.00", False, "granted", False),
            (_("City of Suresnes, staff time"), None, "2000.00", True, "granted", False),
            ("", MEAE, "8000.00", False, "granted", True),
        ),
        "application": {
            "amount_requested": dec("8000.00"),
            "submitted_on": d("2024-12-13"),
            "decided_on": d("2025-03-14"),
            "amount_granted": dec("8000.00"),
            "notes": _("Example application, invented for the demonstration."),
            "instalments": (
                (1, "6400.00", d("2025-04-30"), _("Annual instalment"), d("2025-05-12")),
                (2, "1600.00", None, _("Final 20 %, after the final report"), d("2026-02-10")),
            ),
            "reports": (("final", d("2025-12-31"), d("2025-12-15")),),
        },
        # A school exchange of a twinning: its main objective is the pupils' discovery of the
        # other town, not the development of Serbia, so it is not official development
        # assistance (OECD test of the main objective), whatever Serbia's place on the DAC list.
        # Its payments carry no ODA category, and flow type 21 (IATI FlowType "Non-export
        # credit OOF": other official flows, official transactions that do not meet the ODA
        # criteria; 20 was withdrawn in 2015).
        "oda_purpose": "other",
        "oda_category": None,
        "flow_type": "21",
        "channel": "",
        "receiver": "",
        "is_subsidy": False,
        "transactions": (
            (d("2025-04-10"), "6000.00", _("Travel of the pupils to Kragujevac (example)")),
            (d("2025-05-20"), "4000.00", _("Stay and workshops (example)")),
        ),
        "results": (
            {
                "type": "1",
                "title": t(
                    "Élèves ayant participé à l'échange", "Pupils taking part in the exchange"
                ),
                "indicator": t("Nombre d'élèves", "Number of pupils"),
                "measure": "1",
                "baseline": (2024, "0"),
                "periods": ((d("2025-01-01"), d("2025-06-30"), "24", "22"),),
            },
        ),
        "news": {
            "slug": "eleves-kragujevac-suresnes-exemple",
            "published_on": d("2025-05-23"),
            "title": t(
                "Des élèves de Kragujevac accueillis à Suresnes (exemple)",
                "Pupils from Kragujevac welcomed in Suresnes (example)",
            ),
            "body": t(
                "Exemple d'actualité inventé pour la démonstration : une classe de Kragujevac a "
                "passé une semaine à Suresnes pour préparer l'exposition commune.",
                "An example news item invented for the demonstration: a class from Kragujevac "
                "spent a week in Suresnes preparing the joint exhibition.",
            ),
        },
    },
)

# --- The fictional second authority ------------------------------------------------------------

SECOND = {
    "name": "Villebelle-sur-Loire",
    "country": "FR",
    "kind": "municipality",
}
SECOND_MEMBER = {
    "service_name": _("International relations"),
    "city": "Villebelle-sur-Loire",
    "introduction": t(
        "Villebelle-sur-Loire est une commune fictive, créée pour la démonstration : ses "
        "données sont privées et montrent qu'une collectivité ne voit pas celles d'une autre.",
        "Villebelle-sur-Loire is a fictional town, made up for the demonstration: its records "
        "are private and show that one authority does not see another's.",
    ),
}
SECOND_PARTNER = {
    "name": "Fiktivstadt",
    "country": "DE",
    "kind": "municipality",
}
SECOND_PARTNERSHIP_SUMMARY = t(
    "Jumelage fictif, inventé pour la démonstration.",
    "A fictional twinning, invented for the demonstration.",
)
SECOND_ACTOR = {
    "name": "Comité de jumelage de Villebelle",
    "kind": "twinning_committee",
    "description": t(
        "Comité de jumelage fictif (exemple).", "A fictional twinning committee (example)."
    ),
}
SECOND_PROJECT: dict[str, Any] = {
    "slug": "rencontre-jeunes-fiktivstadt-exemple",
    "title": t(
        "Rencontre de jeunes Villebelle – Fiktivstadt (exemple)",  # noqa: RUF001
        "Villebelle – Fiktivstadt youth meeting (example)",  # noqa: RUF001
    ),
    "summary": t(
        "Exemple de projet privé d'une collectivité fictive.",
        "An example private project of a fictional authority.",
    ),
    "atlas_theme": "4.2.2",
    "role_description": _("Organises the stay of the young guests (example)"),
}
