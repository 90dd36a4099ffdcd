"""Helpers for thread tests: a scheduled target with thread options, published as the queue does."""

from __future__ import annotations

from chorus.publishing import dispatcher, tasks
from chorus.publishing.models import PostTarget


def with_options(target: PostTarget, **options: object) -> PostTarget:
    PostTarget.objects.filter(pk=target.pk).update(options=options)
    target.refresh_from_db()
    return target


def publish_with_parts(target_id: int) -> str:
    """As the queue's task does: the target, then its thread's parts."""
    return dispatcher.publish_target(target_id, then=tasks.continue_thread)
