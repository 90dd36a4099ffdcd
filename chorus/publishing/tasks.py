"""Background work of publishing: one task per target, and the minute's dispatch."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from chorus.publishing import dispatcher, sweeper
from chorus.publishing.models import PostTarget, State

RECONCILE_AFTER_SECONDS = 30


# Results are not stored (nothing waits for them): one write less per post on the queue.
@db_task()
def publish_target_task(target_id: int) -> None:
    outcome = dispatcher.publish_target(target_id)
    if outcome.startswith("later:") and not HUEY.immediate:
        # The channel is busy or waiting: come back then, rather than hold a worker.
        delay = max(0.2, float(outcome.removeprefix("later:")))
        publish_target_task.schedule((target_id,), delay=delay)
    elif outcome == "unconfirmed" and not HUEY.immediate:
        reconcile_target_task.schedule((target_id,), delay=RECONCILE_AFTER_SECONDS)


@db_task()
def reconcile_target_task(target_id: int) -> None:
    target = (
        PostTarget.objects.select_related("channel", "workspace")
        .filter(pk=target_id, state=State.UNCONFIRMED)
        .first()
    )
    if target:
        sweeper.reconcile(target)


def enqueue(target_id: int, eta: datetime) -> None:
    """Hand one target to the queue, to run at ``eta`` (now if it is already due)."""
    if eta <= timezone.now() or HUEY.immediate:
        publish_target_task(target_id)
    else:
        publish_target_task.schedule((target_id,), eta=eta)


@db_periodic_task(crontab(minute="*"))
def dispatch_due_task() -> None:
    sweeper.dispatch_due(enqueue)
