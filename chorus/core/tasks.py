"""Worker heartbeat: /healthz tells the worker is alive only if it wrote recently."""

from __future__ import annotations

import os
import socket

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, on_startup

from chorus.core.models import WorkerHeartbeat


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(*, runs_periodic: bool = False) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker=worker_name(),
        defaults={"seen_at": timezone.now(), "runs_periodic": runs_periodic},
    )


@on_startup()
def announce_worker() -> None:
    beat()


@db_periodic_task(crontab(minute="*"))
def heartbeat() -> None:
    beat(runs_periodic=True)
