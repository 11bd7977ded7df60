"""A national instance on several hosts, as docs/operators.md ("Several hosts") describes it:
two gunicorn servers, a task worker on the Redis queue, the Redis cache, PostgreSQL, and files
in a storage every process reads. Nothing one process needs is kept in another's memory or on
its own disk:
- a spreadsheet sent through one server is checked by the worker, its progress followed and
  its import confirmed through the other server (session, job, file and progress shared);
- a public page cached by one server is served by the other (a write made around the services,
  which expires nothing, does not show: the page comes from the shared cache), and a write
  through the services expires it for both.

Runs when the tests run on PostgreSQL (a database of its own, named after the tests' one) and
REDIS_URL answers (its database is emptied): CI sets both.
"""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook

from tests.processes import (
    Browser,
    Instance,
    flush_redis,
    free_port,
    own_database,
    postgres_url,
    redis_url,
    running,
    wait_for,
)

DATABASE = postgres_url("processes")
REDIS = redis_url()

SET_UP = """
from jumelage.accounts.tests.factories import MembershipFactory, UserFactory
from jumelage.actors.tests.factories import ActorFactory
from jumelage.accounts.models import Role
from jumelage.partners.tests.factories import AuthorityFactory, MemberAuthorityFactory

member = MemberAuthorityFactory(slug="ville-a", authority=AuthorityFactory(name="Ville A"))
officer = UserFactory(username="officer_a", language="en")
officer.set_password("a-long-test-passphrase")
officer.save()
MembershipFactory(user=officer, authority=member, role=Role.OFFICER)
ActorFactory(authority=member, name="Club des Premiers", is_public=True)
print(member.pk)
"""

ACTOR = "Association Plusieurs Serveurs"
RENAMED = "Renamed Around The Services"


def actors_file() -> bytes:
    book = Workbook()
    book.active.append(["name", "is_public"])
    book.active.append([ACTOR, "yes"])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


@pytest.mark.multiprocess
@pytest.mark.skipif(DATABASE is None, reason="runs when the tests run on PostgreSQL")
@pytest.mark.skipif(REDIS is None, reason="runs when REDIS_URL is set and answers (CI sets it)")
def test_two_servers_and_a_worker_share_jobs_files_sessions_and_cached_pages(tmp_path):
    assert DATABASE is not None and REDIS is not None
    flush_redis(REDIS)
    with own_database(DATABASE):
        instance = Instance(
            tmp_path,
            DATABASE,
            DEBUG="false",
            SECRET_KEY="several-processes-" + "x9Kq" * 15,
            # The site's name, as the balancer passes it on; the balancer's own health checks.
            ALLOWED_HOSTS="jumelage.test,127.0.0.1",
            # Plain HTTP on loopback: the tests' stand-in for the HTTPS proxy.
            SECURE_SSL_REDIRECT="false",
            SESSION_COOKIE_SECURE="false",
            CSRF_COOKIE_SECURE="false",
            REDIS_URL=REDIS,
            TASKS_BACKEND="rq",
        )
        instance.set_up()
        member = instance.python(SET_UP).strip().splitlines()[-1]
        instance.manage("collectstatic", "--no-input", "-v0")
        with running(instance):
            check_two_servers(instance, member)


def check_two_servers(instance: Instance, member: str) -> None:
    one, two = free_port(), free_port()
    instance.start_worker()
    instance.start_server(one, "server-1")
    instance.start_server(two, "server-2")
    visitor = Browser()  # anonymous: the public pages

    # A public page rendered by server 1 is now in the shared cache.
    status, page = visitor.get(one, "/en/ville-a/")
    assert status == 200 and "Club des Premiers" in page

    # A spreadsheet sent through server 1, followed through server 2.
    officer = Browser()
    officer.sign_in(one, "officer_a", "a-long-test-passphrase")
    address, _ = officer.post(
        one,
        "/en/reporting/spreadsheets/import/",
        {"kind": "actors", "authority": member},
        files={"file": ("actors.xlsx", actors_file())},
    )
    check = re.search(r"/jobs/(\d+)/$", address)
    assert check, address
    progress = f"/en/reporting/spreadsheets/jobs/{check.group(1)}/progress/"
    fragment = wait_for(
        "the check, followed through server 2",
        lambda: finished(officer.get(two, progress)[1]),
        timeout=60,
    )
    assert "importing it will create 1, update 0 and leave 0 unchanged" in fragment, fragment

    # Confirmed through server 2 (the uploaded file is in the shared storage), followed on 1.
    address, _ = officer.post(two, f"/en/reporting/spreadsheets/jobs/{check.group(1)}/import/", {})
    imported = re.search(r"/jobs/(\d+)/$", address)
    assert imported, address
    progress = f"/en/reporting/spreadsheets/jobs/{imported.group(1)}/progress/"
    fragment = wait_for(
        "the import, followed through server 1",
        lambda: (page := officer.get(one, progress)[1]) and "Imported:" in page and page,
        timeout=60,
    )
    assert "Imported: 1 created, 0 updated, 0 unchanged." in fragment, fragment

    # The import expired the page for both servers: server 2 renders and caches it anew.
    status, page = visitor.get(two, "/en/ville-a/")
    assert status == 200 and ACTOR in page
    # A change around the services expires nothing: server 1 serves the page server 2 cached.
    instance.query("UPDATE actors_actor SET name = %s WHERE name = %s", RENAMED, ACTOR)
    status, page = visitor.get(one, "/en/ville-a/")
    assert status == 200 and ACTOR in page and RENAMED not in page
    # Both servers answer the load balancer, with the Redis queue.
    assert visitor.get(one, "/healthz")[0] == visitor.get(two, "/healthz")[0] == 200


def finished(fragment: str) -> str | None:
    """The fragment once the job has finished (it stops polling), else None."""
    return None if "hx-get" in fragment else fragment
