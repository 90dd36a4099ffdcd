"""Top voices: accounts outside the pipeline that speak of the brand often, warmly and with
reach, each with its figures; add to the pipeline, dismiss."""

from __future__ import annotations

import math

import pytest
from django.urls import reverse

from chorus.engagement.models.relations import EventKind, Relation, RelationEvent, Stage
from chorus.engagement.relations_voices import top_voices
from tests.engagement.relation_factories import account_of, mentions_by, relation
from tests.inbox import factories as inbox
from tests.listening.mention_factories import make_author

pytestmark = pytest.mark.django_db


def test_ranked_by_texts_warmth_and_reach_with_the_figures(workspace_a):
    fan = make_author(workspace_a, "fan", followers=90)
    star = make_author(workspace_a, "star", followers=99_990)
    mentions_by(fan, "positive", "positive", "positive")
    mentions_by(star, "positive", "neutral")
    inbox.conversation(inbox.channel(workspace_a), "Great beans", by=star, sentiment="positive")

    voices = top_voices(workspace_a)

    assert [v.author.handle for v in voices] == ["star", "fan"]
    star_voice = voices[0]
    assert (star_voice.voice.mentions, star_voice.voice.messages) == (2, 1)
    assert star_voice.voice.net_sentiment == 67  # (2 − 0) ÷ 3
    assert star_voice.score == pytest.approx(3 * (1 + 0.67) * math.log10(100_000))


def test_cold_quiet_known_and_dismissed_accounts_are_left_out(alice_client, workspace_a):
    mentions_by(make_author(workspace_a, "angry"), "negative", "negative")
    mentions_by(make_author(workspace_a, "once"), "positive")
    nadia = relation(workspace_a, "Nadia", handle="nadia")
    mentions_by(account_of(nadia), "positive", "positive")
    bored = make_author(workspace_a, "bored")
    mentions_by(bored, "positive", "positive")
    alice_client.post(reverse("engagement:relation_voice_dismiss", args=[bored.pk]))

    assert top_voices(workspace_a) == []


def test_adding_a_voice_puts_them_in_the_pipeline_as_spotted(alice_client, workspace_a):
    fan = make_author(workspace_a, "fan", followers=300)
    mentions_by(fan, "positive", "positive")
    page = alice_client.get(reverse("engagement:relation_voices")).content.decode()
    assert "fan" in page and "300" in page

    response = alice_client.post(reverse("engagement:relation_voice_add", args=[fan.pk]))
    alice_client.post(reverse("engagement:relation_voice_add", args=[fan.pk]))  # twice: one

    added = Relation.objects.get()
    assert response.url == reverse("engagement:relation", args=[added.pk])
    assert added.stage == Stage.SPOTTED and account_of(added) == fan
    assert RelationEvent.objects.filter(kind=EventKind.ADDED).count() == 1
    assert top_voices(workspace_a) == []


def test_voices_of_another_workspace_are_not_suggested(workspace_a, workspace_c):
    mentions_by(make_author(workspace_c, "elsewhere"), "positive", "positive")
    assert top_voices(workspace_a) == []


def test_an_outsider_cannot_add_or_dismiss_our_voices(charlie_client, workspace_a):
    fan = make_author(workspace_a, "fan")
    for name in ("relation_voice_add", "relation_voice_dismiss"):
        assert charlie_client.post(reverse(f"engagement:{name}", args=[fan.pk])).status_code == 404
