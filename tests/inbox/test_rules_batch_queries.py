"""apply_rules runs inside ingest at thousands of messages a second: a fixed, small number of
queries per batch, not one per message."""

from __future__ import annotations

from typing import Any

from chorus.inbox.models import AuthorList, Conversation, Label, Message, RuleAction
from chorus.inbox.rules import apply_rules
from chorus.workspaces.models import Workspace
from tests.inbox.rules_helpers import make_author, make_channel, make_message, make_rule

BATCH = 500
# About 16 reads and writes per batch, plus the RuleAction INSERTs that SQLite splits in chunks
# of ~69 rows (999 parameters); PostgreSQL sends them in one.
MAX_QUERIES = 30


def test_five_hundred_messages_stay_under_a_small_bound(
    workspace_a: Workspace, bob: Any, django_assert_max_num_queries: Any
) -> None:
    channel = make_channel(workspace_a, "mastodon")
    vips = AuthorList.objects.create(workspace=workspace_a, name="VIP")
    famous = make_author(workspace_a, "famous", followers=90_000)
    vips.authors.add(famous)
    urgent = Label.objects.create(workspace=workspace_a, name="Urgent")
    make_rule(
        workspace_a,
        [
            {"type": "words", "words": ["remboursement", "arnaque"]},
            {"type": "language", "values": ["fr"]},
        ],
        [{"type": "label", "label": urgent.pk}, {"type": "priority", "priority": 3}],
        position=1,
    )
    make_rule(
        workspace_a,
        [{"type": "author_list", "list": vips.pk}, {"type": "followers_at_least", "value": 1000}],
        [{"type": "assign", "user": bob.pk}, {"type": "notify", "users": [bob.pk]}],
        position=2,
        stop_after=True,
    )
    make_rule(
        workspace_a,
        [{"type": "regex", "pattern": r"\bcommande\s*\d+"}],
        [{"type": "resolve"}],
        position=3,
    )
    make_rule(workspace_a, [{"type": "spam"}], [{"type": "resolve"}], position=4, enabled=False)
    messages = []
    for n in range(BATCH):
        text = ["remboursement svp", "arnaque !", "commande 123", "bonjour"][n % 4]
        messages.append(
            make_message(
                workspace_a,
                text,
                channel=channel,
                language="fr",
                author=famous if n % 5 == 0 else None,
            )
        )
    fresh = list(Message.objects.filter(pk__in=[m.pk for m in messages]))  # as ingest has them
    with django_assert_max_num_queries(MAX_QUERIES):
        logged = apply_rules(workspace_a, fresh)
    assert len(logged) == RuleAction.objects.count() > BATCH
    assert Conversation.objects.filter(labels=urgent).count() == BATCH // 2
    assert Conversation.objects.filter(assignee=bob).count() == BATCH // 5
    assert Conversation.objects.filter(status="resolved").count() > 0
