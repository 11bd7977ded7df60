"""Fill an empty database with a synthetic country (domain guide §5), for benchmarks.

Every record is invented and marked so: names like "Commune synthétique 0001", member
authorities with `is_demo`, owned records with `is_example`; the demo (Suresnes and its
partners, `load_demo`) is loaded first, unchanged at every scale: its pages are the ones whose
cost must not depend on the rest of the country.

At scale 1: 5 000 member authorities (a few large cities, many small communes: sizes follow a
Zipf law), 10 000 foreign partners, 15 000 partnerships, 100 000 projects and about 1 000 000
transactions (from 1 to 60 a project, about 10 on average). On PostgreSQL, rows are written
with COPY (psycopg `cursor.copy`), with primary keys given here and the sequences reset after;
on SQLite with `bulk_create`.

    .venv/bin/python bench/generate.py --scale 0.1     # bench/var/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jumelage_bench .venv/bin/python \
        bench/generate.py --scale 1

It refuses to write into a database that already holds authorities or projects: start from a
new file (or an empty database).

The first member authority, "Commune synthétique 0001" (`BENCH_SLUG`), is the big city the
export benchmarks read: it holds a fixed share of the national data (2 000 projects and 500
partnerships at scale 1), so what it exports grows with --scale.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
VAR = BENCH_DIR / "var"

BENCH_SLUG = "commune-synthetique-0001"
OFFICER = "bench-officer"
SUPERUSER = "bench-admin"
ODA_YEAR = 2024  # the year of flows the ODA benchmark declares

# Counts at scale 1 (issue 12): 5 000 member authorities, 10 000 foreign partners, 100 000
# projects, about 1 000 000 transactions.
AUTHORITIES = 5_000
PARTNERS = 10_000
PARTNERSHIPS = 15_000
PROJECTS = 100_000
TRANSACTIONS_PER_PROJECT = 10  # on average; from 1 to MAX_TRANSACTIONS
MAX_TRANSACTIONS = 60
ACTORS = 50_000
# The share of the benchmarked big city, at scale 1.
BIG_PARTNERSHIPS = 500
BIG_PROJECTS = 2_000
BIG_ACTORS = 1_000
# The authority whose pages must cost the same at every scale: the demo's, loaded unchanged.
FIXED_SLUG = "suresnes"


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


class Writer:
    """Writes rows fast: COPY on PostgreSQL, bulk_create elsewhere. Primary keys are given here
    (from the table's largest one), so that rows can point at each other without reading
    them back; the sequences are reset at the end (`finish`)."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.next_pk: dict[type, int] = {}
        self.counts: dict[str, int] = {}

    def pk(self, model: type) -> int:
        if model not in self.next_pk:
            from django.db.models import Max

            self.next_pk[model] = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        value = self.next_pk[model]
        self.next_pk[model] = value + 1
        return value

    def write(self, model: type, rows: Iterable[Any], keep: bool = True) -> list:
        """Write the instances `rows` (an iterable, read once); return them when `keep`."""
        kept: list = []
        label = model._meta.label
        if not self.postgres:
            batch: list = []
            for row in rows:
                if row.pk is None:
                    row.pk = self.pk(model)
                batch.append(row)
                if len(batch) == 5000:
                    model.objects.bulk_create(batch)
                    kept.extend(batch if keep else ())
                    self.counts[label] = self.counts.get(label, 0) + len(batch)
                    batch = []
            model.objects.bulk_create(batch)
            kept.extend(batch if keep else ())
            self.counts[label] = self.counts.get(label, 0) + len(batch)
            return kept
        fields = list(model._meta.concrete_fields)
        columns = ", ".join(self.connection.ops.quote_name(f.column) for f in fields)
        sql = f"COPY {self.connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        count = 0
        self.pk(model)  # read the largest key now: no other query may run during the COPY
        self.next_pk[model] -= 1
        with self.connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                if row.pk is None:
                    row.pk = self.pk(model)
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(row, True), self.connection) for f in fields]
                )
                count += 1
                if keep:
                    kept.append(row)
        self.counts[label] = self.counts.get(label, 0) + count
        return kept

    def finish(self) -> None:
        """Reset the sequences past the keys given here."""
        if not self.postgres:
            return
        from django.core.management.color import no_style

        statements = self.connection.ops.sequence_reset_sql(no_style(), list(self.next_pk))
        with self.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def generate(*, scale: float, authorities: int, seed: int = 42, verbose: bool = True) -> dict:
    """Write the dataset; return the number of rows of each kind."""
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import Max

    from jumelage.accounts.models import Membership, Role, User
    from jumelage.actors.models import Actor, ProjectActor
    from jumelage.content.models import NewsItem
    from jumelage.core.models import AtlasTheme, Country, ExchangeRate, OdaEligibility
    from jumelage.demo.services import load_demo
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
    load_demo()  # Suresnes and its partners: the same at every scale
    demo_top = {
        model._meta.db_table: model.objects.aggregate(top=Max("pk"))["top"] or 0
        for model in (Project, Transaction, Authority)
    }

    n_members = scaled(authorities, scale, minimum=3)
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

    out = Writer()
    bulk = out.write

    with transaction.atomic():
        # --- Directory: French member authorities and foreign partners --------------------
        french = bulk(
            Authority,
            (
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
            ),
        )
        partners = bulk(
            Authority,
            (
                Authority(
                    name=f"Ville partenaire synthétique {i:05d}",
                    kind=Authority.Kind.MUNICIPALITY,
                    country_id=partner_countries[i % len(partner_countries)],
                    population=rng.randrange(1_000, 2_000_000),
                    latitude=Decimal(f"{rng.uniform(-40, 60):.6f}"),
                    longitude=Decimal(f"{rng.uniform(-100, 140):.6f}"),
                )
                for i in range(1, n_partners + 1)
            ),
        )
        members = bulk(
            MemberAuthority,
            (
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
            ),
        )
        big = members[0]
        others = members[1:]
        # A country: a few large cities, many small communes (Zipf sizes, by rank).
        weights = list(itertools.accumulate(1 / (rank + 4) ** 1.1 for rank in range(len(others))))

        def owner(index: int, big_count: int) -> MemberAuthority:
            """The big city for the first `big_count` records, then a member by its size."""
            if index < big_count:
                return big
            return rng.choices(others, cum_weights=weights)[0]

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
        have_rates = set(ExchangeRate.objects.filter(currency="USD").values_list("date", flat=True))
        bulk(
            ExchangeRate,
            [
                ExchangeRate(
                    currency="USD",
                    date=datetime.date(year, month, 1),
                    rate=Decimal(f"{1.05 + 0.01 * (month % 5):.4f}"),
                    source="synthétique (bench)",
                )
                for year in range(2017, 2027)
                for month in range(1, 13)
                if datetime.date(year, month, 1) not in have_rates
            ],
        )

        # --- Projects and their parts -----------------------------------------------------
        projects = bulk(
            Project,
            (
                Project(
                    authority=owner(i, big_projects),
                    slug=f"projet-synthetique-{i:06d}",
                    title={"fr": f"Projet synthétique {i:06d}", "en": f"Synthetic project {i:06d}"},
                    summary={"fr": "Projet inventé pour les mesures de performance."},
                    description={"fr": "Description synthétique d'un projet de coopération."},
                    atlas_theme_id=rng.choice(themes) if themes else None,
                    sdg_targets=["6.1"],
                    status=Project.Status.RUNNING if i % 3 else Project.Status.COMPLETED,
                    planned_start=(start := day(2018 + i % 7)),
                    planned_end=start + datetime.timedelta(days=730),
                    actual_start=start,
                    currency="EUR",
                    is_public=i % 10 < 7,
                    is_example=True,
                )
                for i in range(n_projects)
            ),
        )
        partnership_of: list[Partnership | None] = []
        for i, project in enumerate(projects):
            own = by_member.get(project.authority_id) or []
            partnership_of.append(own[i % len(own)] if own else None)

        def country_of(i: int) -> str:
            partnership = partnership_of[i]
            return partnership.partner.country_id if partnership else partner_countries[0]

        bulk(
            Project.partnerships.through,
            (
                Project.partnerships.through(project_id=project.pk, partnership_id=link.pk)
                for project, link in zip(projects, partnership_of, strict=True)
                if link is not None
            ),
            keep=False,
        )
        bulk(
            ProjectSector,
            (
                ProjectSector(project=project, code=sectors[(i + k) % len(sectors)], percentage=p)
                for i, project in enumerate(projects)
                for k, p in ((0, 60), (1, 40))
            ),
            keep=False,
        )
        bulk(
            ProjectCountry,
            (
                ProjectCountry(project=project, country_id=country_of(i), percentage=100)
                for i, project in enumerate(projects)
            ),
            keep=False,
        )

        def transactions() -> Iterator[Transaction]:
            for i, project in enumerate(projects):
                partnership = partnership_of[i]
                # From 1 to MAX_TRANSACTIONS a project, TRANSACTIONS_PER_PROJECT on average.
                many = 1 + int(rng.expovariate(1 / (TRANSACTIONS_PER_PROJECT - 0.5)))
                for k in range(min(MAX_TRANSACTIONS, many)):
                    in_usd = i % 3 == 0 and k % 3 == 2
                    yield Transaction(
                        authority_id=project.authority_id,
                        project=project,
                        transaction_type="2" if k == 0 else "3",
                        date=day(ODA_YEAR - 2 + k % 3),
                        amount=Decimal(rng.randrange(1_000, 50_000)),
                        currency="USD" if in_usd else "EUR",
                        description=f"Versement synthétique {i:06d}-{k}",
                        provider=project.authority.authority.name,
                        receiver=partnership.partner.name if partnership else "",
                        oda_category=Transaction.OdaCategory.PROJECTS,
                        recipient_country_id=country_of(i),
                        sector_code=sectors[i % len(sectors)],
                        channel_code="12000",
                    )

        bulk(Transaction, transactions(), keep=False)
        bulk(
            NewsItem,
            (
                NewsItem(
                    authority_id=project.authority_id,
                    slug=f"actualite-synthetique-{i:06d}",
                    title={"fr": f"Actualité synthétique {i:06d}"},
                    body={"fr": "Texte synthétique."},
                    published_on=day(2024),
                    project=project,
                    partnership=partnership_of[i],
                    is_public=i % 2 == 0,
                    is_example=True,
                )
                for i, project in enumerate(projects)
            ),
            keep=False,
        )
        plans = bulk(
            FinancingPlan,
            (
                FinancingPlan(
                    project=project,
                    title="Plan synthétique",
                    currency="EUR",
                    status=FinancingPlan.Status.ADOPTED,
                )
                for project in projects
            ),
        )
        # IATI budgets cover at most a year: every line of a multi-year plan has its year.
        bulk(
            ExpenseLine,
            (
                ExpenseLine(
                    plan=plan,
                    label=f"Dépense synthétique {k}",
                    category=category,
                    year=plan.project.planned_start.year + k % 2,
                    amount=Decimal(10_000 + 1_000 * k),
                    in_kind=k == 0,
                )
                for plan in plans
                for k, category in enumerate(("staff", "travel", "equipment"))
            ),
            keep=False,
        )
        bulk(
            ResourceLine,
            (
                line
                for i, plan in enumerate(plans)
                for line in (
                    ResourceLine(
                        plan=plan,
                        label="Part propre",
                        is_own=True,
                        year=plan.project.planned_start.year,
                        amount=Decimal(15_000),
                    ),
                    ResourceLine(
                        plan=plan,
                        funder=funders[i % len(funders)],
                        year=plan.project.planned_start.year + 1,
                        amount=Decimal(18_000),
                        status=ResourceLine.Status.GRANTED,
                    ),
                )
            ),
            keep=False,
        )
        del plans

        results = bulk(
            Result, (Result(project=p, title={"fr": "Résultat synthétique"}) for p in projects)
        )
        indicators = bulk(
            Indicator,
            (Indicator(result=r, title={"fr": "Indicateur synthétique"}) for r in results),
        )
        bulk(
            IndicatorPeriod,
            (
                IndicatorPeriod(
                    indicator=indicator,
                    starts_on=datetime.date(2024, 1, 1),
                    ends_on=datetime.date(2024, 12, 31),
                    target_value=Decimal(100),
                    actual_value=Decimal(80),
                )
                for indicator in indicators
            ),
            keep=False,
        )
        del results, indicators

        # --- Local actors, linked to projects and partnerships ----------------------------
        n_actors = scaled(ACTORS, scale)
        actors = bulk(
            Actor,
            (
                Actor(
                    authority=owner(i, big_actors),
                    name=f"Acteur synthétique {i:05d}",
                    kind=Actor.Kind.ASSOCIATION,
                    city="Ville synthétique",
                    is_public=i % 4 != 0,
                    is_example=True,
                )
                for i in range(n_actors)
            ),
        )
        actors_of: dict[int, list[Actor]] = {}
        for actor in actors:
            actors_of.setdefault(actor.authority_id, []).append(actor)
        role_rows, actor_links = [], []
        for i, project in enumerate(projects):
            own_actors = actors_of.get(project.authority_id) or []
            if own_actors:
                role_rows.append(
                    ProjectActor(project=project, actor=own_actors[i % len(own_actors)])
                )
        for i, partnership in enumerate(partnerships):
            own_actors = actors_of.get(partnership.authority_id) or []
            if own_actors:
                actor_links.append(
                    Actor.partnerships.through(
                        actor_id=own_actors[i % len(own_actors)].pk, partnership_id=partnership.pk
                    )
                )
        bulk(ProjectActor, role_rows, keep=False)
        bulk(Actor.partnerships.through, actor_links, keep=False)

        # --- The people the benchmarks sign in as -----------------------------------------
        admin = User(username=SUPERUSER, is_staff=True, is_superuser=True)
        admin.set_unusable_password()
        officer = User(username=OFFICER, is_staff=True)
        officer.set_unusable_password()
        bulk(User, [admin, officer])
        bulk(Membership, [Membership(user=officer, authority=big, role=Role.OFFICER)])
        out.finish()
        out.counts["audit.AuditEntry"] = audit_log(out.connection, after=demo_top)

    if out.postgres:
        from django.db import connection

        with connection.cursor() as cursor:
            # VACUUM too, as autovacuum does to a database in use: the rows written by COPY are
            # then marked visible, and counts from an index (the directory's) read no table.
            cursor.execute("VACUUM ANALYZE")
    counts = dict(out.counts)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    if verbose:
        for label, count in counts.items():
            print(f"{label:40} {count:>8}")
    return counts


# The audit log of a country at work: an entry for each project and each payment written (the
# authority's own, 1.1 M at scale 1) and two for each town of the shared register (no
# authority), spread over the year before the generation. The demo's entries (Suresnes' and
# the register's towns it uses) are moved a month back: the rest of the country kept working
# after Suresnes' last change, so a history read newest first that walked the whole log would
# cross the country's entries before reaching Suresnes' (what the history pages must not do).
AUDIT_DAYS = 365
DEMO_AUDIT_DAYS_BACK = 30


def audit_log(connection: Any, *, after: dict[str, int]) -> int:
    """Write the synthetic audit entries in SQL (INSERT ... SELECT: no row passes through
    Python) for the rows of each table past `after` (its largest id before the synthetic rows:
    the demo's rows have their entries already); each `at` a fixed spread of its row's id over
    the last `AUDIT_DAYS` days. Returns the number of entries written."""
    minutes = AUDIT_DAYS * 24 * 60
    if connection.vendor == "postgresql":
        at = f"now() - make_interval(mins => CAST((src.id * 7919) %% {minutes} AS integer))"
        back = f"UPDATE audit_auditentry SET at = at - interval '{DEMO_AUDIT_DAYS_BACK} days'"
        as_text = "CAST(src.id AS varchar)"
    else:
        at = f"datetime('now', '-' || ((src.id * 7919) %% {minutes}) || ' minutes')"
        back = f"UPDATE audit_auditentry SET at = datetime(at, '-{DEMO_AUDIT_DAYS_BACK} days')"
        as_text = "CAST(src.id AS text)"
    columns = "authority_id, user_id, at, action, verb, model, object_id, object_repr, changes"
    sources = [
        ("projects_project", "src.authority_id", "projects.project", "create", "Projet"),
        ("projects_transaction", "src.authority_id", "projects.transaction", "create", "Versement"),
        # The register's towns abroad: created, then changed by a curator or a member.
        ("partners_authority", "NULL", "partners.authority", "create", "Ville"),
        ("partners_authority", "NULL", "partners.authority", "update", "Ville"),
    ]
    written = 0
    with connection.cursor() as cursor:
        cursor.execute(back)
        for table, authority, model, action, label in sources:
            cursor.execute(
                f"INSERT INTO audit_auditentry ({columns}) "
                f"SELECT {authority}, NULL, {at}, '{action}', '', '{model}', {as_text}, "
                f"'{label} synthétique', '{{}}' FROM {table} src WHERE src.id > %s",
                [after.get(table, 0)],
            )
            written += cursor.rowcount
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the national size")
    parser.add_argument(
        "--authorities", type=int, default=AUTHORITIES, help="member authorities at scale 1"
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
