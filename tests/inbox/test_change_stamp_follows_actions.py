"""An open inbox polls the change stamp (``listing.change_stamp``): every action a person takes
on a conversation must move it, or the other open lists (and the cached counts) miss it."""

from __future__ import annotations

import pytest

from chorus.inbox import listing, services
from chorus.inbox.models import Message, Priority
from tests.inbox import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def talk(workspace_a):  # type: ignore[no-untyped-def]
    return factories.conversation(factories.channel(workspace_a), "Where is my refund?")


def test_a_new_priority_moves_the_stamp(alice, talk) -> None:
    before = listing.change_stamp(talk.workspace_id)
    services.set_priority(talk, Priority.values[-1], alice)
    assert listing.change_stamp(talk.workspace_id) != before


def test_a_corrected_sentiment_moves_the_stamp(alice, talk) -> None:
    message = Message.objects.filter(conversation=talk).first()
    assert message is not None
    before = listing.change_stamp(talk.workspace_id)
    services.correct(message, "sentiment", "negative", alice)
    assert listing.change_stamp(talk.workspace_id) != before
