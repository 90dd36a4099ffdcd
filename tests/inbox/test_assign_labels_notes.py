"""Assigning (members only, the assignee is told), labels, priority, status and notes."""

from __future__ import annotations

import pytest
from django.core import mail

from chorus.inbox import people, services
from chorus.inbox.models import Label, Status
from chorus.workspaces.models import Membership, Notification, Role
from tests.inbox import factories


@pytest.fixture
def talk(workspace_a):  # type: ignore[no-untyped-def]
    return factories.conversation(factories.channel(workspace_a), "Any news?")


def test_assigning_tells_the_assignee_in_the_app_and_by_mail(alice, bob, talk) -> None:
    services.assign(talk, bob, alice)
    talk.refresh_from_db()
    assert talk.assignee == bob
    note = Notification.objects.get(user=bob)
    assert note.link == f"/inbox/{talk.pk}/"
    assert "Alice Martin" in note.message
    assert mail.outbox[0].to == ["bob@example.org"]


def test_taking_it_yourself_sends_nothing(alice, talk) -> None:
    services.assign(talk, alice, alice)
    assert not Notification.objects.exists()


def test_only_members_can_be_assigned(alice, charlie, talk) -> None:
    with pytest.raises(services.InboxRuleBroken):
        services.assign(talk, charlie, alice)
    talk.refresh_from_db()
    assert talk.assignee is None


def test_unassigning(alice, bob, talk) -> None:
    services.assign(talk, bob, alice)
    services.assign(talk, None, alice)
    talk.refresh_from_db()
    assert talk.assignee is None


def test_labels_are_made_on_first_use_and_stay_in_the_workspace(
    alice, talk, workspace_a, workspace_c
) -> None:
    label = services.label_named(workspace_a, "  Delivery   issue ")
    services.add_label(talk, label, alice)
    assert label.name == "Delivery issue"
    assert services.label_named(workspace_a, "Delivery issue") == label
    services.remove_label(talk, label, alice)
    assert not talk.labels.exists()
    theirs = Label.objects.create(workspace=workspace_c, name="Theirs")
    with pytest.raises(services.InboxRuleBroken):
        services.add_label(talk, theirs, alice)
    with pytest.raises(services.InboxRuleBroken):
        services.label_named(workspace_a, "<b>")


def test_status_priority_and_notes(alice, talk) -> None:
    services.set_priority(talk, 3, alice)
    services.set_status(talk, Status.RESOLVED, alice)
    note = services.add_note(talk, "  Called them back ", alice)
    talk.refresh_from_db()
    assert (talk.priority, talk.status) == (3, Status.RESOLVED)
    assert note.text == "Called them back"
    with pytest.raises(services.InboxRuleBroken):
        services.set_status(talk, "archived", alice)
    with pytest.raises(services.InboxRuleBroken):
        services.set_priority(talk, 9, alice)
    with pytest.raises(services.InboxRuleBroken):
        services.add_note(talk, "  ", alice)


def test_an_analyst_cannot_triage(bob, talk) -> None:
    Membership.objects.filter(user=bob).update(role=Role.ANALYST)
    with pytest.raises(services.InboxRuleBroken):
        services.set_status(talk, Status.RESOLVED, bob)
    with pytest.raises(services.InboxRuleBroken):
        services.add_note(talk, "hi", bob)


def test_linked_accounts_share_one_history(alice, workspace_a) -> None:
    channel = factories.channel(workspace_a)
    on_mastodon = factories.author(workspace_a, handle="lou@piaille.fr")
    on_bluesky = factories.author(workspace_a, handle="lou.bsky.social", network="bluesky")
    first = factories.conversation(channel, "old question", by=on_bluesky)
    second = factories.conversation(channel, "new question", by=on_mastodon)
    assert people.author_history(on_mastodon) == [second]

    person = people.link_authors([on_mastodon, on_bluesky], "Lou", alice)
    on_mastodon.refresh_from_db()
    assert person.name == "Lou"
    assert {c.pk for c in people.author_history(on_mastodon)} == {first.pk, second.pk}
    assert list(people.accounts_of(on_mastodon).exclude(pk=on_mastodon.pk)) == [on_bluesky]


def test_linking_across_workspaces_is_refused(alice, workspace_a, workspace_c) -> None:
    ours = factories.author(workspace_a)
    theirs = factories.author(workspace_c)
    with pytest.raises(services.InboxRuleBroken):
        people.link_authors([ours, theirs], "Mixed", alice)
