"""Polls' background work: every five minutes, read open polls' counts and close those due.

Five minutes keeps each network's rate budget for posting and the inbox; a poll closes at most
five minutes late, and the results post waits for approval anyway.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from chorus.engagement import poll_tallies

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/5"))
def read_polls_task() -> None:
    closed, read = poll_tallies.read_due_polls()
    if closed or read:
        log.info("polls: %d closed, %d read", closed, read)
