"""Rules run by ingest take the conversation, author and channel from what the batch just wrote
instead of reading them again: they must see exactly what is stored (followers merged with what
we knew, statuses moved by the news, a person's earlier assignment), and read none of them."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chorus.inbox.ingest import ingest
from chorus.inbox.models import Conversation, RuleAction
from tests.inbox.ingest_support import item, make_channel, person
from tests.inbox.rules_helpers import make_rule

INFLUENTIAL = [{"type": "followers_at_least", "value": 10_000}]


def test_followers_as_merged_with_what_was_stored(workspace_a, bob: Any) -> None:
    channel = make_channel(workspace_a)
    make_rule(workspace_a, INFLUENTIAL, [{"type": "priority", "priority": 3}])
    ingest(channel, [item("m1", thread="t1", author=person(1, followers=50))])
    ingest(channel, [item("m2", thread="t2", author=person(1, followers=20_000), minutes=1)])
    # The network left the count out this time: the stored 20,000 still counts.
    ingest(channel, [item("m3", thread="t3", author=person(1, followers=None), minutes=2)])

    urgent = Conversation.objects.filter(channel=channel, priority=3)
    assert sorted(urgent.values_list("remote_id", flat=True)) == ["t2", "t3"]


def test_status_moved_by_the_news_is_what_the_rule_sees(workspace_a) -> None:
    channel = make_channel(workspace_a)
    ingest(channel, [item("m1")])
    Conversation.objects.filter(channel=channel).update(status="resolved")  # a person closed it
    make_rule(workspace_a, [], [{"type": "resolve"}])

    ingest(channel, [item("m2", minutes=5)])  # they came back: new, then the rule resolves

    [logged] = RuleAction.objects.filter(action="resolve")
    assert (logged.detail["before"], logged.detail["after"]) == ("new", "resolved")
    assert Conversation.objects.get(channel=channel).status == "resolved"


def test_an_assignment_already_there_is_left_alone(workspace_a, bob: Any) -> None:
    channel = make_channel(workspace_a)
    ingest(channel, [item("m1")])
    Conversation.objects.filter(channel=channel).update(assignee=bob, priority=2)
    make_rule(
        workspace_a,
        [],
        [{"type": "assign", "user": bob.pk}, {"type": "priority", "priority": 3}],
    )

    ingest(channel, [item("m2", minutes=5)])

    assert list(RuleAction.objects.values_list("action", flat=True)) == ["priority"]
    conversation = Conversation.objects.get(channel=channel)
    assert (conversation.assignee_id, conversation.priority) == (bob.pk, 3)


def test_rules_read_no_conversation_author_nor_channel_again(workspace_a, bob: Any) -> None:
    channel = make_channel(workspace_a)
    make_rule(
        workspace_a,
        [{"type": "network", "values": ["mastodon"]}, *INFLUENTIAL],
        [{"type": "assign", "user": bob.pk}],
    )
    batch = [item(f"m{n}", thread=f"t{n}", author=person(n, followers=50_000)) for n in range(5)]

    with CaptureQueriesContext(connection) as queries:
        ingest(channel, batch)

    reads = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith("SELECT")]
    tables = {"inbox_conversation": 0, "inbox_author": 0, "channels_channel": 0}
    for sql in reads:
        for table in tables:
            tables[table] += f'FROM "{table}"' in sql
    # Ingest's own: the channel's turn, and the batch's conversations; nothing from the rules.
    assert tables == {"inbox_conversation": 1, "inbox_author": 0, "channels_channel": 1}
    assert Conversation.objects.filter(channel=channel, assignee=bob).count() == 5
