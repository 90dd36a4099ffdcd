"""The worker's own periodic beat (for /healthz) and its first beat at start-up; the heartbeat
itself lives in :mod:`chorus.core.heartbeats`, which services may import."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, on_startup

from chorus.core.heartbeats import beat


@on_startup()
def announce_worker() -> None:
    beat()


@db_periodic_task(crontab(minute="*"))
def heartbeat() -> None:
    beat(runs_periodic=True)
