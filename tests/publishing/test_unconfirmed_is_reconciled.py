"""A post whose answer was lost is looked for on the account, never sent again blindly."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from chorus.publishing.dispatcher import publish_target
from chorus.publishing.models import Outcome, PostTarget, State
from chorus.publishing.sweeper import RECONCILE_GRACE, reconcile

from .conftest import scheduled


def test_unreadable_answer_then_found_on_the_account(alice, channel_a, standin) -> None:
    standin.faults.forced = ["garbled"]
    target = scheduled(alice, channel_a, "Made but unreadable")

    assert publish_target(target.pk) == Outcome.UNCONFIRMED
    target.refresh_from_db()
    assert target.state == State.UNCONFIRMED

    assert reconcile(target) == "reconciled"
    target.refresh_from_db()
    assert target.state == State.PUBLISHED
    assert target.remote_url.startswith(standin.root)
    assert standin.store.stats()["statuses"] == 1
    assert list(target.attempt_log.values_list("outcome", flat=True)) == [
        Outcome.UNCONFIRMED,
        Outcome.RECONCILED,
    ]


def test_not_found_waits_then_fails_with_a_reason(alice, channel_a, standin) -> None:
    target = scheduled(alice, channel_a, "Never reached the server")
    PostTarget.objects.filter(pk=target.pk).update(state=State.UNCONFIRMED)
    target.refresh_from_db()

    assert reconcile(target) == "waiting"
    assert reconcile(target, timezone.now() + RECONCILE_GRACE + timedelta(seconds=1)) == "failed"

    target.refresh_from_db()
    assert target.state == State.FAILED
    assert "Check the account" in target.last_error
    assert standin.store.stats()["statuses"] == 0
