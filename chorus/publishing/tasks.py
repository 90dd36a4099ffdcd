"""Background work of publishing: batches of targets, the rest of threads, the minute's dispatch.

A batch is a few targets due within the same second or so (see :func:`.sweeper.plan_batches`):
one queue task for them instead of one each, which is what the queue costs most (four writes
per task on SqliteHuey). The batch reaches a worker a little ahead and waits for each target's
own time, so posts leave on the second and not at the queue's next tick.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from chorus.channels.base import Connection
from chorus.core import background
from chorus.publishing import dispatcher, sweeper, threads
from chorus.publishing.models import PostTarget, State

RECONCILE_AFTER_SECONDS = 30
# Posts due now go ahead of background work: an inbox sweep queues one task per channel, and a
# post must not wait behind five hundred of them. Redis queues have no priorities (None).
PUBLISH_PRIORITY = 10 if HUEY.storage.priority else None


# Results are not stored (nothing waits for them): one write less per batch on the queue.
@db_task(priority=PUBLISH_PRIORITY)
def publish_batch_task(target_ids: list[int]) -> None:
    wait = not HUEY.immediate  # tests run tasks inline and must never sleep
    for target_id, outcome in dispatcher.publish_batch(target_ids, wait=wait, then=continue_thread):
        if HUEY.immediate:
            continue
        if outcome.startswith("later:"):
            # The channel is busy or waiting: come back then, rather than hold a worker.
            delay = max(0.2, float(outcome.removeprefix("later:")))
            enqueue_batch([target_id], timezone.now() + timedelta(seconds=delay))
        elif outcome == "unconfirmed":
            reconcile_target_task.schedule((target_id,), delay=RECONCILE_AFTER_SECONDS)


@db_task()
def publish_target_task(target_id: int) -> None:
    """Kept for tasks queued before batches existed; new work goes to publish_batch_task."""
    publish_batch_task.call_local([target_id])


@db_task()
def reconcile_target_task(target_id: int) -> None:
    target = (
        PostTarget.objects.select_related("channel", "workspace")
        .filter(pk=target_id, state=State.UNCONFIRMED)
        .first()
    )
    if target and sweeper.reconcile(target) == "reconciled":
        continue_thread(target)  # part 1 was found: the rest of its thread goes out now


@db_task()
def continue_thread_task(target_id: int) -> None:
    target = (
        PostTarget.objects.select_related("channel")
        .filter(pk=target_id, state=State.PUBLISHED)
        .first()
    )
    if target:
        continue_thread(target)


def continue_thread(target: PostTarget, connection: Connection | None = None) -> str:
    """Publish a published target's next parts; one that must wait comes back through the queue
    (and through the sweeper if the queue loses it)."""
    outcome = threads.continue_thread(target, connection)
    if outcome.startswith("later:") and not HUEY.immediate:  # inline (tests), the test decides
        delay = max(0.1, float(outcome.removeprefix("later:")))
        continue_thread_task.schedule((target.pk,), delay=delay)
    return outcome


def enqueue_batch(target_ids: list[int], first_due: datetime) -> None:
    """Hand targets to the queue so a worker has them ``lead`` seconds before the first is due."""
    if HUEY.immediate:
        publish_batch_task(target_ids)
        return
    eta = first_due - timedelta(seconds=dispatcher.lead_seconds())
    if eta <= timezone.now():
        publish_batch_task(target_ids)
    else:
        publish_batch_task.schedule((target_ids,), eta=eta)


def enqueue(target_id: int, eta: datetime) -> None:
    """Hand one target to the queue, to run at ``eta`` (now if it is already due)."""
    enqueue_batch([target_id], eta)


# What publishing's services ask for later (chorus.core.background) is done by these.
background.bind("publishing", enqueue=enqueue)


@db_periodic_task(crontab(minute="*"))
def dispatch_due_task() -> None:
    started = timezone.now()
    sweeper.dispatch_due(enqueue_batch=enqueue_batch)
    schedule_quick_checks(started)


@db_task(priority=PUBLISH_PRIORITY)
def rehand_lost_task() -> None:
    sweeper.rehand_lost(enqueue_batch)


def schedule_quick_checks(started: datetime) -> None:
    """Huey's periodic tasks run once a minute at most: the minute's sweep books the quick checks
    of the rest of its minute. They sit in the queue's storage, so a worker killed meanwhile does
    not take them along, and any worker runs them."""
    if HUEY.immediate:  # inline (tests) there is no "later"
        return
    minute = started.replace(second=0, microsecond=0)
    step = sweeper.REHAND_EVERY
    now = timezone.now()
    for n in range(1, int(timedelta(minutes=1) / step)):
        if (eta := minute + n * step) > now:
            rehand_lost_task.schedule(eta=eta)
