"""Pause all publishing from a page, see the red banner everywhere, resume into the held list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chorus.publishing import services
from chorus.publishing.models import PostTarget, State, WorkspacePublishing
from chorus.workspaces.models import Membership, Role
from tests.conftest import signed_in

from .planning_fixtures import make_channel, planned

pytestmark = pytest.mark.django_db


def _fell_due_while_paused(alice, workspace, texts: list[str]) -> list[PostTarget]:  # type: ignore[no-untyped-def]
    channel = make_channel(workspace)
    targets = []
    for text in texts:
        post = planned(alice, [channel], text, timezone.now() + timedelta(hours=1))
        targets.extend(post.targets.all())
    services.pause_workspace(workspace, by=alice)
    PostTarget.objects.filter(pk__in=[t.pk for t in targets]).update(
        due_at=timezone.now() - timedelta(minutes=5),
        scheduled_at=timezone.now() - timedelta(minutes=5),
    )
    return targets


def test_pause_asks_first_then_pauses(alice_client, workspace_a) -> None:
    confirm = alice_client.get("/publishing/pause/").content.decode()
    assert "Yes, pause all publishing" in confirm
    assert not services.is_paused(workspace_a)

    response = alice_client.post("/publishing/pause/", follow=True)

    assert services.is_paused(workspace_a)
    assert (
        WorkspacePublishing.objects.get(workspace=workspace_a).paused_by.email
        == "alice@example.org"
    )
    assert "Publishing is paused." in response.content.decode()


def test_the_banner_shows_on_every_page_while_paused(alice, alice_client, workspace_a) -> None:
    assert 'class="paused-banner"' not in alice_client.get("/today/").content.decode()
    services.pause_workspace(workspace_a, by=alice)
    for page in ("/today/", "/workspace/settings/", "/publishing/calendar/"):
        assert 'class="paused-banner"' in alice_client.get(page).content.decode(), page


def test_the_banner_costs_at_most_one_small_query(alice_client, workspace_a) -> None:
    alice_client.get("/today/")
    with CaptureQueriesContext(connection) as queries:
        alice_client.get("/workspace/settings/")
    about_pause = [
        q for q in queries.captured_queries if "publishing_workspacepublishing" in q["sql"]
    ]
    # at most one: none while the memberships, which carry the switches, are kept
    assert len(about_pause) <= 1


def test_the_banner_is_for_the_paused_workspace_only(alice, charlie_client, workspace_a) -> None:
    services.pause_workspace(workspace_a, by=alice)
    assert 'class="paused-banner"' not in charlie_client.get("/today/").content.decode()


def test_resuming_with_nothing_held_just_says_resumed(alice, alice_client, workspace_a) -> None:
    """Walked: "0 posts fell due meanwhile: decide about them", then an empty list."""
    services.pause_workspace(workspace_a, by=alice)

    response = alice_client.post("/publishing/resume/", follow=True)

    body = response.content.decode()
    assert "Publishing resumed." in body and "fell due" not in body
    assert response.redirect_chain[-1][0] == "/publishing/calendar/"


def test_resume_leads_to_the_held_list(alice, alice_client, workspace_a) -> None:
    _fell_due_while_paused(alice, workspace_a, ["Crisis-era <post>", "Another one"])

    response = alice_client.post("/publishing/resume/", follow=True)

    body = response.content.decode()
    assert response.redirect_chain[-1][0] == "/publishing/held/"
    assert "2 posts fell due meanwhile" in body
    assert "Crisis-era &lt;post&gt;" in body and "Another one" in body
    assert not services.is_paused(workspace_a)


def test_each_held_post_can_be_published_now_or_dropped(alice, alice_client, workspace_a) -> None:
    first, second = _fell_due_while_paused(alice, workspace_a, ["First", "Second"])
    services.resume_workspace(workspace_a)

    alice_client.post(f"/publishing/held/{first.pk}/", {"action": "drop"})
    alice_client.post(f"/publishing/held/{second.pk}/", {"action": "publish"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.held) == (State.DRAFT, False)
    assert second.held is False and second.state in (
        State.SCHEDULED,
        State.PUBLISHING,
        State.FAILED,
        State.PUBLISHED,
    )
    assert second.due_at is not None and second.due_at > timezone.now() - timedelta(minutes=1)


def test_a_held_post_can_be_rescheduled(alice, alice_client, workspace_a) -> None:
    (target,) = _fell_due_while_paused(alice, workspace_a, ["Later please"])
    services.resume_workspace(workspace_a)
    later = (timezone.localtime(timezone.now()) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    alice_client.post(f"/publishing/targets/{target.pk}/reschedule/", {"at": later})

    target.refresh_from_db()
    assert (target.state, target.held) == (State.SCHEDULED, False)
    assert target.scheduled_at > timezone.now()


def test_drop_all_and_publish_all(alice, alice_client, workspace_a) -> None:
    targets = _fell_due_while_paused(alice, workspace_a, ["A", "B", "C"])
    services.resume_workspace(workspace_a)

    alice_client.post("/publishing/held/all/", {"action": "drop"})

    assert {t.state for t in PostTarget.objects.filter(pk__in=[t.pk for t in targets])} == {
        State.DRAFT
    }
    assert "No post is held." in alice_client.get("/publishing/held/").content.decode()


def test_publish_all_releases_every_held_post(alice, alice_client, workspace_a) -> None:
    targets = _fell_due_while_paused(alice, workspace_a, ["A", "B"])
    services.resume_workspace(workspace_a)

    response = alice_client.post("/publishing/held/all/", {"action": "publish"}, follow=True)

    assert "2 posts are going out now." in response.content.decode()
    assert not PostTarget.objects.filter(pk__in=[t.pk for t in targets], held=True).exists()


def test_roles_and_tenancy(alice, bob, charlie_client, workspace_a) -> None:
    (target,) = _fell_due_while_paused(alice, workspace_a, ["Guarded"])
    services.resume_workspace(workspace_a)
    services.pause_workspace(workspace_a, by=alice)
    Membership.objects.filter(user=bob).update(role=Role.ANALYST)
    analyst = signed_in(bob)

    assert analyst.post("/publishing/resume/").status_code == 403
    assert analyst.post(f"/publishing/held/{target.pk}/", {"action": "publish"}).status_code == 403
    assert (
        charlie_client.post(f"/publishing/held/{target.pk}/", {"action": "drop"}).status_code == 404
    )
    charlie_client.post("/publishing/held/all/", {"action": "drop"})
    charlie_client.post("/publishing/resume/")
    assert services.is_paused(workspace_a)
    target.refresh_from_db()
    assert (target.state, target.held) == (State.SCHEDULED, True)


def test_an_editor_may_pull_the_brake(bob_client: Client, workspace_a) -> None:
    bob_client.post("/publishing/pause/")
    assert services.is_paused(workspace_a)
