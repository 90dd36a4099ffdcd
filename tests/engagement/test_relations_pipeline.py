"""The pipeline: moving a person between the five stages (board and page, with and without
HTMX), notes, follow-ups (and Today), outreach templates, linked accounts, the history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from chorus.engagement import relations as services
from chorus.engagement import relations_outreach
from chorus.engagement.models.relations import (
    EventKind,
    FollowUp,
    OutreachTemplate,
    RelationEvent,
    Stage,
)
from tests.engagement.relation_factories import account_of, mentions_by, relation
from tests.inbox import factories as inbox
from tests.listening.mention_factories import make_author

pytestmark = pytest.mark.django_db


def _move(client, rel, stage: str, headers=None, **extra: str):  # type: ignore[no-untyped-def]
    url = reverse("engagement:relation_move", args=[rel.pk])
    return client.post(url, {"stage": stage, **extra}, headers=headers or {})


def test_moving_writes_the_stage_and_its_history(alice_client, alice, workspace_a):
    nadia = relation(workspace_a, "Nadia")
    response = _move(alice_client, nadia, Stage.CONTACTED)
    assert response.status_code == 302
    nadia.refresh_from_db()
    assert nadia.stage == Stage.CONTACTED
    event = RelationEvent.objects.get(relation=nadia, kind=EventKind.STAGE)
    assert (event.from_stage, event.to_stage, event.by) == ("spotted", "contacted", alice)


def test_moving_to_the_same_stage_writes_nothing(workspace_a, alice):
    nadia = relation(workspace_a, "Nadia")
    assert services.move(nadia, Stage.SPOTTED, alice) is False
    assert not RelationEvent.objects.filter(relation=nadia).exists()


def test_an_unknown_stage_is_refused_and_nothing_changes(alice_client, workspace_a):
    nadia = relation(workspace_a, "Nadia", stage=Stage.PARTNER)
    _move(alice_client, nadia, "famous")
    nadia.refresh_from_db()
    assert nadia.stage == Stage.PARTNER


def test_the_board_moves_with_htmx_and_answers_the_columns(alice_client, workspace_a):
    nadia = relation(workspace_a, "Nadia")
    response = _move(
        alice_client, nadia, Stage.DISCUSSING, next="board", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'id="relation-board"' in response.content.decode()
    board = dict((key, cards) for key, _label, _n, cards in services.board(workspace_a))
    assert [r.pk for r in board["discussing"]] == [nadia.pk]


def test_the_board_without_javascript_comes_back_to_the_board(alice_client, workspace_a):
    nadia = relation(workspace_a, "Nadia")
    response = _move(alice_client, nadia, Stage.PAUSED, next="board")
    assert response.url == reverse("engagement:relations_board")


def test_notes_and_follow_ups(alice_client, alice, bob, workspace_a):
    nadia = relation(workspace_a, "Nadia")
    url = reverse("engagement:relation_note", args=[nadia.pk])
    assert alice_client.post(url, {"text": "  "}).status_code == 422
    alice_client.post(url, {"text": "Met at the Lyon coffee fair"})
    due = (date.today() + timedelta(days=3)).isoformat()
    url = reverse("engagement:relation_follow_up", args=[nadia.pk])
    alice_client.post(url, {"text": "Send samples", "due_on": due, "assignee": bob.pk})
    assert (
        alice_client.post(url, {"text": "x", "due_on": "soon", "assignee": bob.pk}).status_code
        == 422
    )
    follow_up = FollowUp.objects.get(relation=nadia)
    assert (follow_up.text, follow_up.assignee) == ("Send samples", bob)
    page = alice_client.get(reverse("engagement:relation", args=[nadia.pk])).content.decode()
    assert "Met at the Lyon coffee fair" in page and "Send samples" in page


def test_a_follow_up_cannot_go_to_someone_outside_the_workspace(alice_client, charlie, workspace_a):
    nadia = relation(workspace_a, "Nadia")
    url = reverse("engagement:relation_follow_up", args=[nadia.pk])
    response = alice_client.post(url, {"text": "x", "due_on": "2026-12-24", "assignee": charlie.pk})
    assert response.status_code == 422 and not FollowUp.objects.exists()


def test_today_lists_my_follow_ups_overdue_first(alice_client, bob_client, alice, workspace_a):
    nadia, omar = relation(workspace_a, "Nadia"), relation(workspace_a, "Omar")
    services.add_follow_up(nadia, "Call back", date.today() + timedelta(days=2), alice, alice)
    services.add_follow_up(omar, "Overdue reply", date.today() - timedelta(days=2), alice, alice)
    page = alice_client.get(reverse("today")).content.decode()
    assert page.index("Omar: Overdue reply") < page.index("Nadia: Call back")
    assert "Overdue reply" not in bob_client.get(reverse("today")).content.decode()


def test_a_done_follow_up_leaves_today(alice_client, alice, workspace_a):
    nadia = relation(workspace_a, "Nadia")
    follow_up = services.add_follow_up(nadia, "Call back", date.today(), alice, alice)
    url = reverse("engagement:relation_follow_up_done", args=[follow_up.pk])
    assert alice_client.post(url, {"next": "today"}).url == reverse("today")
    assert "Call back" not in alice_client.get(reverse("today")).content.decode()


def test_outreach_template_is_filled_per_person_and_recorded(alice_client, workspace_a):
    nadia = relation(workspace_a, "Nadia", handle="nadia")
    template = OutreachTemplate.objects.create(
        workspace=workspace_a, name="First hello", text="Hi {name} ({handle}), {brand} here. {x}"
    )
    assert relations_outreach.fill(template, nadia) == (
        f"Hi Nadia (@nadia), {workspace_a.name} here. {{x}}"
    )
    url = reverse("engagement:relation_outreach", args=[nadia.pk, template.pk])
    assert "Hi Nadia (@nadia)" in alice_client.get(url).content.decode()
    alice_client.post(url, {"text": "Hi Nadia, edited"})
    nadia.refresh_from_db()
    assert nadia.stage == Stage.CONTACTED
    assert "Hi Nadia, edited" in RelationEvent.objects.get(kind=EventKind.OUTREACH).text


def test_a_template_with_an_unknown_placeholder_is_refused(alice_client, workspace_a):
    url = reverse("engagement:relation_template_new")
    response = alice_client.post(url, {"name": "Hello", "text": "Hi {first_name}"})
    assert response.status_code == 422 and "{first_name}" in response.content.decode()
    alice_client.post(url, {"name": "Hello", "text": "Hi {name}"})
    response = alice_client.post(url, {"name": "Hello", "text": "Again {name}"})
    assert response.status_code == 422 and OutreachTemplate.objects.count() == 1


def test_link_and_unlink_accounts(alice_client, workspace_a):
    nadia = relation(workspace_a, "Nadia", handle="nadia")
    other = make_author(workspace_a, "nadia_blog", network="bluesky")
    url = reverse("engagement:relation_link", args=[nadia.pk])
    assert alice_client.post(url, {"handle": "@nobody"}).status_code == 422
    alice_client.post(url, {"handle": "@Nadia_Blog"})
    other.refresh_from_db()
    assert other.person_id == nadia.person_id
    unlink = reverse("engagement:relation_unlink", args=[nadia.pk, other.pk])
    alice_client.post(unlink)
    other.refresh_from_db()
    assert other.person_id is None
    kinds = set(RelationEvent.objects.values_list("kind", flat=True))
    assert {EventKind.LINKED, EventKind.UNLINKED} <= kinds


def test_an_account_of_someone_else_in_the_directory_is_not_taken(alice_client, workspace_a):
    nadia = relation(workspace_a, "Nadia")
    omar = relation(workspace_a, "Omar", handle="omar")
    url = reverse("engagement:relation_link", args=[nadia.pk])
    assert alice_client.post(url, {"handle": "omar"}).status_code == 422
    assert account_of(omar).person_id == omar.person_id


def test_the_history_shows_conversations_mentions_and_events(alice_client, alice, workspace_a):
    nadia = relation(workspace_a, "Nadia", handle="nadia")
    account = account_of(nadia)
    mentions_by(account, "positive", text="The <b>best</b> flat white in town")
    inbox.conversation(inbox.channel(workspace_a), "Do you ship to Lyon?", by=account)
    services.add_note(nadia, "Prefers e-mail", alice)
    page = alice_client.get(reverse("engagement:relation", args=[nadia.pk])).content.decode()
    assert "Do you ship to Lyon?" in page and "Prefers e-mail" in page
    assert "&lt;b&gt;best&lt;/b&gt;" in page and "<b>best</b>" not in page


def test_edit_profile_keeps_a_bad_address_out(alice_client, workspace_a):
    nadia = relation(workspace_a, "Nadia", email="nadia@example.org")
    url = reverse("engagement:relation_edit", args=[nadia.pk])
    response = alice_client.post(url, {"name": "Nadia B.", "email": "not an address"})
    assert response.status_code == 422
    nadia.refresh_from_db()
    assert nadia.email == "nadia@example.org"
    alice_client.post(url, {"name": "Nadia B.", "email": "nb@example.org", "topics": "coffee"})
    nadia.refresh_from_db()
    assert (nadia.person.name, nadia.email) == ("Nadia B.", "nb@example.org")
