"""Background work of the inbox: the minute's poll sweep, one task per channel, retraining,
and storing what webhooks delivered."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import TaskLockedException

from chorus.core import background
from chorus.inbox import learning, polling, webhooks

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def poll_inboxes_task() -> None:
    polling.poll_due(poll_channel_task)


# Results are not stored (nothing waits for them).
@db_task()
def poll_channel_task(channel_id: int) -> None:
    # The lock stops "Check now" and the sweep from reading one channel twice at once.
    try:
        with HUEY.lock_task(f"inbox-poll-{channel_id}"):
            polling.poll_channel_by_id(channel_id)
    except TaskLockedException:
        log.info("inbox poll of channel %s already running", channel_id)


@db_task()
def retrain_task(workspace_id: int, field: str) -> None:
    learning.retrain(workspace_id, field)


def enqueue_retrain(workspace_id: int, field: str) -> None:
    if HUEY.immediate:
        retrain_task(workspace_id, field)
    else:
        retrain_task.schedule((workspace_id, field), delay=learning.RETRAIN_DELAY_SECONDS)


@db_task()
def ingest_webhook_task(channel_id: int, body: bytes) -> None:
    webhooks.store_delivery(channel_id, body)


# What the inbox's services ask for later (inbox/background.py) is done by these tasks.
background.bind(
    "inbox",
    poll_channel=poll_channel_task,
    retrain=enqueue_retrain,
    store_webhook_delivery=ingest_webhook_task,
)
