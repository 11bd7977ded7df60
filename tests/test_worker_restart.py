"""A job survives a worker restart (docs/operators.md, "Background jobs"): a spreadsheet import
enqueued while no worker runs waits in the queue; the worker that takes it is killed in the
middle (SIGKILL to its process group: a crash, or a host lost); the next worker finds the run
abandoned (its process is gone), enqueues it again and runs it; the rows are written once.

An instance of its own: on PostgreSQL when the tests run on it (a database named after the
tests' one, created and dropped here), else on a SQLite file. With the database queue always;
with the Redis queue (RQ) when REDIS_URL is set and answers, as on CI, on the Redis database
below REDIS_URL's (it is emptied; test_several_processes.py uses REDIS_URL's own).
"""

from __future__ import annotations

import pytest

from tests.processes import (
    Instance,
    flush_redis,
    instance_database,
    redis_database,
    redis_url,
    running,
    wait_for,
)

ROWS = 1000

CREATE_JOB = f"""
import io
from openpyxl import Workbook
from jumelage.accounts.tests.factories import MembershipFactory, UserFactory
from jumelage.accounts.models import Role
from jumelage.partners.tests.factories import MemberAuthorityFactory
from jumelage.reporting.models import SpreadsheetJob
from jumelage.reporting.spreadsheets import jobs

member = MemberAuthorityFactory(slug="ville-a")
officer = UserFactory(username="officer_a")
MembershipFactory(user=officer, authority=member, role=Role.OFFICER)
book = Workbook()
sheet = book.active
sheet.append(["name", "is_public"])
for number in range({ROWS}):
    sheet.append([f"Association {{number:05d}}", "yes"])
stream = io.BytesIO()
book.save(stream)
stream.seek(0)
from django.core.files import File
name = jobs.storage().save("upload.xlsx", File(stream))
job = SpreadsheetJob.objects.create(
    owner=officer, authority=member, kind="import", list_name="actors", language="en",
    upload_name="actors.xlsx", upload_path=name,
)
jobs.start(job)
print(job.pk)
"""


def redis_for_this_test() -> str | None:
    url = redis_url()
    if url is None:
        return None
    return redis_url(max(redis_database(url) - 1, 0))


BACKENDS = [
    pytest.param("database", id="database-queue"),
    pytest.param(
        "rq",
        id="redis-queue",
        marks=pytest.mark.skipif(
            redis_for_this_test() is None,
            reason="the Redis queue is tested when REDIS_URL is set and answers (CI sets it)",
        ),
    ),
]


@pytest.mark.multiprocess
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_job_survives_a_worker_killed_in_the_middle_of_it(tmp_path, backend):
    env = {"TASKS_BACKEND": backend}
    if backend == "rq":
        url = redis_for_this_test()
        assert url is not None
        flush_redis(url)
        env["REDIS_URL"] = url
    with instance_database(tmp_path, f"restart_{backend}") as database:
        check_the_restart(Instance(tmp_path, database, **env))


def check_the_restart(instance: Instance) -> None:
    instance.set_up()
    job = int(instance.python(CREATE_JOB).strip().splitlines()[-1])

    def status() -> tuple[str, int, str]:
        [row] = instance.query(
            "SELECT status, attempts, message FROM reporting_spreadsheetjob WHERE id = %s", job
        )
        return row[0], row[1], row[2]

    with running(instance):
        # Enqueued while no worker runs: it waits.
        assert status()[:2] == ("pending", 0)
        first = instance.start_worker("worker-1")
        wait_for("the job to start", lambda: status()[0] == "running", timeout=60, every=0.05)
        instance.kill(first)  # SIGKILL, worker and work horse: nothing runs on after it
        assert status()[:2] == ("running", 1), instance.log("worker-1")
        assert instance.query("SELECT COUNT(*) FROM actors_actor") == [(0,)]

        instance.start_worker("worker-2")
        # Done with its counts (they are added just after the import's transaction commits).
        wait_for(
            "the job to finish after the restart",
            lambda: status()[0] == "failed" or status()[2].startswith("Imported:"),
            timeout=180,
            every=0.5,
        )
    state, attempts, message = status()
    assert (state, attempts) == ("done", 2), instance.log("worker-2")
    assert message == f"Imported: {ROWS} created, 0 updated, 0 unchanged."
    assert instance.query("SELECT COUNT(*) FROM actors_actor") == [(ROWS,)]
