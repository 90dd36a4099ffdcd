"""A thread's part is claimed like a target (invariant 1): of two workers holding the same part,
one sends it and the other stops; the network sees it once."""

from __future__ import annotations

from django.utils import timezone

from chorus.publishing import dispatcher, threads
from chorus.publishing.models import PostPart, PostTarget, State

from .conftest import scheduled
from .thread_support import publish_with_parts, with_options


def _waiting_part_two(alice, channel_a, standin, text: str) -> PostTarget:  # type: ignore[no-untyped-def]
    target = with_options(scheduled(alice, channel_a, f"{text} 1"), thread=[f"{text} 2"])
    standin.faults.forced = ["", "500"]  # part 2 waits for a retry
    publish_with_parts(target.pk)
    PostPart.objects.filter(target=target).update(due_at=timezone.now())
    target.refresh_from_db()
    return target


def test_a_part_claimed_twice_is_sent_once(alice, channel_a, standin) -> None:
    target = _waiting_part_two(alice, channel_a, standin, "Twice")
    first_worker = list(target.parts.all())
    second_worker = list(PostTarget.objects.get(pk=target.pk).parts.all())

    assert threads.publish_part(target, first_worker[0], first_worker, None) == "published"
    assert threads.publish_part(target, second_worker[0], second_worker, None) == "taken"

    assert [s.text for s in standin.store.statuses] == ["Twice 1", "Twice 2"]
    part = target.parts.get()
    assert part.state == State.PUBLISHED
    assert part.attempts == 2  # the first try that met the 500, then this one


def test_two_claims_on_the_same_part_version_one_wins(alice, channel_a, standin) -> None:
    target = _waiting_part_two(alice, channel_a, standin, "Claim")
    first_view = PostPart.objects.get(target=target)
    second_view = PostPart.objects.get(target=target)

    assert sorted([dispatcher.claim(first_view), dispatcher.claim(second_view)]) == [False, True]
    assert PostPart.objects.get(target=target).state == State.PUBLISHING


def test_a_moved_part_cannot_be_moved_again_from_an_old_view(alice, channel_a, standin) -> None:
    target = _waiting_part_two(alice, channel_a, standin, "Stale")
    stale = PostPart.objects.get(target=target)
    assert dispatcher.claim(PostPart.objects.get(target=target))

    assert dispatcher.move(stale, State.FAILED, expect=State.SCHEDULED) is False
    assert PostPart.objects.get(target=target).state == State.PUBLISHING
