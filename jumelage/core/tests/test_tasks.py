"""Background tasks: e-mails go through a task that tries again when the mail server does not
take them; recoveries registered by the apps run, one failing without stopping the others."""

from __future__ import annotations

import datetime
import os
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from jumelage.core import tasks


class RefusingBackend:
    """A mail server that does not answer."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


@pytest.fixture
def database_queue(settings, db, monkeypatch):
    """The database queue, its worker run in the test: between tasks the worker closes the
    connections Django may have left stale, which inside the test's transaction would close the
    test's own (on PostgreSQL)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


def test_an_e_mail_goes_out_through_the_worker(settings, database_queue):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    tasks.send_email.enqueue("Subject", "Body", ["someone@example.org"])
    assert mail.outbox == []  # waiting in the queue
    call_command("worker", batch=True, verbosity=0)
    [message] = mail.outbox
    assert (message.subject, message.to) == ("Subject", ["someone@example.org"])


def test_an_e_mail_the_server_refuses_is_tried_again_later(settings, database_queue):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    tasks.send_email.enqueue("Subject", "Body", ["someone@example.org"])
    call_command("worker", batch=True, verbosity=0)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["args"] == ["Subject", "Body", ["someone@example.org"], 2]
    assert retry.run_after > timezone.now() + datetime.timedelta(minutes=4)


def test_an_e_mail_is_given_up_after_three_attempts(settings, database_queue, caplog):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    tasks.send_email.call("Subject", "Body", ["someone@example.org"], tasks.MAIL_ATTEMPTS)
    assert not DBTaskResult.objects.exists()
    assert "given up" in caplog.text


def test_a_task_asked_for_in_a_transaction_is_enqueued_once_it_commits(
    settings, database_queue, django_capture_on_commit_callbacks
):
    settings.TASKS_ENQUEUE_ON_COMMIT = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tasks.enqueue_on_commit(tasks.send_email, "Subject", "Body", ["a@example.org"])
        assert not DBTaskResult.objects.exists()
    callbacks[0]()
    assert DBTaskResult.objects.count() == 1


def test_one_failing_recovery_does_not_stop_the_others(monkeypatch, caplog):
    def broken() -> int:
        raise RuntimeError("broken")

    monkeypatch.setattr(tasks, "_recoveries", [broken, lambda: 2])
    assert tasks.recover_abandoned() == 2
    assert "broken" in caplog.text


def test_work_whose_process_on_this_host_is_gone_is_abandoned_at_once():
    beat = {**tasks.this_process(), "at": time.time()}
    assert not tasks.is_abandoned(beat, since=time.time())
    gone = {**beat, "pid": 2**22 + 12345}  # above Linux's largest process id
    assert tasks.is_abandoned(gone, since=time.time())


def test_work_silent_longer_than_the_limit_is_abandoned(settings):
    settings.TASKS_STALE_AFTER = 60
    elsewhere = {"host": "another-host", "pid": os.getpid()}
    assert not tasks.is_abandoned({**elsewhere, "at": time.time() - 30}, since=0)
    assert tasks.is_abandoned({**elsewhere, "at": time.time() - 61}, since=0)
    assert not tasks.is_abandoned(None, since=time.time() - 30)
    assert tasks.is_abandoned(None, since=time.time() - 61)


def test_the_queues_admin_pages_are_not_in_the_back_office(client, db):
    """They show every task's arguments: e-mails with reset links, other users' jobs."""
    from jumelage.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in ("/en/admin/django_tasks_database/dbtaskresult/", "/en/admin/django_rq/dashboard/"):
        assert client.get(url).status_code == 404, url
