"""`manage.py worker`: run the background tasks, whatever the queue (settings.TASKS_BACKEND).

It starts the recovery of abandoned work (jumelage.core.tasks: at once, then every 30 seconds, in
a thread) and then the backend's own worker in this process: django-tasks-db's `db_worker` for
the database queue, django-rq's `rqworker` (with its scheduler, for tasks deferred to later) for
Redis. Stop it with SIGTERM or Ctrl-C: the task that runs is finished first (a second signal
stops it at once; it is then run again by the next worker, see docs/operators.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from jumelage.core.tasks import RECOVER_EVERY, recover_abandoned, start_recovery_thread


class Command(BaseCommand):
    help = "Run the background tasks (spreadsheet jobs, IATI imports, e-mails) of the queue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Database queue: seconds between two looks at the queue when it is empty.",
        )
        parser.add_argument(
            "--recover-every",
            type=float,
            default=RECOVER_EVERY,
            help="Seconds between two looks for abandoned jobs (default: %(default)s).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run the tasks waiting now, then stop (database queue: --batch; Redis: --burst).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = type(task_backends[DEFAULT_TASK_BACKEND_ALIAS]).__name__
        verbosity = options["verbosity"]
        if backend not in {"DatabaseBackend", "RQBackend"}:
            raise CommandError(
                f"The task backend {backend} runs each task at once, in the process that asks "
                "for it: there is no queue for a worker. Set TASKS_BACKEND to database or rq."
            )
        # First what the last worker left running, then the queue.
        found = recover_abandoned()
        if found and verbosity:
            self.stdout.write(f"{found} abandoned job(s) enqueued again.")
        if not options["batch"]:
            start_recovery_thread(options["recover_every"])
        if backend == "DatabaseBackend":
            call_command(
                "db_worker",
                queue_name="*",
                interval=options["interval"],
                batch=options["batch"],
                reload=False,
                worker_id=get_random_string(32),
                verbosity=verbosity,
            )
        else:
            call_command(
                "rqworker",
                "default",
                job_class="django_tasks_rq.Job",
                with_scheduler=True,
                burst=options["batch"],
                verbosity=verbosity,
            )
