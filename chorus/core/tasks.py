"""The worker's own periodic beat (for /healthz) and its first beat at start-up (the heartbeat
itself lives in :mod:`chorus.core.heartbeats`, which services may import); the end of each task
announces its writes."""

from __future__ import annotations

from typing import Any

from huey import crontab, signals
from huey.contrib.djhuey import HUEY, db_periodic_task, on_startup

from chorus.core import writes
from chorus.core.heartbeats import beat


@HUEY.signal(signals.SIGNAL_COMPLETE, signals.SIGNAL_ERROR, signals.SIGNAL_RETRYING)
def announce_the_tasks_writes(_signal: str, _task: Any, *_args: Any) -> None:
    """A task's writes outside a transaction move the write stamp when it ends (those inside
    one moved it at commit): kept pages in the web processes are then made again."""
    writes.announce()


@on_startup()
def announce_worker() -> None:
    beat()


@db_periodic_task(crontab(minute="*"))
def heartbeat() -> None:
    beat(runs_periodic=True)
