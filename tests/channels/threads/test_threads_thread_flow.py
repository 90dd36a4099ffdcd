"""A thread scheduled in Chorus goes out on Threads part after part through the dispatcher, each
part a reply (``reply_to_id``) to the previous one; a lost answer is reconciled from the profile.

Bodies follow Meta's documented shapes (no public recording of Threads publishing exists).
"""

from __future__ import annotations

from itertools import count
from urllib.parse import parse_qs

from django.utils import timezone

from chorus.publishing import dispatcher, services, tasks
from chorus.publishing.models import Outcome, PostTarget, State
from chorus.publishing.sweeper import reconcile
from tests.channels.threads.conftest import USER, V
from tests.loopback import Heard, Loopback, Reply

LIMIT = {"data": [{"quota_usage": 0, "config": {"quota_total": 250, "quota_duration": 86400}}]}


def _serve_numbered(meta: Loopback) -> list[dict[str, str]]:
    """Each container and each post gets its own id; the containers' fields are kept."""
    made: list[dict[str, str]] = []
    numbers = count(1)

    def container(heard: Heard) -> Reply:
        made.append({k: v[-1] for k, v in parse_qs(heard.body.decode()).items()})
        return Reply(200, {"id": f"c{len(made)}"})

    def publish(heard: Heard) -> Reply:
        return Reply(200, {"id": f"90{next(numbers)}"})

    meta.on("GET", f"{V}/{USER}/threads_publishing_limit", Reply(200, LIMIT))
    meta.on("POST", f"{V}/{USER}/threads", container)
    meta.on("POST", f"{V}/{USER}/threads_publish", publish)
    for n in range(1, 4):
        meta.on("GET", f"{V}/90{n}", Reply(200, {"id": f"90{n}", "permalink": f"https://t/{n}"}))
    return made


def _scheduled_thread(alice, channel, *parts: str) -> PostTarget:  # type: ignore[no-untyped-def]
    post = services.create_post(channel.workspace, alice, parts[0], [channel])
    (target,) = services.schedule_post(post, timezone.now())
    PostTarget.objects.filter(pk=target.pk).update(options={"thread": list(parts[1:])})
    target.refresh_from_db()
    return target


def test_each_part_answers_the_previous_one(alice, meta, threads_channel) -> None:
    made = _serve_numbered(meta)
    target = _scheduled_thread(alice, threads_channel, "One", "Two", "Three")

    outcome = dispatcher.publish_target(target.pk, then=tasks.continue_thread)

    assert outcome == Outcome.PUBLISHED
    assert [(m["text"], m.get("reply_to_id", "")) for m in made] == [
        ("One", ""),
        ("Two", "901"),
        ("Three", "902"),
    ]
    target.refresh_from_db()
    assert (target.state, target.remote_id, target.remote_url) == (
        State.PUBLISHED,
        "901",
        "https://t/1",
    )
    assert list(target.parts.values_list("state", "remote_id")) == [
        (State.PUBLISHED, "902"),
        (State.PUBLISHED, "903"),
    ]


def test_a_lost_answer_leaves_the_post_unconfirmed_never_sent_twice(
    alice, meta, threads_channel
) -> None:
    _serve_numbered(meta)
    meta.on("POST", f"{V}/{USER}/threads_publish", Reply(502, "Bad gateway"))
    target = _scheduled_thread(alice, threads_channel, "Only once")

    dispatcher.publish_target(target.pk, then=tasks.continue_thread)

    target.refresh_from_db()
    assert target.state == State.UNCONFIRMED
    assert len(meta.requests(f"{V}/{USER}/threads_publish")) == 1


def test_an_unconfirmed_post_found_on_the_profile_is_reconciled(
    alice, meta, threads_channel
) -> None:
    _serve_numbered(meta)
    meta.on("POST", f"{V}/{USER}/threads_publish", Reply(502, "Bad gateway"))
    target = _scheduled_thread(alice, threads_channel, "Only once")
    dispatcher.publish_target(target.pk, then=tasks.continue_thread)
    now = timezone.now().strftime("%Y-%m-%dT%H:%M:%S+0000")
    found = {"id": "977", "text": "Only once", "permalink": "https://t/977", "timestamp": now}
    meta.on("GET", f"{V}/me/threads", Reply(200, {"data": [found]}))
    meta.on("GET", f"{V}/me/replies", Reply(200, {"data": []}))

    assert reconcile(PostTarget.objects.get(pk=target.pk)) == "reconciled"

    target.refresh_from_db()
    assert (target.state, target.remote_id) == (State.PUBLISHED, "977")
    assert len(meta.requests(f"{V}/{USER}/threads_publish")) == 1
