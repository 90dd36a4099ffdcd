"""Background work of analytics: the minute's figures run and the hourly channel days.

Their own tasks, bounded by a per-run budget, so reading figures never holds up publishing
or the inbox; a lock keeps two runs from reading the same posts at once.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task
from huey.exceptions import TaskLockedException

from chorus.analytics import channel_days, collection

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def collect_figures_task() -> None:
    try:
        with HUEY.lock_task("analytics-collect"):
            collection.track_new_publications()
            run = collection.collect_due()
            log.info("figures: %s", run)
    except TaskLockedException:
        log.info("the previous figures run is still going")


@db_periodic_task(crontab(minute="5"))
def record_channel_days_task() -> None:
    try:
        with HUEY.lock_task("analytics-channel-days"):
            channel_days.record_channel_days()
    except TaskLockedException:
        log.info("the previous channel days run is still going")
