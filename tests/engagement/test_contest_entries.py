"""Every entry with why it counts or not, from the inbox and from listening."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from chorus.engagement import contests
from chorus.engagement.contest_entries import entries_of
from chorus.listening.models import Mention
from chorus.people.models import Author
from chorus.people.services import link_identities
from tests.engagement.contest_support import brand_channel, contest_on, published_post, replies_to


def verdicts(contest):  # type: ignore[no-untyped-def]
    return {(e.entry_id, e.text): (e.counts, e.reason) for e in entries_of(contest).entries}


def test_each_reason_an_entry_does_not_count(workspace_a, alice) -> None:
    target = published_post(brand_channel(workspace_a))
    replies_to(
        target,
        ("ann", "MUG please"),
        ("ben", "no keyword here"),
        ("ann", "mug again"),
        ("intern", "mug for me"),
        ("troll", "mug mug"),
        ("eve", "mug?"),
    )
    replies_to(target, ("old", "mug, but early"), at=timezone.now() - timedelta(days=10))
    contest = contest_on(
        target,
        keyword="mug",
        team_handles="@intern@example.social",
        blocklist="troll@example.social",
    )
    contests.exclude_entry(contest, "mastodon:eve", "Bought followers", alice)

    found = verdicts(contest)

    assert found[("mastodon:ann", "MUG please")] == (True, "")
    assert found[("mastodon:ben", "no keyword here")] == (False, "Keyword missing")
    assert found[("mastodon:ann", "mug again")] == (False, "Duplicate of ann@example.social")
    assert found[("mastodon:intern", "mug for me")] == (False, "Team member")
    assert found[("mastodon:troll", "mug mug")] == (False, "Blocklisted")
    assert found[("mastodon:eve", "mug?")] == (False, "Excluded by hand: Bought followers")
    assert found[("mastodon:old", "mug, but early")] == (False, "Outside the contest's period")
    assert entries_of(contest).counting_ids == ["mastodon:ann"]


def test_restoring_an_excluded_entry_counts_it_again_and_both_are_logged(
    workspace_a, alice
) -> None:
    target = published_post(brand_channel(workspace_a))
    replies_to(target, ("eve", "me"))
    contest = contest_on(target)
    contests.exclude_entry(contest, "mastodon:eve", "looks fake", alice)

    contests.restore_entry(contest, "mastodon:eve", alice)

    assert entries_of(contest).counting_ids == ["mastodon:eve"]
    assert list(contest.events.values_list("kind", "detail")) == [
        ("restored", "mastodon:eve"),
        ("excluded", "mastodon:eve: looks fake"),
    ]


def test_linked_identities_count_as_one_person(workspace_a) -> None:
    target = published_post(brand_channel(workspace_a))
    replies_to(target, ("ann", "me"), ("ann-alt", "me again from my other account"))
    accounts = list(Author.objects.filter(workspace=workspace_a, remote_id__in=["ann", "ann-alt"]))
    link_identities(accounts, "Ann", workspace_a)
    contest = contest_on(target)

    found = entries_of(contest)

    assert found.counting_ids == ["mastodon:ann"]
    assert found.entries[1].reason == "Duplicate of ann@example.social"


def test_the_brands_own_answers_never_count(workspace_a) -> None:
    channel = brand_channel(workspace_a)
    target = published_post(channel)
    replies_to(target, ("ann", "me"))
    contest = contest_on(target, team_handles="")
    own = Author.objects.create(
        workspace=workspace_a, network="mastodon", remote_id="x9", handle="brand"
    )
    from chorus.inbox.models import Conversation, Message

    talk = Conversation.objects.get(channel=channel, remote_id=target.remote_id)
    Message.objects.create(
        workspace=workspace_a, conversation=talk, channel=channel, remote_id="own-1", author=own,
        text="Good luck all!", created_at=timezone.now() - timedelta(minutes=5),
    )  # fmt: skip

    assert [e.reason for e in entries_of(contest).entries if not e.counts] == ["Team member"]


def test_mentions_of_the_hashtag_are_entries_too(workspace_a) -> None:
    target = published_post(brand_channel(workspace_a))
    contest = contest_on(target, hashtag="#ChorusMug")
    writer = Author.objects.create(
        workspace=workspace_a, network="bluesky", remote_id="did:plc:abc", handle="zoe.bsky.social"
    )
    for n, text in enumerate(["I want a #chorusmug", "no tag here"]):
        Mention.objects.create(
            workspace=workspace_a, network="bluesky", remote_id=f"at://{n}", text=text,
            author=writer, published_at=timezone.now() - timedelta(hours=1),
        )  # fmt: skip

    assert entries_of(contest).counting_ids == ["bluesky:did:plc:abc"]
