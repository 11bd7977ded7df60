"""Benchmarks of the pages and exports that grow with a national instance (domain guide §5).

    make bench                                    # scale 0.1, compared with scale 0.01
    .venv/bin/python bench/run.py --scale 1       # the full national dataset
    .venv/bin/python bench/run.py --repeat 10 --no-results

Each scale gets its own synthetic database (bench/var/bench-<scale>.sqlite3, made by
bench/generate.py when missing) and is measured in its own process. Every benchmark reports
its median and slowest time over --repeat runs and its query count. The run fails (exit 1)
when a benchmark makes more queries on the larger dataset than on the tiny one: a query count
that grows with the data is an N+1, whatever the timings say.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from generate import (  # noqa: E402
    BENCH_SLUG,
    FIXED_SLUG,
    ODA_YEAR,
    OFFICER,
    SUPERUSER,
    VAR,
    default_database_url,
    setup_django,
)

RESULTS = BENCH_DIR / "results"
# Calls faster than this are timed in batches lasting about this long (`measure`).
BATCH_SECONDS = 0.02
MAX_BATCH = 200


# --- Measuring, inside a process set up for one database --------------------------------------


def measure(
    name: str,
    call: Callable[[], Any],
    *,
    repeat: int,
    before: Callable[[], Any] | None = None,
    memory: bool = False,
) -> dict[str, Any]:
    """Time `call` `repeat` times (after `before`, untimed), count its queries, and when
    `memory` is set, measure its peak Python allocation in one more run under tracemalloc.

    A call of under a millisecond or so (a cached page, its floor) is timed in batches, as
    `timeit` does: each of the `repeat` samples runs it enough times to last about
    BATCH_SECONDS and counts their mean. One such call timed alone is at the mercy of the
    clock's resolution and of a garbage collection landing in it (a pass over the whole heap
    of a process that has loaded the dataset costs more than the page itself). The garbage
    collector stays on: its share, spread over the batch, is paid as a live server pays it.
    Only calls that leave the state as they found it are batched: no `before`, or one made
    by `warm` (a cold page, after `cache.clear`, is timed one call at a time)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # One untimed run first: imports, template compilation and the database's page cache are
    # paid once per process, not by whichever benchmark happens to come first.
    if before is not None:
        before()
    call()
    batch = 1
    if before is None or getattr(before, "keeps_state", False):
        started = time.perf_counter()
        call()
        once = time.perf_counter() - started
        batch = max(1, min(MAX_BATCH, int(BATCH_SECONDS / max(once, 1e-6))))
    times, counts = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            for _call in range(batch):
                call()
            times.append((time.perf_counter() - started) / batch)
        counts.append(len(queries.captured_queries) / batch)
    result = {
        "name": name,
        "median_ms": statistics.median(times) * 1000,
        "max_ms": max(times) * 1000,
        "queries": round(max(counts)),
        # Counted over a batch: a fraction means that the calls of one batch differed.
        "queries_vary": min(counts) != max(counts) or any(c != int(c) for c in counts),
        "batch": batch,
        "peak_mib": None,
    }
    if memory:
        if before is not None:
            before()
        tracemalloc.start()
        call()
        result["peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return result


def run_benchmarks(repeat: int, only: str = "") -> dict[str, Any]:
    """Every benchmark, or those whose name holds `only` (case-insensitive)."""
    import io
    import itertools

    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client, override_settings
    from django.urls import reverse
    from django.utils import timezone
    from floor_urls import FLOOR
    from lxml import etree

    from jumelage.accounts.models import Role, User
    from jumelage.partners.models import MemberAuthority, Partnership
    from jumelage.projects.models import Project, Transaction
    from jumelage.reporting.iati.checks import refresh_check
    from jumelage.reporting.models import ExternalActivity, IatiCheck
    from jumelage.reporting.oda.selectors import national_declaration, oda_declaration
    from jumelage.reporting.services import BATCH_SIZE, CHILD_MODELS, import_iati_file
    from jumelage.reporting.spreadsheets.exports import EXPORTS, write_export

    today = timezone.localdate()

    override = override_settings(ROOT_URLCONF="floor_urls")
    override.enable()
    member = MemberAuthority.objects.get(slug=BENCH_SLUG)
    officer = User.objects.get(username=OFFICER)
    admin = User.objects.get(username=SUPERUSER)
    anonymous, as_officer, as_admin = Client(), Client(), Client()
    # The public pages as browsers ask for them: every browser accepts gzip (the API and the
    # IATI file are asked for without, as many scripts do).
    browser = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    as_officer.force_login(officer)
    as_admin.force_login(admin)
    # {url: (the bytes answered, their Content-Type, their Content-Encoding)}
    bodies: dict[str, tuple[bytes, str, str]] = {}

    def get(client: Client, url: str, *, stream: bool = False) -> Callable[[], int]:
        def call() -> int:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"GET {url} answered {response.status_code}, not 200.")
            if stream and url in bodies:
                # Read as a client reads a streamed file, part by part, keeping none: the
                # memory measured is the server's, not a copy of the whole file (the first
                # call, untimed, kept the bytes for the floors).
                return sum(len(part) for part in response.streaming_content)
            body = b"".join(response.streaming_content) if stream else response.content
            bodies[url] = (
                body,
                response.get("Content-Type", "text/html"),
                response.get("Content-Encoding", ""),
            )
            return len(body)

        call.url = url  # type: ignore[attr-defined]
        return call

    def warm(call: Callable[[], Any]) -> Callable[[], Any]:
        """Called once, untimed, before each run: the page is then in the cache, and calls
        of it leave it there (they may be timed in batches, `measure`)."""

        def before() -> Any:
            return call()

        before.keeps_state = True  # type: ignore[attr-defined]
        return before

    # The officers' workspace, signed in as an officer of the authority shown (Suresnes: the
    # demo's `officer`; the big city: `bench-officer`): its home page and the page of one project
    # (Suresnes' first by key, the same record at every scale; the big city's is synthetic, its
    # number of transactions drawn at random, so its bytes differ between scales).
    fixed_member = MemberAuthority.objects.get(slug=FIXED_SLUG)
    as_fixed_officer = Client()
    as_fixed_officer.force_login(
        User.objects.get(
            memberships__authority=fixed_member, memberships__role=Role.OFFICER, is_active=True
        )
    )
    workspace: list[tuple[str, Callable[[], Any], Callable[[], Any] | None, bool, bool]] = []
    for label, client, slug_member in (
        (FIXED_SLUG, as_fixed_officer, fixed_member),
        ("big city", as_officer, member),
    ):
        # The home shows the IATI check the task queue keeps (reporting.iati.checks): run it
        # once, as the worker of a live instance has (the check itself is timed below).
        refresh_check.call(
            slug_member.pk, settings.LANGUAGE_CODE, "http://testserver/", today.isoformat()
        )
        # The big city's: the first by key with a payment in dollars (one synthetic project in
        # three has some), so that both scales show a page of the same shape (a project
        # without dollars, results or applications skips their queries: fewer, never more).
        projects = Project.objects.filter(authority=slug_member).order_by("pk")
        if slug_member.pk == member.pk:
            projects = projects.filter(transactions__currency="USD").distinct()
        first = projects.first()
        if first is None:
            raise SystemExit(f"{slug_member.slug} has no project: the dataset is incomplete.")
        workspace += [
            (
                f"workspace home of {label} (officer)",
                get(client, reverse("workspace:home", args=[slug_member.slug])),
                cache.clear,
                False,
                True,
            ),
            (
                f"workspace project of {label} (officer)",
                get(client, reverse("workspace:project", args=[slug_member.slug, first.pk])),
                cache.clear,
                False,
                True,
            ),
            # Its history, newest first: the audit log holds the whole country's entries
            # (generate.audit_log), the authority's own and the shared register's.
            (
                f"workspace history of {label} (officer)",
                get(client, reverse("workspace:history", args=[slug_member.slug])),
                cache.clear,
                False,
                True,
            ),
        ]
    fixed_page = get(browser, f"/{FIXED_SLUG}/")
    authority_page = get(browser, f"/{BENCH_SLUG}/")
    home_page = get(browser, "/")
    xlsx = EXPORTS["projects"]

    def export_xlsx() -> int:
        stream = io.BytesIO()
        return write_export(
            xlsx, stream, file_format="xlsx", language="fr", user=officer, member=member
        )

    iati = get(anonymous, f"/iati/{BENCH_SLUG}/activities.xml", stream=True)
    api = [
        ("API authorities, page of 100", "/api/v1/authorities?page_size=100"),
        (
            "API projects of one authority, page of 100",
            f"/api/v1/authorities/{BENCH_SLUG}/projects?page_size=100",
        ),
        ("API national projects, page of 100", "/api/v1/projects?page_size=100"),
    ]
    # (name, call, before, memory, floor): the floor is a bare view answering the same bytes.
    runs: list[tuple[str, Callable[[], Any], Callable[[], Any] | None, bool, bool]] = [
        (f"{FIXED_SLUG} page, cold cache", fixed_page, cache.clear, False, True),
        (f"{FIXED_SLUG} page, cached", fixed_page, warm(fixed_page), False, True),
        ("big city page, cold cache", authority_page, cache.clear, False, True),
        ("big city page, cached", authority_page, warm(authority_page), False, True),
        ("public home page (directory), cold", home_page, cache.clear, False, True),
        ("public home page (directory), cached", home_page, warm(home_page), False, True),
        (
            "public projects list, cold",
            get(browser, f"/{BENCH_SLUG}/projets/"),
            cache.clear,
            False,
            True,
        ),
        (
            "admin partnerships (officer)",
            get(as_officer, "/admin/partners/partnership/"),
            None,
            False,
            False,
        ),
        (
            "admin projects (officer)",
            get(as_officer, "/admin/projects/project/"),
            None,
            False,
            False,
        ),
        (
            "admin transactions (officer)",
            get(as_officer, "/admin/projects/transaction/"),
            None,
            False,
            False,
        ),
        ("admin actors (officer)", get(as_officer, "/admin/actors/actor/"), None, False, False),
        # The audit log in the back office: the big city's officer's, Suresnes' (its entries
        # are the same at every scale: what grows is the rest of the country's) and all of it.
        (
            "admin audit log (officer)",
            get(as_officer, "/admin/audit/auditentry/"),
            None,
            False,
            False,
        ),
        (
            f"admin audit log of {FIXED_SLUG} (officer)",
            get(as_fixed_officer, "/admin/audit/auditentry/"),
            None,
            False,
            False,
        ),
        (
            "admin audit log (superuser, all)",
            get(as_admin, "/admin/audit/auditentry/"),
            None,
            False,
            False,
        ),
        (
            "admin projects (superuser, all)",
            get(as_admin, "/admin/projects/project/"),
            None,
            False,
            False,
        ),
        (
            "admin transactions (superuser, all)",
            get(as_admin, "/admin/projects/transaction/"),
            None,
            False,
            False,
        ),
        ("IATI export, streamed", iati, None, True, False),
        # What the task queue runs after a write for the home's IATI line (no target: it runs
        # in the worker, never in a request).
        (
            "IATI check of the big city (queue task)",
            lambda: refresh_check.call(
                member.pk, settings.LANGUAGE_CODE, "http://testserver/", today.isoformat()
            ),
            # Its result forgotten first: a task finds the data it was asked for checked
            # already and does nothing (a queue that ran an earlier one after the same writes).
            lambda: IatiCheck.objects.filter(authority=member).delete(),
            False,
            False,
        ),
        (
            f"ODA declaration of the big city {ODA_YEAR}",
            lambda: oda_declaration(member, ODA_YEAR),
            None,
            True,
            False,
        ),
        (
            f"ODA of every authority {ODA_YEAR} (national)",
            lambda: national_declaration(ODA_YEAR),
            None,
            False,
            False,
        ),
        # The page a national body reads (issue 12: every authority's ODA < 5 s), and its CSV,
        # against the bare view answering the same bytes and the aggregation it reads.
        (
            f"national ODA page {ODA_YEAR} (superuser)",
            get(as_admin, reverse("reporting:oda_national", args=[ODA_YEAR])),
            None,
            False,
            True,
        ),
        (
            f"national ODA CSV {ODA_YEAR} (superuser)",
            get(as_admin, reverse("reporting:oda_national_file", args=[ODA_YEAR, "csv"])),
            None,
            False,
            True,
        ),
        ("XLSX export of projects (officer)", export_xlsx, None, True, False),
        # The export as a first reader after a write finds it: nothing in the cache (no target;
        # the target is on the file as readers get it, from the cache when nothing changed).
        ("IATI export, streamed, cold", iati, cache.clear, True, False),
        *workspace,
        *((name, get(anonymous, url), None, False, True) for name, url in api),
        # The same lists as the first reader after a write gets them (no target).
        *((f"{name}, cold", get(anonymous, url), cache.clear, False, True) for name, url in api),
    ]

    def chosen(name: str) -> bool:
        return only.lower() in name.lower()

    results = []
    for name, call, before, memory, floor in runs:
        if not chosen(name):
            continue
        result = measure(name, call, repeat=repeat, before=before, memory=memory)
        if floor:
            body, content_type, encoding = bodies[call.url]  # type: ignore[attr-defined]
            FLOOR["body"], FLOOR["content_type"] = body, content_type
            FLOOR["content_encoding"] = encoding
            bare = measure("floor", get(anonymous, "/__bench_floor__/"), repeat=max(repeat, 5))
            result["floor_ms"] = bare["median_ms"]
            result["bytes"] = len(body)
        results.append(result)
    by_name = {r["name"]: r for r in results}

    # --- IATI: the floors are plain lxml over the same file -----------------------------------
    if iati.url not in bodies:  # type: ignore[attr-defined]
        iati()  # the export was not among the benchmarks chosen: the import still needs its file
    data = bodies[iati.url][0]  # type: ignore[attr-defined]
    activities = [
        element for _event, element in etree.iterparse(io.BytesIO(data), tag="iati-activity")
    ]
    root = etree.fromstring(data)

    def lxml_write() -> int:
        out = io.BytesIO()
        with etree.xmlfile(out, encoding="utf-8") as xf:
            xf.write_declaration()
            with xf.element("iati-activities", root.attrib):
                for activity in activities:
                    xf.write(activity)
        return out.tell()

    def lxml_parse() -> int:
        count = 0
        for _event, element in etree.iterparse(io.BytesIO(data), tag="iati-activity"):
            count += len(element)
            element.clear()
        return count

    exports = [n for n in ("IATI export, streamed", "IATI export, streamed, cold") if n in by_name]
    if exports:
        export_floor = measure("lxml write", lxml_write, repeat=repeat)
        for name in exports:
            by_name[name]["floor_ms"] = export_floor["median_ms"]
            by_name[name]["bytes"] = len(data)

    def vacuum_imports() -> None:
        """VACUUM ANALYZE the imported activities' tables (PostgreSQL). A live server vacuums
        by itself; a development server may run without autovacuum, and then the rows each
        run deletes stay behind the unique index, so that every later import's lookup by
        identifier reads more of them (the re-import's one query went from 1 to 49 ms)."""
        from django.db import connection

        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model in (ExternalActivity, *CHILD_MODELS):
                cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')

    def forget_imports() -> None:
        ExternalActivity.objects.all().delete()
        vacuum_imports()

    def iati_import() -> Any:
        return import_iati_file(io.BytesIO(data), authority=member, file_name="bench.xml")

    regenerated = itertools.count()

    def iati_import_regenerated() -> Any:
        """The same activities in a file its publisher regenerated (other bytes each time, as
        a new generated-datetime gives): read, each activity known by its fingerprint."""
        again = data + f"<!-- regenerated {next(regenerated)} -->".encode()
        return import_iati_file(io.BytesIO(again), authority=member, file_name="bench.xml")

    imports = [
        (name, call, before)
        for name, call, before in (
            ("IATI import of the export", iati_import, forget_imports),
            # Their untimed first runs import the file.
            ("IATI re-import, unchanged", iati_import, None),
            ("IATI re-import, same activities, regenerated file", iati_import_regenerated, None),
        )
        if chosen(name)
    ]
    if imports:
        parse_floor = measure("lxml iterparse", lxml_parse, repeat=repeat)
        for name, call, before in imports:
            vacuum_imports()
            result = measure(name, call, repeat=repeat, before=before)
            result["floor_ms"] = parse_floor["median_ms"]
            results.append(result)
        forget_imports()

    from jumelage.reporting.iati.export import CHUNK_SIZE

    published = Project.objects.filter(authority=member, is_public=True).count()
    chunks = {
        name: max(1, -(-published // CHUNK_SIZE))
        for name in (
            "IATI export, streamed",
            "IATI export, streamed, cold",
            "IATI check of the big city (queue task)",
        )
    }
    fixed = MemberAuthority.objects.get(slug=FIXED_SLUG)
    sizes = {
        "member authorities": MemberAuthority.objects.count(),
        "partnerships": Partnership.objects.count(),
        "projects": Project.objects.count(),
        "transactions": Transaction.objects.count(),
        f"projects of {FIXED_SLUG}": Project.objects.filter(authority=fixed).count(),
        f"projects of {BENCH_SLUG}": Project.objects.filter(authority=member).count(),
        f"published projects of {BENCH_SLUG}": published,
        f"transactions of {BENCH_SLUG}": Transaction.objects.filter(
            project__authority=member
        ).count(),
        f"{ODA_YEAR} transactions of {BENCH_SLUG}": Transaction.objects.filter(
            project__authority=member, date__year=ODA_YEAR
        ).count(),
        "IATI file of the big city (bytes)": len(data),
    }
    # The import writes and asks in batches (`reporting.services.BATCH_SIZE` activities): a
    # fixed number of queries a batch, so a file ten times longer runs them ten times.
    for name in (
        "IATI import of the export",
        "IATI re-import, unchanged",
        "IATI re-import, same activities, regenerated file",
    ):
        chunks[name] = max(1, -(-len(activities) // BATCH_SIZE))
    for result in results:
        result["chunks"] = chunks.get(result["name"], 1)
    override.disable()
    return {"results": results, "sizes": sizes}


def child(args: argparse.Namespace) -> int:
    """Measure one database (this process only ever opens that one)."""
    setup_django(args.database_url, cache_dir=str(VAR / f"cache-{args.scale:g}"))
    from django.core.management import call_command

    # A dataset made by an earlier version: bring its tables up to date (new columns get
    # their defaults), rather than measure code against a schema it no longer has.
    call_command("migrate", verbosity=0)
    data = run_benchmarks(args.repeat, args.only or "")
    data["scale"] = args.scale
    Path(args.json).write_text(json.dumps(data, indent=2))
    return 0


# --- Orchestrating: one process per scale, then the comparison --------------------------------


def database_for(scale: float, main: bool, tiny_url: str | None = None) -> tuple[str, bool]:
    """The database URL of a scale and whether it must be generated."""
    url = os.environ.get("DATABASE_URL") if main else tiny_url
    if url and url.startswith("postgres"):
        return url, not _filled(url)
    if url:
        return url, not Path(url.removeprefix("sqlite:///")).exists()
    url = default_database_url(scale)
    return url, not Path(url.removeprefix("sqlite:///")).exists()


def _filled(url: str) -> bool:
    """Whether the PostgreSQL database exists and holds a dataset (it is created when missing)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
            return False
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT to_regclass('partners_memberauthority')").fetchone()
        if row[0] is None:
            return False
        return bool(
            connection.execute("SELECT count(*) FROM partners_memberauthority").fetchone()[0]
        )


def run_scale(
    scale: float,
    *,
    main: bool,
    repeat: int,
    regenerate: bool,
    tiny_url: str | None = None,
    only: str = "",
) -> dict[str, Any]:
    url, missing = database_for(scale, main, tiny_url)
    python = sys.executable
    if regenerate and url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        missing = True
    env = {**os.environ, "DATABASE_URL": url}
    if missing:
        print(f"Generating the scale {scale:g} dataset into {url} ...", flush=True)
        subprocess.run(
            [python, str(BENCH_DIR / "generate.py"), "--scale", str(scale)],
            check=True,
            env=env,
        )
    out = VAR / f"results-{scale:g}.json"
    print(f"Measuring scale {scale:g} ({repeat} runs each) ...", flush=True)
    subprocess.run(
        [
            python,
            __file__,
            "--child",
            "--scale",
            str(scale),
            "--repeat",
            str(repeat),
            "--database-url",
            url,
            "--json",
            str(out),
            *(["--only", only] if only else []),
        ],
        check=True,
        env=env,
    )
    return json.loads(out.read_text())


def table(main: dict[str, Any], tiny: dict[str, Any]) -> str:
    tiny_queries = {r["name"]: r["queries"] for r in tiny["results"]}
    tiny_ms = {r["name"]: r["median_ms"] for r in tiny["results"]}
    at = f"{tiny['scale']:g}"
    lines = [
        f"| benchmark | median ms | max ms | floor ms | ratio to floor | median ms at {at} "
        f"| queries | queries at {at} | peak MiB | calls per sample |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in main["results"]:
        peak = f"{r['peak_mib']:.1f}" if r["peak_mib"] is not None else ""
        mark = " (varies)" if r["queries_vary"] else ""
        floor = f"{r['floor_ms']:.1f}" if r.get("floor_ms") else ""
        ratio = f"{r['median_ms'] / r['floor_ms']:.2f}" if r.get("floor_ms") else ""
        lines.append(
            f"| {r['name']} | {r['median_ms']:.1f} | {r['max_ms']:.1f} | {floor} | {ratio} "
            f"| {tiny_ms.get(r['name'], 0):.1f} | {r['queries']}{mark} "
            f"| {tiny_queries.get(r['name'], '?')} | {peak} | {r.get('batch', 1)} |"
        )
    return "\n".join(lines)


def targets(main: dict[str, Any], tiny: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """Issue 12's targets: (what, the measure with its ratio, met)."""
    m = {r["name"]: r for r in main["results"]}
    t = {r["name"]: r for r in tiny["results"]}
    out: list[tuple[str, str, bool]] = []

    def ran(*names: str) -> bool:
        """Whether these benchmarks ran at both scales (`--only` may have left them out)."""
        return all(name in m and name in t for name in names)

    def over_floor(name: str, limit: float, *, no_query: bool = False) -> None:
        if not ran(name):
            return
        r = m[name]
        ratio = r["median_ms"] / r["floor_ms"]
        met = ratio <= limit and (not no_query or r["queries"] == 0)
        extra = f", {r['queries']} queries" if no_query else ""
        out.append(
            (
                f"{name} ≤ {limit:g}x floor" + (", no query" if no_query else ""),
                f"{ratio:.2f}x ({r['median_ms']:.1f} / {r['floor_ms']:.1f} ms{extra})",
                met,
            )
        )

    for name in (
        f"{FIXED_SLUG} page, cached",
        "big city page, cached",
        "public home page (directory), cached",
    ):
        over_floor(name, 2, no_query=True)
    cold = f"{FIXED_SLUG} page, cold cache"
    if ran(cold):
        growth_ratio = m[cold]["median_ms"] / t[cold]["median_ms"]
        out.append(
            (
                f"{cold}: scale {main['scale']:g} ≤ 1.2x scale {tiny['scale']:g}",
                f"{growth_ratio:.2f}x ({m[cold]['median_ms']:.1f} / {t[cold]['median_ms']:.1f} ms)",
                growth_ratio <= 1.2,
            )
        )
    # The officers' workspace: Suresnes' pages cost the same whatever the country holds (its
    # own data is the same at every scale); the big city's own data grows with the scale (2 000
    # projects at 1, 200 at 0.1), so its pages must make the same queries and answer within a
    # second, not cost the same.
    for name in [r["name"] for r in main["results"] if r["name"].startswith("workspace ")]:
        if not ran(name):
            continue
        ratio = m[name]["median_ms"] / t[name]["median_ms"]
        same = m[name]["queries"] == t[name]["queries"]
        measured = (
            f"{ratio:.2f}x ({m[name]['median_ms']:.1f} / {t[name]['median_ms']:.1f} ms), "
            f"{m[name]['queries']} / {t[name]['queries']} queries, "
            f"{m[name]['median_ms'] / m[name]['floor_ms']:.0f}x floor"
        )
        if FIXED_SLUG in name:
            what = f"{name}: scale {main['scale']:g} ≤ 1.2x scale {tiny['scale']:g}, same queries"
            out.append((what, measured, ratio <= 1.2 and same))
        else:
            what = f"{name}: < 1 s, same queries as at scale {tiny['scale']:g}"
            out.append((what, measured, m[name]["median_ms"] < 1000 and same))
    for name in [r["name"] for r in main["results"] if r["name"].startswith("API ")]:
        if not name.endswith(", cold"):
            over_floor(name, 3)
    for name, limit in (
        ("IATI export, streamed", 0.5),
        ("IATI import of the export", 0.3),
        ("IATI re-import, unchanged", 0.5),
    ):
        if not ran(name):
            continue
        r = m[name]
        speed = r["floor_ms"] / r["median_ms"]
        out.append(
            (
                f"{name} ≥ {limit:g}x the lxml floor's speed",
                f"{speed:.2f}x ({r['floor_ms']:.1f} / {r['median_ms']:.1f} ms)",
                speed >= limit,
            )
        )
    export = "IATI export, streamed"
    if ran(export):
        peak, tiny_peak = m[export]["peak_mib"], t[export]["peak_mib"]
        grows = m[export].get("bytes", 0) / max(1, t[export].get("bytes", 1) or 1)
        out.append(
            (
                f"{export}: flat memory (peak ≤ 1.5x the smaller scale's)",
                f"{peak:.1f} MiB against {tiny_peak:.1f} MiB, for a file {grows:.0f}x larger",
                peak <= 1.5 * tiny_peak,
            )
        )
    oda = f"ODA declaration of the big city {ODA_YEAR}"
    if ran(oda):
        out.append(
            (
                f"{oda} < 2 s and < 200 MiB",
                f"{m[oda]['median_ms'] / 1000:.2f} s, {m[oda]['peak_mib']:.1f} MiB",
                m[oda]["median_ms"] < 2000 and m[oda]["peak_mib"] < 200,
            )
        )
    national = f"ODA of every authority {ODA_YEAR} (national)"
    if not ran(national):
        return out
    out.append(
        (
            f"{national} < 5 s in one SQL aggregation",
            f"{m[national]['median_ms'] / 1000:.2f} s, {m[national]['queries']} queries",
            m[national]["median_ms"] < 5000 and m[national]["queries"] == 1,
        )
    )
    # The national page and its file read that aggregation once and add a page of HTML (or the
    # CSV): their ratio to the aggregation tells what the page costs beyond it.
    for name in (
        f"national ODA page {ODA_YEAR} (superuser)",
        f"national ODA CSV {ODA_YEAR} (superuser)",
    ):
        if not ran(name):
            continue
        r = m[name]
        out.append(
            (
                f"{name} < 5 s, one aggregation",
                f"{r['median_ms'] / 1000:.2f} s, {r['queries']} queries, "
                f"{r['median_ms'] / r['floor_ms']:.0f}x floor, "
                f"{r['median_ms'] / m[national]['median_ms']:.2f}x the aggregation",
                r["median_ms"] < 5000,
            )
        )
    return out


def target_table(rows: list[tuple[str, str, bool]]) -> str:
    lines = ["| target | measured | met |", "| --- | --- | --- |"]
    lines += [f"| {what} | {value} | {'pass' if met else 'FAIL'} |" for what, value, met in rows]
    return "\n".join(lines)


def growth(main: dict[str, Any], tiny: dict[str, Any]) -> list[str]:
    tiny_queries = {r["name"]: r["queries"] for r in tiny["results"]}
    tiny_chunks = {r["name"]: r.get("chunks", 1) for r in tiny["results"]}
    # A chunked read may repeat its queries once per extra chunk, no more.
    allowed = {
        r["name"]: tiny_queries.get(r["name"], r["queries"])
        * max(1, r.get("chunks", 1) // tiny_chunks.get(r["name"], 1))
        for r in main["results"]
    }
    return [
        f"{r['name']}: {tiny_queries[r['name']]} queries at scale {tiny['scale']:g}, "
        f"{r['queries']} at scale {main['scale']:g}"
        for r in main["results"]
        if r["queries"] > allowed[r["name"]]
    ]


def machine() -> str:
    cores = os.cpu_count()
    return f"{platform.machine()}, {cores} cores, Python {platform.python_version()}, " + (
        "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    )


def report(
    main: dict[str, Any],
    tiny: dict[str, Any],
    grown: list[str],
    repeat: int,
    goals: list[tuple[str, str, bool]],
) -> str:
    sizes = "\n".join(f"| {k} | {v} |" for k, v in main["sizes"].items())
    verdict = (
        "No query count grows with the data."
        if not grown
        else "Query counts that grow with the data:\n\n" + "\n".join(f"- {g}" for g in grown)
    )
    return (
        f"# Benchmark run of {datetime.date.today():%Y-%m-%d}\n\n"
        f"Scale {main['scale']:g} compared with scale {tiny['scale']:g}; {repeat} runs each; "
        f"machine: {machine()}.\n\n"
        f"## Dataset (scale {main['scale']:g})\n\n| rows | count |\n| --- | ---: |\n{sizes}\n\n"
        f"## Targets (issue 12)\n\n{target_table(goals)}\n\n"
        f"## Results\n\n{table(main, tiny)}\n\n## Query counts\n\n{verdict}\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.1, help="the measured scale (0.1)")
    parser.add_argument("--tiny", type=float, default=0.01, help="the comparison scale (0.01)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each benchmark (5)")
    parser.add_argument(
        "--tiny-database-url", help="database of the comparison scale (default: SQLite file)"
    )
    parser.add_argument("--regenerate", action="store_true", help="rebuild the SQLite datasets")
    parser.add_argument("--no-results", action="store_true", help="write no results file")
    parser.add_argument(
        "--only",
        metavar="SUBSTRING",
        help="run only the benchmarks whose name holds SUBSTRING (case-insensitive), "
        'e.g. --only "IATI"; the targets of the others are left out',
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)

    VAR.mkdir(parents=True, exist_ok=True)
    tiny = run_scale(
        args.tiny,
        main=False,
        repeat=args.repeat,
        regenerate=args.regenerate,
        tiny_url=args.tiny_database_url,
        only=args.only or "",
    )
    main_run = run_scale(
        args.scale,
        main=True,
        repeat=args.repeat,
        regenerate=args.regenerate,
        only=args.only or "",
    )
    grown = growth(main_run, tiny)
    goals = targets(main_run, tiny)
    print()
    print(table(main_run, tiny))
    print()
    print(target_table(goals))
    print()
    if not args.no_results:
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{datetime.date.today():%Y-%m-%d}.md"
        path = RESULTS / f"{datetime.datetime.now():%Y-%m-%d-%H%M}-scale-{args.scale:g}.md"
        path.write_text(report(main_run, tiny, grown, args.repeat, goals))
        print(f"Written {path.relative_to(BENCH_DIR.parent)}")
    if grown:
        print("Query counts grow with the data (an N+1 somewhere):", file=sys.stderr)
        for line in grown:
            print(f"  {line}", file=sys.stderr)
        return 1
    print("No query count grows with the data.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
