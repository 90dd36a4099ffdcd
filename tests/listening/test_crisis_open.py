"""Opening a crisis pauses publishing, copies the playbook and starts the timeline."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from chorus.listening import crisis as crises
from chorus.listening import playbook
from chorus.listening.models import EventKind
from chorus.publishing import services as publishing
from tests.listening import crisis_fixtures as fixtures

crisis_a = fixtures.crisis_a


def test_opening_pauses_publishing_and_copies_the_playbook(alice, workspace_a) -> None:
    playbook.add_step(workspace_a, "Call legal")
    playbook.add_step(workspace_a, "Brief the support team")
    playbook.set_what_not_to_say(workspace_a, "Never blame the customer")

    crisis = crises.open_crisis(workspace_a, alice, "Broken kettles")

    assert publishing.is_paused(workspace_a)
    assert crisis.publishing_was_paused
    assert [t.text for t in crisis.tasks.all()] == ["Call legal", "Brief the support team"]
    assert crisis.what_not_to_say == "Never blame the customer"
    assert [e.kind for e in crisis.events.all()] == [EventKind.OPENED, EventKind.PAUSED]
    # Later edits of the playbook do not rewrite the crisis under way.
    playbook.add_step(workspace_a, "Too late")
    assert crisis.tasks.count() == 2


def test_already_paused_is_recorded_as_such(alice, workspace_a) -> None:
    publishing.pause_workspace(workspace_a, by=alice)
    crisis = crises.open_crisis(workspace_a, alice, "Second wave")
    assert not crisis.publishing_was_paused


def test_one_open_crisis_at_a_time(alice, workspace_a, crisis_a) -> None:
    with pytest.raises(crises.CrisisRuleBroken):
        crises.open_crisis(workspace_a, alice, "Another")


def test_closing_leaves_publishing_paused_unless_asked(alice, workspace_a, crisis_a) -> None:
    crises.close_crisis(crisis_a, alice, "Calm again")
    assert publishing.is_paused(workspace_a)
    crisis_b = crises.open_crisis(workspace_a, alice, "Again")
    crises.close_crisis(crisis_b, alice, "Calm again", resume=True)
    assert not publishing.is_paused(workspace_a)


def test_tasks_notes_and_closed_crisis(alice, workspace_a, crisis_a) -> None:
    crises.add_event(crisis_a, alice, EventKind.DECISION, "No comment before legal answers")
    task = playbook.add_step(workspace_a, "x") and None
    assert task is None
    crises.close_crisis(crisis_a, alice, "Done")
    with pytest.raises(crises.CrisisRuleBroken):
        crises.add_event(crisis_a, alice, EventKind.NOTE, "after")
    kinds = list(crisis_a.events.values_list("kind", flat=True))
    assert EventKind.DECISION in kinds and kinds[-1] == EventKind.CLOSED


def test_the_database_keeps_one_open_crisis(alice, workspace_a, crisis_a) -> None:
    """Two people pressing "Open" at once: the second insert is refused by the database."""
    from django.db import IntegrityError, transaction

    from chorus.listening.models import Crisis

    with pytest.raises(IntegrityError), transaction.atomic():
        Crisis.objects.create(workspace=workspace_a, title="Twin", opened_by=alice)
    crises.close_crisis(crisis_a, alice, "Done")
    Crisis.objects.create(workspace=workspace_a, title="Next", opened_by=alice)


def test_the_alert_in_the_timeline_reads_the_workspace_clock(alice, workspace_a) -> None:
    """The alert's window was written in UTC (14:40) among times shown in Paris (15:40)."""
    from tests.listening.alert_history import spike_alert

    alert = spike_alert(workspace_a)
    assert workspace_a.timezone == "Europe/Paris"
    crisis = crises.open_crisis(workspace_a, alice, "Broken kettles", alert)
    event = crisis.events.get(kind=EventKind.ALERT)
    local = alert.window_start.astimezone(ZoneInfo("Europe/Paris"))
    assert f"in {local:%H:%M}–" in event.text and local.utcoffset()
