"""A due variant is published once, with its link, and the attempt is logged."""

from __future__ import annotations

from chorus.publishing.dispatcher import publish_target
from chorus.publishing.models import Outcome, State

from .conftest import scheduled


def test_due_variant_is_published_with_its_link(alice, channel_a, standin) -> None:
    target = scheduled(alice, channel_a, "Hello from Chorus")

    assert publish_target(target.pk) == Outcome.PUBLISHED

    target.refresh_from_db()
    assert target.state == State.PUBLISHED
    assert target.remote_url.startswith(standin.root)
    assert target.remote_id
    (attempt,) = target.attempt_log.all()
    assert attempt.outcome == Outcome.PUBLISHED
    assert standin.store.stats()["statuses"] == 1


def test_the_idempotency_key_is_the_targets(alice, channel_a, standin) -> None:
    target = scheduled(alice, channel_a, "Keyed")
    publish_target(target.pk)

    (status,) = standin.store.statuses
    assert status.key == str(target.idempotency_key)


def test_a_published_target_is_not_published_again(alice, channel_a, standin) -> None:
    target = scheduled(alice, channel_a, "Only once")
    publish_target(target.pk)

    assert publish_target(target.pk) == "skipped"
    assert standin.store.stats()["statuses"] == 1
