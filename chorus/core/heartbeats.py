"""Worker heartbeats.

Every worker process has a row: /healthz tells the worker is alive only if one wrote recently.
A ``chorus worker`` also beats continuously (:func:`keep_beating`, every ``BEAT_SECONDS``), so
that when one is killed the others notice within seconds and hand back what it held, instead of
waiting for its claims' lease to run out.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from chorus.core.models import WorkerHeartbeat

log = logging.getLogger(__name__)

BEAT_SECONDS = 0.5
_identity: dict[int, str] = {}


def worker_name() -> str:
    """Host and process, plus a random part: a restarted container often gets the same pid,
    and its new worker must not pass for the one that died."""
    pid = os.getpid()
    if pid not in _identity:
        _identity[pid] = f"{socket.gethostname()}:{pid}:{secrets.token_hex(3)}"
    return _identity[pid]


def silent_after() -> timedelta:
    """How long a continuously beating worker may stay silent before it counts as dead."""
    return timedelta(seconds=float(getattr(settings, "CHORUS_WORKER_SILENT_SECONDS", 2.0)))


def beat(*, runs_periodic: bool = False, every: float | None = None) -> None:
    fields: dict[str, object] = {"seen_at": timezone.now()}
    if runs_periodic:
        fields["runs_periodic"] = True
    if every is not None:
        fields["beats_every"] = every
    if not WorkerHeartbeat.objects.filter(worker=worker_name()).update(**fields):
        WorkerHeartbeat.objects.get_or_create(worker=worker_name(), defaults=fields)


def silent_workers(now: datetime) -> list[str]:
    """Workers that promised to beat continuously and have not for ``silent_after()``."""
    quiet = WorkerHeartbeat.objects.filter(
        beats_every__isnull=False, seen_at__lt=now - silent_after()
    ).exclude(worker=worker_name())
    return list(quiet.values_list("worker", flat=True))


def forget_workers(workers: list[str]) -> None:
    """Once what they held is handed back: a worker that was only slow beats its row back."""
    WorkerHeartbeat.objects.filter(worker__in=workers).delete()


def keep_beating(
    when_silent: Callable[[datetime], object], every: float = BEAT_SECONDS
) -> threading.Thread:
    """Beat every ``every`` seconds in a thread of this process, and after each beat let
    ``when_silent`` hand back what silent workers held (the caller wires publishing in)."""

    def loop() -> None:
        while True:
            try:
                beat(every=every)
                when_silent(timezone.now())
            except Exception:  # a database hiccup must not stop the heart
                log.exception("worker heartbeat failed; trying again")
                close_old_connections()
            time.sleep(every)

    thread = threading.Thread(target=loop, name="chorus-heartbeat", daemon=True)
    thread.start()
    return thread
