"""Spam as a score: stored at ingest, a threshold per rule in the editor, and the dry run."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from chorus.inbox.ingest import SPAM_THRESHOLD, ingest
from chorus.inbox.learning import classify_for
from chorus.inbox.models import Label, Message, Rule
from chorus.workspaces.models import Workspace
from tests.inbox.ingest_support import item, make_channel
from tests.inbox.rules_helpers import make_message

SPAMMY = "FREE FOLLOWERS!!! Click here http://bit.ly/x http://bit.ly/y DM me to win $$$ now"


def test_ingest_keeps_the_classifiers_score_beside_the_yes_no(workspace_a: Workspace) -> None:
    channel = make_channel(workspace_a)
    texts = [SPAMMY, "Bonjour, ma commande n'est pas arrivée"]
    ingest(channel, [item(f"m{n}", text) for n, text in enumerate(texts)])

    expected = [c.spam for c in classify_for(workspace_a, texts)]
    stored = Message.objects.filter(channel=channel).order_by("remote_id")
    assert [m.spam_score for m in stored] == expected
    assert [m.spam for m in stored] == [score >= SPAM_THRESHOLD for score in expected]
    assert len(set(expected)) == 2  # two different scores: the column is not a copy of the flag


def rule_post(**rows: Any) -> dict[str, Any]:
    return {"name": "Spam", "enabled": "on", "a-0-type": "resolve", **rows}


def test_the_editor_saves_the_chosen_threshold(alice_client: Client, workspace_a) -> None:  # type: ignore[no-untyped-def]
    data = rule_post(**{"c-0-type": "spam", "c-0-spam_score": "0.8"})
    response = alice_client.post(reverse("inbox:rules_create"), data)
    assert response.status_code == 302
    rule = Rule.objects.get(workspace=workspace_a)
    assert rule.conditions == [{"type": "spam", "negate": False, "min": 0.8}]

    page = alice_client.get(reverse("inbox:rules_edit", args=[rule.pk])).content.decode()
    assert 'name="c-0-spam_score"' in page and 'value="0.8"' in page


def test_an_empty_threshold_is_the_usual_cut_off(alice_client: Client, workspace_a) -> None:  # type: ignore[no-untyped-def]
    data = rule_post(**{"c-0-type": "spam", "c-0-spam_score": ""})
    assert alice_client.post(reverse("inbox:rules_create"), data).status_code == 302
    assert Rule.objects.get(workspace=workspace_a).conditions[0]["min"] == SPAM_THRESHOLD


def test_a_bad_threshold_is_shown_on_its_field(alice_client: Client, workspace_a) -> None:  # type: ignore[no-untyped-def]
    data = rule_post(**{"c-0-type": "spam", "c-0-spam_score": "lots", "c-1-type": "toxicity"})
    response = alice_client.post(reverse("inbox:rules_create"), data)
    page = response.content.decode()
    assert response.status_code == 422
    assert not Rule.objects.exists()
    # The error sits in the spam row's threshold field, not in the toxicity one.
    spam_field = page.index('name="c-0-spam_score"')
    toxicity_field = page.index('name="c-1-toxicity"')
    error = page.index("A number between 0 and 1.", spam_field)
    assert error < page.index('name="c-1-type"') < toxicity_field
    assert 'value="lots"' in page  # what was typed stays


def test_the_dry_run_counts_what_reaches_the_threshold(alice_client: Client, workspace_a) -> None:  # type: ignore[no-untyped-def]
    for score in (0.95, 0.7, 0.55, 0.2):
        make_message(workspace_a, f"score {score}", spam_score=score)
    label = Label.objects.create(workspace=workspace_a, name="Spam?")
    rows = {"a-0-type": "label", "a-0-label": str(label.pk), "c-0-type": "spam"}

    strict = alice_client.post(
        reverse("inbox:rules_dry_run"), rule_post(**rows, **{"c-0-spam_score": "0.6"})
    )
    usual = alice_client.post(reverse("inbox:rules_dry_run"), rule_post(**rows))

    assert 'class="dry-matched">2<' in strict.content.decode()
    assert 'class="dry-matched">3<' in usual.content.decode()
    assert not Rule.objects.exists()
