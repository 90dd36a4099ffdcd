"""The relations directory: figures over 90 days (mentions and inbox messages, net sentiment
with its formula, topics, reach), filters, paging, a fixed number of queries, tenancy."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chorus.engagement.models.relations import Stage
from chorus.engagement.relations_figures import voices_of_people
from tests.engagement.relation_factories import account_of, mentions_by, relation
from tests.inbox import factories as inbox

pytestmark = pytest.mark.django_db

URL = reverse("engagement:relations")


def test_figures_count_mentions_and_incoming_messages_of_the_last_90_days(workspace_a):
    nadia = relation(workspace_a, "Nadia", handle="nadia", followers=1200)
    account = account_of(nadia)
    mentions_by(account, "positive", "positive", "negative", "neutral", text="Brand coffee latte")
    mentions_by(account, "negative", days_ago=120)  # too old: not counted
    channel = inbox.channel(workspace_a)
    talk = inbox.conversation(channel, "Love the new roast", by=account, sentiment="positive")
    inbox.message(talk, "Thanks Nadia!", direction="out", remote_id="reply-1")  # the team's own

    voice = voices_of_people(workspace_a, [nadia.person_id])[nadia.person_id]

    assert (voice.mentions, voice.messages) == (4, 1)
    # (positive − negative) ÷ all their texts = (3 − 1) ÷ 5
    assert voice.net_sentiment == 40
    assert "latte" in voice.terms and "coffee" in voice.terms
    assert "brand" not in voice.terms  # the workspace's own name ("Brand A") is left out
    assert voice.last_seen is not None


def test_someone_silent_has_no_net_sentiment(workspace_a):
    quiet = relation(workspace_a, "Quiet")
    assert voices_of_people(workspace_a, [quiet.person_id])[quiet.person_id].net_sentiment is None


def test_directory_shows_each_person_with_reach_stage_and_figures(alice_client, workspace_a):
    nadia = relation(workspace_a, "Nadia", handle="nadia", followers=1200, topics="latte art")
    mentions_by(account_of(nadia), "positive")

    page = alice_client.get(URL).content.decode()

    assert "Nadia" in page and "1,200" in page and "latte art" in page and "+100 %" in page


def test_filters_by_search_stage_network_and_topic(alice_client, workspace_a):
    relation(workspace_a, "Nadia", handle="nadia_cafe", topics="coffee", stage=Stage.PARTNER)
    relation(workspace_a, "Omar", handle="omar", topics="tea", email="omar@example.org")

    def names(**query: str) -> list[str]:
        rows = alice_client.get(URL, query).context["rows"]
        return [row[0].person.name for row in rows]

    assert names(q="nadia_c") == ["Nadia"]
    assert names(q="omar@example") == ["Omar"]
    assert names(stage="partner") == ["Nadia"]
    assert names(topic="tea") == ["Omar"]
    assert names(network="mastodon") == ["Nadia", "Omar"]
    assert names(network="bluesky") == []
    assert names(order="reach") == ["Nadia", "Omar"]  # nobody's reach known: by name


def test_sorted_by_reach_the_unknown_last(alice_client, workspace_a):
    relation(workspace_a, "Small", handle="small", followers=10)
    relation(workspace_a, "Unknown", handle="unknown")
    relation(workspace_a, "Big", handle="big", followers=5000)
    rows = alice_client.get(URL, {"order": "reach"}).context["rows"]
    assert [(row[0].person.name, row[2]) for row in rows] == [
        ("Big", 5000), ("Small", 10), ("Unknown", None)]  # fmt: skip


def test_pages_of_fifty(alice_client, workspace_a):
    for n in range(55):
        relation(workspace_a, f"Person {n:02}")
    first = alice_client.get(URL)
    second = alice_client.get(URL, {"page": 2})
    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 5


def _queries_for(client) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_people(alice_client, workspace_a):
    for n in range(3):
        mentions_by(account_of(relation(workspace_a, f"A{n}", handle=f"a{n}")), "positive")
    few = _queries_for(alice_client)
    for n in range(40):
        mentions_by(account_of(relation(workspace_a, f"B{n}", handle=f"b{n}")), "negative")
    assert _queries_for(alice_client) == few


def test_public_names_and_topics_are_escaped(alice_client, workspace_a):
    relation(workspace_a, "<script>alert(1)</script>", handle="<b>x</b>", topics="<img src=x>")
    page = alice_client.get(URL).content.decode()
    assert "<script>alert(1)" not in page and "<img src=x>" not in page and "<b>x</b>" not in page
    assert "&lt;script&gt;" in page


def test_an_outsider_sees_only_their_own_workspace(charlie_client, workspace_a, workspace_c):
    relation(workspace_a, "Nadia", handle="nadia")
    relation(workspace_c, "Zoé")
    page = charlie_client.get(URL).content.decode()
    assert "Zoé" in page and "Nadia" not in page


def test_export_defuses_formulas_and_stays_in_the_workspace(alice_client, workspace_a, workspace_c):
    relation(workspace_a, '=HYPERLINK("http://evil")', handle="evil")
    relation(workspace_c, "Zoé")
    response = alice_client.get(reverse("engagement:relation_export"))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in body and "Zoé" not in body


def test_old_mentions_do_not_count_as_last_interaction(workspace_a):
    old = relation(workspace_a, "Old", handle="old")
    mentions_by(account_of(old), "positive", days_ago=200)
    voice = voices_of_people(workspace_a, [old.person_id])[old.person_id]
    assert voice.total == 0 and voice.last_seen is None
