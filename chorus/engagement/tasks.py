"""Background work of engagement: a contest that waits for its drand round is drawn as soon as
the round is out (each minute, the round not yet published is simply tried again)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from chorus.engagement import contests


@db_periodic_task(crontab(minute="*"))
def draw_waiting_contests_task() -> None:
    contests.draw_waiting_contests()
