"""gunicorn's settings (`make serve`, the systemd unit of docs/operators.md), from the environment.

HOST and PORT: where to listen (127.0.0.1:8000: behind a reverse proxy on the same host; 0.0.0.0
behind a load balancer on another). WEB_CONCURRENCY: worker processes (2 per core plus one, at
most 8, by default); each holds its own database connection (count them for PostgreSQL's
max_connections). Long work (imports, large files) goes to the task worker, so a request that
takes more than GUNICORN_TIMEOUT seconds is a fault: its process is killed and replaced.
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 8))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle a worker process now and then (a leak never grows for ever); the jitter keeps them
# from all restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The access log and errors on standard output and error, for journald.
accesslog = "-"
errorlog = "-"
# Heartbeat files in memory rather than on a disk that may stall (gunicorn's advice for Docker
# and slow disks); /dev/shm is there on Debian.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
