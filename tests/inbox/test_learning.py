"""The team's corrections teach its own workspace, and only its own."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from chorus.classify import get_classifier
from chorus.inbox import learning
from chorus.inbox.ingest import ingest
from chorus.inbox.models import Conversation, Correction, Message, WorkspaceModel
from tests.inbox.ingest_support import item, make_channel

SKATERS = "That new deck is sick, the grip is unreal"


def stored(channel, remote_id: str, text: str, minutes: int = 0) -> Message:  # type: ignore[no-untyped-def]
    ingest(channel, [item(remote_id, text, minutes=minutes, thread=remote_id)])
    return Message.objects.get(channel=channel, remote_id=remote_id)


@pytest.fixture(autouse=True)
def _commits_run_their_callbacks(django_capture_on_commit_callbacks, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Retraining is queued when the correction commits; the test's transaction never does."""
    original = learning.record_correction

    def record_and_commit(*args, **kwargs):  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            return original(*args, **kwargs)

    monkeypatch.setattr(learning, "record_correction", record_and_commit)


def team_label(base: str) -> str:
    """A sentiment the shared classifier did not give, so learning it is visible."""
    return "positive" if base != "positive" else "negative"


def test_a_correction_fixes_the_message_and_is_kept_with_its_text(workspace_a, alice) -> None:
    message = stored(make_channel(workspace_a), "m1", SKATERS)
    label = team_label(message.sentiment)

    learning.record_correction(message, "sentiment", label, alice)

    message.refresh_from_db()
    assert (message.sentiment, message.sentiment_corrected) == (label, True)
    correction = Correction.objects.get(message=message)
    assert (correction.field, correction.new_value, correction.text) == (
        "sentiment",
        label,
        SKATERS,
    )
    assert correction.by == alice
    assert Conversation.objects.get(pk=message.conversation_id).sentiment == label
    assert WorkspaceModel.objects.get(workspace=workspace_a, field="sentiment").corrections == 1


@pytest.mark.parametrize(
    ("field", "value"), [("sentiment", "furious"), ("toxicity", "high"), ("intent", "")]
)
def test_unknown_fields_and_labels_are_refused(workspace_a, alice, field: str, value: str) -> None:
    message = stored(make_channel(workspace_a), "m1", SKATERS)

    with pytest.raises(ValidationError):
        learning.record_correction(message, field, value, alice)

    assert not Correction.objects.exists()


def test_a_near_duplicate_gets_the_team_label_in_that_workspace_only(
    workspace_a, workspace_c, alice
) -> None:
    ours, theirs = make_channel(workspace_a), make_channel(workspace_c)
    base = get_classifier().classify(SKATERS + "!!").sentiment
    label = team_label(get_classifier().classify(SKATERS).sentiment)
    learning.record_correction(stored(ours, "m1", SKATERS), "sentiment", label, alice)
    complaint = stored(ours, "m0", "Still waiting for my refund, third email")
    learning.record_correction(complaint, "intent", "complaint", alice)

    again = stored(ours, "m2", SKATERS + "!!", minutes=5)
    elsewhere = stored(theirs, "m2", SKATERS + "!!", minutes=5)

    assert again.sentiment == label
    assert elsewhere.sentiment == base
    assert stored(ours, "m3", "still waiting for my refund, third email!").intent == "complaint"


def test_retraining_is_skipped_when_nothing_new_was_corrected(workspace_a, alice) -> None:
    message = stored(make_channel(workspace_a), "m1", SKATERS)
    learning.record_correction(message, "intent", "praise", alice)
    model = WorkspaceModel.objects.get(workspace=workspace_a, field="intent")

    again = learning.retrain(workspace_a, "intent")

    assert again is not None and again.trained_at == model.trained_at


def test_the_adapter_cache_follows_a_retrain(workspace_a, alice) -> None:
    channel = make_channel(workspace_a)
    first = stored(channel, "m1", "Do you ship the hoodie to Canada")
    learning.record_correction(first, "intent", "purchase_intent", alice)
    assert learning.classify_for(workspace_a, [first.text])[0].intent == "purchase_intent"

    learning.record_correction(first, "intent", "question", alice)  # a change of mind

    assert learning.classify_for(workspace_a, [first.text])[0].intent == "question"


def test_big_batches_can_be_classified_in_other_processes(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    texts = [f"Where is my order number {n}? Still waiting for my refund" for n in range(12)]
    texts += ["J'adore, merci beaucoup, c'est génial !"] * 12
    at_home = learning.base_classify(texts)
    monkeypatch.setenv("CHORUS_CLASSIFY_PROCESSES", "2")
    monkeypatch.setattr(learning, "POOL_MIN_TEXTS", 4)

    try:
        elsewhere = learning.base_classify(texts)
    finally:
        learning.shutdown_pool()

    assert elsewhere == at_home
