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
    ODA_YEAR,
    OFFICER,
    SUPERUSER,
    VAR,
    default_database_url,
    setup_django,
)

RESULTS = BENCH_DIR / "results"


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
    `memory` is set, measure its peak Python allocation in one more run under tracemalloc."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # One untimed run first: imports, template compilation and the database's page cache are
    # paid once per process, not by whichever benchmark happens to come first.
    if before is not None:
        before()
    call()
    times, counts = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        counts.append(len(queries.captured_queries))
    result = {
        "name": name,
        "median_ms": statistics.median(times) * 1000,
        "max_ms": max(times) * 1000,
        "queries": max(counts),
        "queries_vary": min(counts) != max(counts),
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


def run_benchmarks(repeat: int) -> dict[str, Any]:
    import io

    from django.core.cache import cache
    from django.test import Client

    from jumelage.accounts.models import User
    from jumelage.partners.models import MemberAuthority, Partnership
    from jumelage.projects.models import Project, Transaction
    from jumelage.reporting.oda.selectors import oda_declaration
    from jumelage.reporting.spreadsheets.exports import EXPORTS, write_export

    member = MemberAuthority.objects.get(slug=BENCH_SLUG)
    officer = User.objects.get(username=OFFICER)
    admin = User.objects.get(username=SUPERUSER)
    anonymous, as_officer, as_admin = Client(), Client(), Client()
    as_officer.force_login(officer)
    as_admin.force_login(admin)

    def get(client: Client, url: str, *, stream: bool = False) -> Callable[[], int]:
        def call() -> int:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"GET {url} answered {response.status_code}, not 200.")
            if stream:
                return sum(len(chunk) for chunk in response.streaming_content)
            return len(response.content)

        return call

    def warm(call: Callable[[], Any]) -> Callable[[], Any]:
        return call  # called once, untimed, before each run: the page is then in the cache

    authority_page = get(anonymous, f"/{BENCH_SLUG}/")
    home_page = get(anonymous, "/")
    xlsx = EXPORTS["projects"]

    def export_xlsx() -> int:
        stream = io.BytesIO()
        return write_export(
            xlsx, stream, file_format="xlsx", language="fr", user=officer, member=member
        )

    runs = [
        ("public authority page, cold cache", authority_page, cache.clear, False),
        ("public authority page, cached", authority_page, warm(authority_page), False),
        ("public home page (directory), cold", home_page, cache.clear, False),
        ("public home page (directory), cached", home_page, warm(home_page), False),
        (
            "public projects list, cold",
            get(anonymous, f"/{BENCH_SLUG}/projets/"),
            cache.clear,
            False,
        ),
        (
            "admin partnerships (officer)",
            get(as_officer, "/admin/partners/partnership/"),
            None,
            False,
        ),
        ("admin projects (officer)", get(as_officer, "/admin/projects/project/"), None, False),
        (
            "admin transactions (officer)",
            get(as_officer, "/admin/projects/transaction/"),
            None,
            False,
        ),
        ("admin actors (officer)", get(as_officer, "/admin/actors/actor/"), None, False),
        ("admin projects (superuser, all)", get(as_admin, "/admin/projects/project/"), None, False),
        (
            "IATI export, streamed",
            get(anonymous, f"/iati/{BENCH_SLUG}/activities.xml", stream=True),
            None,
            True,
        ),
        (
            f"ODA declaration selector {ODA_YEAR}",
            lambda: oda_declaration(member, ODA_YEAR),
            None,
            False,
        ),
        ("XLSX export of projects (officer)", export_xlsx, None, True),
        (
            "API authorities, page of 100",
            get(anonymous, "/api/v1/authorities?page_size=100"),
            None,
            False,
        ),
        (
            "API projects of one authority, page of 100",
            get(anonymous, f"/api/v1/authorities/{BENCH_SLUG}/projects?page_size=100"),
            None,
            False,
        ),
        (
            "API national projects, page of 100",
            get(anonymous, "/api/v1/projects?page_size=100"),
            None,
            False,
        ),
    ]
    # The IATI export reads projects in chunks of CHUNK_SIZE, each with the same prefetches:
    # its query count may grow with chunks (by design), never with projects.
    from jumelage.reporting.iati.export import CHUNK_SIZE

    published = Project.objects.filter(authority=member, is_public=True).count()
    chunks = {"IATI export, streamed": max(1, -(-published // CHUNK_SIZE))}
    results = [
        measure(name, call, repeat=repeat, before=before, memory=memory)
        for name, call, before, memory in runs
    ]
    sizes = {
        "member authorities": MemberAuthority.objects.count(),
        "partnerships": Partnership.objects.count(),
        "projects": Project.objects.count(),
        "transactions": Transaction.objects.count(),
        f"projects of {BENCH_SLUG}": Project.objects.filter(authority=member).count(),
        f"published projects of {BENCH_SLUG}": Project.objects.filter(
            authority=member, is_public=True
        ).count(),
        f"transactions of {BENCH_SLUG}": Transaction.objects.filter(
            project__authority=member
        ).count(),
        f"{ODA_YEAR} transactions of {BENCH_SLUG}": Transaction.objects.filter(
            project__authority=member, date__year=ODA_YEAR
        ).count(),
    }
    for result in results:
        result["chunks"] = chunks.get(result["name"], 1)
    return {"results": results, "sizes": sizes}


def child(args: argparse.Namespace) -> int:
    """Measure one database (this process only ever opens that one)."""
    setup_django(args.database_url, cache_dir=str(VAR / f"cache-{args.scale:g}"))
    from django.core.management import call_command

    # A dataset made by an earlier version: bring its tables up to date (new columns get
    # their defaults), rather than measure code against a schema it no longer has.
    call_command("migrate", verbosity=0)
    data = run_benchmarks(args.repeat)
    data["scale"] = args.scale
    Path(args.json).write_text(json.dumps(data, indent=2))
    return 0


# --- Orchestrating: one process per scale, then the comparison --------------------------------


def database_for(scale: float, main: bool) -> tuple[str, bool]:
    """The database URL of a scale and whether it must be generated."""
    if main and os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"], False
    url = default_database_url(scale)
    return url, not Path(url.removeprefix("sqlite:///")).exists()


def run_scale(scale: float, *, main: bool, repeat: int, regenerate: bool) -> dict[str, Any]:
    url, missing = database_for(scale, main)
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
            stdout=subprocess.DEVNULL,
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
        f"| benchmark | median ms | max ms | median ms at {at} | queries | queries at {at} "
        "| peak MiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in main["results"]:
        peak = f"{r['peak_mib']:.1f}" if r["peak_mib"] is not None else ""
        mark = " (varies)" if r["queries_vary"] else ""
        lines.append(
            f"| {r['name']} | {r['median_ms']:.1f} | {r['max_ms']:.1f} "
            f"| {tiny_ms.get(r['name'], 0):.1f} | {r['queries']}{mark} "
            f"| {tiny_queries.get(r['name'], '?')} | {peak} |"
        )
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


def report(main: dict[str, Any], tiny: dict[str, Any], grown: list[str], repeat: int) -> str:
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
        f"## Results\n\n{table(main, tiny)}\n\n## Query counts\n\n{verdict}\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.1, help="the measured scale (0.1)")
    parser.add_argument("--tiny", type=float, default=0.01, help="the comparison scale (0.01)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each benchmark (5)")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the SQLite datasets")
    parser.add_argument("--no-results", action="store_true", help="write no results file")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)

    VAR.mkdir(parents=True, exist_ok=True)
    tiny = run_scale(args.tiny, main=False, repeat=args.repeat, regenerate=args.regenerate)
    main_run = run_scale(args.scale, main=True, repeat=args.repeat, regenerate=args.regenerate)
    grown = growth(main_run, tiny)
    print()
    print(table(main_run, tiny))
    print()
    if not args.no_results:
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{datetime.date.today():%Y-%m-%d}.md"
        path.write_text(report(main_run, tiny, grown, args.repeat))
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
