"""Polling: backfill once, cursor moved only with what it led to, every error classified."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from chorus.channels import services as channel_services
from chorus.channels.base import InboxPage
from chorus.channels.errors import AuthExpired, Permanent, RateLimited, Transient
from chorus.channels.models import ChannelStatus
from chorus.inbox import polling
from chorus.inbox.models import ChannelInbox, Message
from chorus.inbox.tasks import poll_inboxes_task
from tests.inbox.ingest_support import item, make_channel


class ScriptedNetwork:
    """Stands in for a connection: answers fetch_inbox from a script, records the cursors."""

    def __init__(self, *answers: InboxPage | Exception, refreshed: dict | None = None) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []
        self.refreshed = refreshed

    def fetch_inbox(self, cursor: str = "") -> InboxPage:
        self.asked.append(cursor)
        answer = self.answers.pop(0) if self.answers else InboxPage(items=[], cursor=cursor)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def refreshed_credentials(self) -> dict | None:
        return self.refreshed

    def rotated_credentials(self) -> None:
        return None

    def close(self) -> None:
        pass


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Any:
    scripted: dict[str, ScriptedNetwork] = {}

    def use(script: ScriptedNetwork) -> ScriptedNetwork:
        scripted["now"] = script
        return script

    monkeypatch.setattr(
        channel_services, "connection_for", lambda channel, http=None: scripted["now"]
    )
    return use


def page(cursor: str, *ids: str) -> InboxPage:
    return InboxPage(items=[item(i, minutes=n) for n, i in enumerate(ids)], cursor=cursor)


def test_the_first_poll_backfills_page_after_page_then_never_again(workspace_a, network) -> None:
    channel = make_channel(workspace_a)
    script = network(ScriptedNetwork(page("c1", "m1", "m2"), page("c2", "m3")))

    polling.poll_channel(channel)
    state = ChannelInbox.objects.get(channel=channel)
    assert script.asked == ["", "c1", "c2"]  # until a page brings nothing new
    assert state.backfilled_at is not None and state.cursor == "c2"
    backfilled_at = state.backfilled_at

    network(ScriptedNetwork(page("c3", "m4")))
    polling.poll_channel(channel)

    state.refresh_from_db()
    assert state.backfilled_at == backfilled_at
    assert Message.objects.filter(channel=channel).count() == 4


def test_a_backfill_stops_at_its_page_cap(workspace_a, network) -> None:
    channel = make_channel(workspace_a)
    endless = [page(f"c{n}", f"m{n}") for n in range(50)]
    script = network(ScriptedNetwork(*endless))

    polling.poll_channel(channel)

    assert len(script.asked) == polling.BACKFILL_MAX_PAGES


def test_a_failure_keeps_the_cursor_of_what_was_stored(workspace_a, network) -> None:
    channel = make_channel(workspace_a)
    network(ScriptedNetwork(page("c1", "m1"), Transient("The network timed out.")))

    outcome = polling.poll_channel(channel)

    assert outcome.error == "The network timed out."
    state = ChannelInbox.objects.get(channel=channel)
    assert state.cursor == "c1"  # m1 was stored with it
    assert state.last_error == "The network timed out."
    script = network(ScriptedNetwork(page("c2", "m2")))
    polling.poll_channel(channel)
    assert script.asked[0] == "c1"


def test_a_rate_limit_waits_for_the_network_reset(workspace_a, network) -> None:
    channel = make_channel(workspace_a)
    network(ScriptedNetwork(RateLimited("Too many requests.", retry_after=900)))
    before = timezone.now()

    outcome = polling.poll_channel(channel)

    assert outcome.next_poll_at is not None
    assert before + timedelta(seconds=899) < outcome.next_poll_at
    assert outcome.next_poll_at < before + timedelta(seconds=960)
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.ACTIVE
    assert channel.rate_limit_reset_at is not None


def test_transient_failures_are_counted_and_back_off_until_a_success(workspace_a, network) -> None:
    channel = make_channel(workspace_a)
    every = timedelta(seconds=120)
    for failures in range(3):
        network(ScriptedNetwork(Transient("Timed out.")))
        outcome = polling.poll_channel(channel)
        state = ChannelInbox.objects.get(channel=channel)
        assert state.failures == failures + 1
        assert outcome.next_poll_at is not None and state.last_polled_at is not None
        wait = outcome.next_poll_at - state.last_polled_at
        # 120 s after the first failure, then 240 s, 480 s; at most a tenth earlier (jitter).
        assert every * 2**failures * 0.9 <= wait <= every * 2**failures

    network(ScriptedNetwork(page("c1", "m1")))
    outcome = polling.poll_channel(channel)
    state.refresh_from_db()
    assert state.failures == 0 and state.last_error == ""
    assert outcome.next_poll_at is not None and state.last_polled_at is not None
    assert outcome.next_poll_at - state.last_polled_at == every  # the usual pace again


@pytest.mark.parametrize("failures", [0, 1, 4, 5, 6, 30, 5000])
def test_the_backoff_doubles_per_failure_up_to_the_cap(failures: int) -> None:
    state = ChannelInbox(poll_every_seconds=120, failures=failures)
    expected = min(120 * 2**failures, polling.BACKOFF_CAP_SECONDS)  # 2**5000: no overflow
    assert polling.backoff(state) == timedelta(seconds=expected)
    for seed in range(20):
        wait = polling.retry_delay(state, Transient("Timed out."), random.Random(seed))
        assert timedelta(seconds=expected * 0.9) <= wait <= timedelta(seconds=expected)
    assert polling.backoff(state) <= timedelta(seconds=polling.BACKOFF_CAP_SECONDS)


def test_channels_that_failed_together_do_not_retry_together() -> None:
    state = ChannelInbox(poll_every_seconds=120, failures=10)  # at the cap: one hour
    rng = random.Random(7)
    waits = [polling.retry_delay(state, Transient("Down."), rng) for _ in range(500)]
    spread = max(waits) - min(waits)
    assert spread >= timedelta(minutes=5)  # over most of the six-minute window
    assert len(set(waits)) > 450
    assert max(waits) <= timedelta(seconds=polling.BACKOFF_CAP_SECONDS)


def test_other_errors_keep_their_own_delays_whatever_the_failures() -> None:
    state = ChannelInbox(poll_every_seconds=300, failures=6)
    limited = RateLimited("Too many requests.", retry_after=900)
    assert polling.retry_delay(state, limited) == timedelta(seconds=900)
    assert polling.retry_delay(state, Permanent("Suspended.")) == timedelta(
        seconds=polling.PERMANENT_RETRY_SECONDS
    )
    assert polling.retry_delay(state, AuthExpired("Expired.")) == timedelta(seconds=300)


def test_the_channel_page_says_how_many_checks_failed_in_a_row(
    alice_client, workspace_a, network
) -> None:
    channel = make_channel(workspace_a)
    url = f"/channels/{channel.pk}/"
    assert "failed check" not in alice_client.get(url).content.decode()  # never polled

    for _ in range(2):
        network(ScriptedNetwork(Transient("Timed out.")))
        polling.poll_channel(channel)
    assert "2 failed checks in a row" in alice_client.get(url).content.decode()

    ChannelInbox.objects.filter(channel=channel).update(failures=1)
    assert "1 failed check in a row" in alice_client.get(url).content.decode()

    network(ScriptedNetwork(page("c1", "m1")))
    polling.poll_channel(channel)
    assert "failed check" not in alice_client.get(url).content.decode()


def test_a_refused_token_is_refreshed_once_and_the_poll_goes_on(workspace_a, network) -> None:
    channel = make_channel(workspace_a, encrypted_credentials="")
    network(
        ScriptedNetwork(
            AuthExpired("Token expired."), page("c1", "m1"), refreshed={"access_token": "new"}
        )
    )

    outcome = polling.poll_channel(channel)

    assert outcome.error == "" and outcome.result.new_messages == 1
    channel.refresh_from_db()
    assert channel.credentials["access_token"] == "new"
    assert channel.status == ChannelStatus.ACTIVE


def test_a_token_that_cannot_be_refreshed_asks_a_person_once(workspace_a, network) -> None:
    channel = make_channel(workspace_a)
    network(ScriptedNetwork(AuthExpired("Mastodon refused the token."), refreshed=None))

    polling.poll_channel(channel)
    polling.poll_channel(channel)

    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert ChannelInbox.objects.get(channel=channel).last_error == "Mastodon refused the token."
    assert len(mail.outbox) == 1  # alice, the owner, told once
    assert polling.due_channel_ids(timezone.now() + timedelta(days=1)) == []


def test_a_permanent_error_is_kept_in_words_and_retried_rarely(workspace_a, network) -> None:
    channel = make_channel(workspace_a)
    network(ScriptedNetwork(Permanent("This account was suspended by its server.")))

    outcome = polling.poll_channel(channel)

    state = ChannelInbox.objects.get(channel=channel)
    assert state.last_error == "This account was suspended by its server."
    assert outcome.next_poll_at is not None and state.last_polled_at is not None
    assert outcome.next_poll_at - state.last_polled_at >= timedelta(hours=1)


def test_the_sweep_polls_due_inbox_channels_once_each(workspace_a, workspace_c, network) -> None:
    due = make_channel(workspace_a)
    later = make_channel(workspace_c)
    ChannelInbox.objects.create(
        workspace=workspace_c, channel=later, next_poll_at=timezone.now() + timedelta(hours=1)
    )
    make_channel(workspace_a, remote_id="broken", status=ChannelStatus.NEEDS_RECONNECT)
    make_channel(workspace_a, network="x-not-an-inbox", remote_id="other")
    script = network(ScriptedNetwork(page("c1", "m1")))

    poll_inboxes_task.call_local()

    assert script.asked == ["", "c1"]  # one channel, its backfill
    assert list(Message.objects.values_list("channel_id", flat=True)) == [due.pk]
    assert not polling.claim(due.pk)  # polled: not due again before its interval


def test_check_now_polls_at_once_unless_the_channel_cannot(workspace_a, network) -> None:
    channel = make_channel(workspace_a)
    ChannelInbox.objects.create(
        workspace=workspace_a, channel=channel, next_poll_at=timezone.now() + timedelta(hours=1)
    )
    network(ScriptedNetwork(page("c1", "m1")))

    assert polling.poll_channel_now(channel) is True
    assert Message.objects.filter(channel=channel).count() == 1

    channel.status = ChannelStatus.NEEDS_RECONNECT
    assert polling.poll_channel_now(channel) is False


def test_the_poll_interval_has_a_floor(workspace_a) -> None:
    channel = make_channel(workspace_a)

    with pytest.raises(ValidationError):
        polling.set_poll_every(channel, 10)
    state = polling.set_poll_every(channel, 300)

    assert polling.interval(state) == timedelta(seconds=300)
