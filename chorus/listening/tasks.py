"""Background work of listening: the sweep of due sources, one task per source."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import TaskLockedException

from chorus.core import background
from chorus.listening import polling

log = logging.getLogger(__name__)

HALF_MINUTE = 30


@db_periodic_task(crontab(minute="*"))
def poll_sources_task() -> None:
    """Every minute, and once more half a minute later: periodic tasks run at most once a
    minute, and a source may be due every 30 seconds."""
    sweep_sources_task()
    if not HUEY.immediate:
        sweep_sources_task.schedule(delay=HALF_MINUTE)


@db_task()
def sweep_sources_task() -> None:
    polling.poll_due_sources(enqueue=poll_source_task)


# Results are not stored (nothing waits for them).
@db_task()
def poll_source_task(source_id: int) -> None:
    # The lock stops a "read now" and the sweep from reading one source twice at once.
    try:
        with HUEY.lock_task(f"listening-poll-{source_id}"):
            polling.poll_source_by_id(source_id)
    except TaskLockedException:
        log.info("listening poll of source %s already running", source_id)


# What listening's services ask for later is done by these tasks.
background.bind("listening", poll_source=poll_source_task)
