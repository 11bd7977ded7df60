"""Fill an empty database with a synthetic national dataset (domain guide §5), for benchmarks.

Every record is invented and marked so: names like "Commune synthétique 0001", member
authorities with `is_demo`, owned records with `is_example`. Rows are written with
`bulk_create`, so a full national dataset takes seconds, not hours.

    .venv/bin/python bench/generate.py                 # national scale, bench/var/bench.sqlite3
    .venv/bin/python bench/generate.py --scale 0.1     # a tenth of it
    DATABASE_URL=postgres://... .venv/bin/python bench/generate.py

It refuses to write into a database that already holds authorities or projects: start from a
new file (or an empty database).

The first member authority, "Commune synthétique 0001" (`BENCH_SLUG`), is the one the benchmarks
read: a large city that holds a fixed share of the national data (1 500 projects and 500
partnerships at scale 1), so that what it shows grows with --scale.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
VAR = BENCH_DIR / "var"

BENCH_SLUG = "commune-synthetique-0001"
OFFICER = "bench-officer"
SUPERUSER = "bench-admin"
ODA_YEAR = 2024  # the year of flows the ODA benchmark declares

# Counts at scale 1 (domain guide §5): 4 800 French authorities, 10 000 foreign partners,
# 12 700 partnerships or projects.
PARTNERS = 10_000
PARTNERSHIPS = 6_700
PROJECTS = 6_000
# The share of the benchmarked authority (a big city), at scale 1.
BIG_PARTNERSHIPS = 500
BIG_PROJECTS = 1_500
BIG_ACTORS = 1_000


def default_database_url(scale: float | None = None) -> str:
    name = "bench.sqlite3" if scale is None else f"bench-{scale:g}.sqlite3"
    return f"sqlite:///{VAR / name}"


def setup_django(database_url: str | None = None, cache_dir: str | None = None) -> None:
    """Point Django at the benchmark database (and a cache of its own), then set it up."""
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = database_url or os.environ.get(
        "DATABASE_URL", default_database_url()
    )
    os.environ.setdefault("CACHE_DIR", cache_dir or str(VAR / "cache"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def scaled(count: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(count * scale))


def generate(*, scale: float, authorities: int, seed: int = 42, verbose: bool = True) -> dict:
    """Write the dataset; return the number of rows of each kind."""
    from django.core.management import call_command
    from django.db import transaction

    from jumelage.accounts.models import Membership, Role, User
    from jumelage.actors.models import Actor, ProjectActor
    from jumelage.content.models import NewsItem
    from jumelage.core.models import AtlasTheme, Country, ExchangeRate, OdaEligibility
    from jumelage.partners.models import Authority, MemberAuthority, Partnership
    from jumelage.projects.models import (
        ExpenseLine,
        FinancingPlan,
        Funder,
        Indicator,
        IndicatorPeriod,
        Project,
        ProjectCountry,
        ProjectSector,
        ResourceLine,
        Result,
        Transaction,
    )

    call_command("migrate", verbosity=0)
    if Authority.objects.exists() or Project.objects.exists():
        raise SystemExit(
            "This database already holds authorities or projects: the generator only fills an "
            "empty database. Delete the file (or give an empty DATABASE_URL) and run it again."
        )

    started = time.perf_counter()
    rng = random.Random(seed)
    call_command("load_reference", verbosity=0)

    n_members = scaled(authorities, scale, minimum=2)
    n_partners = scaled(PARTNERS, scale, minimum=10)
    n_partnerships = scaled(PARTNERSHIPS, scale, minimum=5)
    n_projects = scaled(PROJECTS, scale, minimum=5)
    big_partnerships = min(scaled(BIG_PARTNERSHIPS, scale), n_partnerships, n_partners)
    big_projects = min(scaled(BIG_PROJECTS, scale), n_projects)
    big_actors = scaled(BIG_ACTORS, scale)

    oda_codes = sorted(
        OdaEligibility.objects.filter(year=ODA_YEAR).values_list("country_id", flat=True)
    )
    non_oda = [c for c in ("DE", "IT", "ES", "GB", "PL", "US", "JP", "CA") if c not in oda_codes]
    countries = set(Country.objects.values_list("code", flat=True))
    partner_countries = [c for c in oda_codes + non_oda if c in countries and c != "FR"]
    themes = list(AtlasTheme.objects.values_list("pk", flat=True))
    sectors = ["15110", "14030", "11220", "12220", "31120", "16010", "41010", "15150"]

    def day(year: int) -> datetime.date:
        return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))

    counts: dict[str, int] = {}

    def bulk(model: type, rows: list) -> list:
        created = model.objects.bulk_create(rows, batch_size=2000)
        counts[model._meta.label] = counts.get(model._meta.label, 0) + len(created)
        return created

    with transaction.atomic():
        # --- Directory: French member authorities and foreign partners --------------------
        french = bulk(
            Authority,
            [
                Authority(
                    name=f"Commune synthétique {i:04d}",
                    kind=Authority.Kind.MUNICIPALITY,
                    country_id="FR",
                    region_name="Région synthétique",
                    population=rng.randrange(500, 500_000),
                    latitude=Decimal(f"{rng.uniform(43, 50):.6f}"),
                    longitude=Decimal(f"{rng.uniform(-1.5, 7):.6f}"),
                    siren=f"{900_000_000 + i}",
                )
                for i in range(1, n_members + 1)
            ],
        )
        partners = bulk(
            Authority,
            [
                Authority(
                    name=f"Ville partenaire synthétique {i:05d}",
                    kind=Authority.Kind.MUNICIPALITY,
                    country_id=partner_countries[i % len(partner_countries)],
                    population=rng.randrange(1_000, 2_000_000),
                    latitude=Decimal(f"{rng.uniform(-40, 60):.6f}"),
                    longitude=Decimal(f"{rng.uniform(-100, 140):.6f}"),
                )
                for i in range(1, n_partners + 1)
            ],
        )
        members = bulk(
            MemberAuthority,
            [
                MemberAuthority(
                    authority=authority,
                    slug=f"commune-synthetique-{i:04d}",
                    service_name="Relations internationales (synthétique)",
                    city=authority.name,
                    email=f"international{i}@example.invalid",
                    introduction={"fr": "Collectivité synthétique pour les mesures."},
                    is_demo=True,
                )
                for i, authority in enumerate(french, start=1)
            ],
        )
        big = members[0]

        def owner(index: int, big_count: int) -> MemberAuthority:
            """The big city for the first `big_count` records, then any other member."""
            return big if index < big_count else members[1 + rng.randrange(len(members) - 1)]

        # --- Partnerships: unique (authority, partner, kind) ------------------------------
        kinds = [
            Partnership.Kind.TWINNING,
            Partnership.Kind.COOPERATION,
            Partnership.Kind.FRIENDSHIP,
        ]
        seen: set[tuple[int, int, str]] = set()
        partnership_rows = []
        for i in range(n_partnerships):
            member = owner(i, big_partnerships)
            partner = partners[i % n_partners] if i < big_partnerships else rng.choice(partners)
            kind = kinds[i % len(kinds)]
            if (member.pk, partner.pk, kind) in seen:
                continue
            seen.add((member.pk, partner.pk, kind))
            partnership_rows.append(
                Partnership(
                    authority=member,
                    partner=partner,
                    kind=kind,
                    status=Partnership.Status.ENDED if i % 10 == 9 else Partnership.Status.ACTIVE,
                    started_year=1960 + i % 60,
                    main_theme_id=rng.choice(themes) if themes else None,
                    summary={"fr": f"Partenariat synthétique {i:05d}."},
                    is_public=i % 10 < 7,
                    is_example=True,
                )
            )
        partnerships = bulk(Partnership, partnership_rows)
        by_member: dict[int, list[Partnership]] = {}
        for partnership in partnerships:
            by_member.setdefault(partnership.authority_id, []).append(partnership)

        # --- Funders and exchange rates -------------------------------------------------
        funders = bulk(
            Funder,
            [
                Funder(name=f"Bailleur synthétique {i:02d}", acronym=f"BS{i:02d}", country_id="FR")
                for i in range(1, 11)
            ],
        )
        bulk(
            ExchangeRate,
            [
                ExchangeRate(
                    currency="USD",
                    date=datetime.date(year, month, 1),
                    rate=Decimal(f"{1.05 + 0.01 * (month % 5):.4f}"),
                    source="synthétique (bench)",
                )
                for year in range(2019, 2027)
                for month in range(1, 13)
                if not ExchangeRate.objects.filter(
                    currency="USD", date=datetime.date(year, month, 1)
                ).exists()
            ],
        )

        # --- Projects and their parts -----------------------------------------------------
        project_rows = []
        for i in range(n_projects):
            member = owner(i, big_projects)
            start = day(2018 + i % 7)
            project_rows.append(
                Project(
                    authority=member,
                    slug=f"projet-synthetique-{i:05d}",
                    title={"fr": f"Projet synthétique {i:05d}", "en": f"Synthetic project {i:05d}"},
                    summary={"fr": "Projet inventé pour les mesures de performance."},
                    description={"fr": "Description synthétique d'un projet de coopération."},
                    atlas_theme_id=rng.choice(themes) if themes else None,
                    sdg_targets=["6.1"],
                    status=Project.Status.RUNNING if i % 3 else Project.Status.COMPLETED,
                    planned_start=start,
                    planned_end=start + datetime.timedelta(days=730),
                    actual_start=start,
                    currency="EUR",
                    is_public=i % 10 < 7,
                    is_example=True,
                )
            )
        projects = bulk(Project, project_rows)

        links, sector_rows, country_rows, plan_rows, tx_rows, news_rows = [], [], [], [], [], []
        for i, project in enumerate(projects):
            own = by_member.get(project.authority_id) or []
            partnership = own[i % len(own)] if own else None
            if partnership is not None:
                links.append(
                    Project.partnerships.through(
                        project_id=project.pk, partnership_id=partnership.pk
                    )
                )
            country = partnership.partner.country_id if partnership else partner_countries[0]
            sector_rows.append(
                ProjectSector(project=project, code=sectors[i % len(sectors)], percentage=60)
            )
            sector_rows.append(
                ProjectSector(project=project, code=sectors[(i + 1) % len(sectors)], percentage=40)
            )
            country_rows.append(ProjectCountry(project=project, country_id=country, percentage=100))
            plan_rows.append(
                FinancingPlan(
                    project=project,
                    title="Plan synthétique",
                    currency="EUR",
                    status=FinancingPlan.Status.ADOPTED,
                )
            )
            for k in range(3):
                in_usd = i % 3 == 0 and k == 2
                tx_rows.append(
                    Transaction(
                        project=project,
                        transaction_type="3" if k else "2",
                        date=day(ODA_YEAR - 1 + k % 2),
                        amount=Decimal(rng.randrange(1_000, 50_000)),
                        currency="USD" if in_usd else "EUR",
                        description=f"Versement synthétique {i:05d}-{k}",
                        provider=project.authority.authority.name,
                        receiver=partnership.partner.name if partnership else "",
                        oda_category=Transaction.OdaCategory.PROJECTS,
                        recipient_country_id=country,
                        sector_code=sectors[i % len(sectors)],
                        channel_code="12000",
                    )
                )
            news_rows.append(
                NewsItem(
                    authority_id=project.authority_id,
                    slug=f"actualite-synthetique-{i:05d}",
                    title={"fr": f"Actualité synthétique {i:05d}"},
                    body={"fr": "Texte synthétique."},
                    published_on=day(2024),
                    project=project,
                    partnership=partnership,
                    is_public=i % 2 == 0,
                    is_example=True,
                )
            )
        bulk(Project.partnerships.through, links)
        bulk(ProjectSector, sector_rows)
        bulk(ProjectCountry, country_rows)
        bulk(Transaction, tx_rows)
        bulk(NewsItem, news_rows)
        plans = bulk(FinancingPlan, plan_rows)

        expense_rows, resource_rows = [], []
        for i, plan in enumerate(plans):
            # IATI budgets cover at most a year: every line of a multi-year plan has its year.
            year = plan.project.planned_start.year
            for k, category in enumerate(("staff", "travel", "equipment")):
                expense_rows.append(
                    ExpenseLine(
                        plan=plan,
                        label=f"Dépense synthétique {k}",
                        category=category,
                        year=year + k % 2,
                        amount=Decimal(10_000 + 1_000 * k),
                        in_kind=k == 0,
                    )
                )
            resource_rows.append(
                ResourceLine(
                    plan=plan, label="Part propre", is_own=True, year=year, amount=Decimal(15_000)
                )
            )
            resource_rows.append(
                ResourceLine(
                    plan=plan,
                    funder=funders[i % len(funders)],
                    year=year + 1,
                    amount=Decimal(18_000),
                    status=ResourceLine.Status.GRANTED,
                )
            )
        bulk(ExpenseLine, expense_rows)
        bulk(ResourceLine, resource_rows)

        results = bulk(
            Result,
            [Result(project=p, title={"fr": "Résultat synthétique"}) for p in projects],
        )
        indicators = bulk(
            Indicator,
            [Indicator(result=r, title={"fr": "Indicateur synthétique"}) for r in results],
        )
        bulk(
            IndicatorPeriod,
            [
                IndicatorPeriod(
                    indicator=indicator,
                    starts_on=datetime.date(2024, 1, 1),
                    ends_on=datetime.date(2024, 12, 31),
                    target_value=Decimal(100),
                    actual_value=Decimal(80),
                )
                for indicator in indicators
            ],
        )

        # --- Local actors, linked to projects and partnerships ----------------------------
        n_actors = scaled(8_000, scale)
        actors = bulk(
            Actor,
            [
                Actor(
                    authority=owner(i, big_actors),
                    name=f"Acteur synthétique {i:05d}",
                    kind=Actor.Kind.ASSOCIATION,
                    city="Ville synthétique",
                    is_public=i % 4 != 0,
                    is_example=True,
                )
                for i in range(n_actors)
            ],
        )
        actors_of: dict[int, list[Actor]] = {}
        for actor in actors:
            actors_of.setdefault(actor.authority_id, []).append(actor)
        role_rows, actor_links = [], []
        for i, project in enumerate(projects):
            own_actors = actors_of.get(project.authority_id) or []
            if own_actors:
                actor = own_actors[i % len(own_actors)]
                role_rows.append(ProjectActor(project=project, actor=actor))
        for i, partnership in enumerate(partnerships):
            own_actors = actors_of.get(partnership.authority_id) or []
            if own_actors:
                actor_links.append(
                    Actor.partnerships.through(
                        actor_id=own_actors[i % len(own_actors)].pk, partnership_id=partnership.pk
                    )
                )
        bulk(ProjectActor, role_rows)
        bulk(Actor.partnerships.through, actor_links)

        # --- The two people the benchmarks sign in as -------------------------------------
        admin = User(username=SUPERUSER, is_staff=True, is_superuser=True)
        admin.set_unusable_password()
        officer = User(username=OFFICER, is_staff=True)
        officer.set_unusable_password()
        bulk(User, [admin, officer])
        bulk(Membership, [Membership(user=officer, authority=big, role=Role.OFFICER)])

    counts["seconds"] = round(time.perf_counter() - started, 1)
    if verbose:
        for label, count in counts.items():
            print(f"{label:40} {count:>8}")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the national size")
    parser.add_argument(
        "--authorities", type=int, default=4_800, help="member authorities at scale 1"
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--database-url", help="default: $DATABASE_URL, else bench/var/bench.sqlite3"
    )
    args = parser.parse_args(argv)
    setup_django(args.database_url)
    generate(scale=args.scale, authorities=args.authorities, seed=args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
