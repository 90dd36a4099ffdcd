"""Every relations route and who may use it: alice (owner) changes things, bob (contributor)
reads but changes nothing, charlie (outsider) gets 404 on workspace A's people."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from chorus.engagement import relations as services
from chorus.engagement.models.relations import (
    DismissedVoice,
    FollowUp,
    OutreachTemplate,
    Relation,
    RelationEvent,
    Stage,
)
from chorus.workspaces.models import Membership, Role
from tests.engagement.relation_factories import account_of, relation
from tests.listening.mention_factories import make_author

pytestmark = pytest.mark.django_db

DUE = "2027-01-01"
READ_ONLY = ["relations", "relations_board", "relation_templates", "relation_voices",
             "relation_export"]  # fmt: skip


@pytest.fixture(autouse=True)
def _bob_is_a_contributor(workspace_a, bob) -> None:  # type: ignore[no-untyped-def]
    # conftest makes bob an editor (who may manage relations); the brief's read-only is a
    # contributor.
    Membership.objects.filter(workspace=workspace_a, user=bob).update(role=Role.CONTRIBUTOR)


@pytest.fixture
def world(workspace_a, alice):  # type: ignore[no-untyped-def]
    nadia = relation(workspace_a, "Nadia", handle="nadia")
    template = OutreachTemplate.objects.create(workspace=workspace_a, name="Hi", text="Hi {name}")
    follow_up = services.add_follow_up(nadia, "Call", date.today(), alice, alice)
    stranger = make_author(workspace_a, "stranger")
    return {"relation": nadia, "template": template, "follow_up": follow_up, "author": stranger}


def _changes(world):  # type: ignore[no-untyped-def]
    """(url, POST data) for every route that changes something."""
    r, t, f, a = world["relation"], world["template"], world["follow_up"], world["author"]
    return [
        (reverse("engagement:relation_move", args=[r.pk]), {"stage": "partner"}),
        (reverse("engagement:relation_note", args=[r.pk]), {"text": "note"}),
        (reverse("engagement:relation_follow_up", args=[r.pk]), {"text": "x", "due_on": DUE}),
        (reverse("engagement:relation_follow_up_done", args=[f.pk]), {}),
        (reverse("engagement:relation_link", args=[r.pk]), {"handle": "stranger"}),
        (reverse("engagement:relation_unlink", args=[r.pk, account_of(r).pk]), {}),
        (reverse("engagement:relation_edit", args=[r.pk]), {"name": "Changed"}),
        (reverse("engagement:relation_outreach", args=[r.pk, t.pk]), {"text": "Hi"}),
        (reverse("engagement:relation_template_new"), {"name": "New", "text": "x"}),
        (reverse("engagement:relation_template_edit", args=[t.pk]), {"name": "Re", "text": "x"}),
        (reverse("engagement:relation_template_delete", args=[t.pk]), {}),
        (reverse("engagement:relation_voice_add", args=[a.pk]), {}),
        (reverse("engagement:relation_voice_dismiss", args=[a.pk]), {}),
        (reverse("engagement:relation_import"), {}),
    ]  # fmt: skip


def _untouched(world) -> None:  # type: ignore[no-untyped-def]
    world["relation"].refresh_from_db()
    assert world["relation"].stage == Stage.SPOTTED
    assert world["relation"].person.name == "Nadia"
    assert not RelationEvent.objects.exists()
    assert FollowUp.objects.get().done_at is None
    assert list(OutreachTemplate.objects.values_list("name", flat=True)) == ["Hi"]
    assert Relation.objects.count() == 1 and not DismissedVoice.objects.exists()
    assert account_of(world["relation"]) is not None


@pytest.mark.parametrize("name", READ_ONLY)
def test_a_contributor_reads_every_page(bob_client, world, name):
    assert bob_client.get(reverse(f"engagement:{name}")).status_code == 200


def test_a_contributor_reads_a_person_but_sees_no_controls(bob_client, world):
    page = bob_client.get(reverse("engagement:relation", args=[world["relation"].pk]))
    assert page.status_code == 200
    assert (
        reverse("engagement:relation_move", args=[world["relation"].pk])
        not in page.content.decode()
    )


def test_a_contributor_changes_nothing(bob_client, world):
    for url, data in _changes(world):
        assert bob_client.post(url, data).status_code == 403, url
    _untouched(world)


def test_an_outsider_gets_404_on_every_object(charlie_client, world):
    assert (
        charlie_client.get(reverse("engagement:relation", args=[world["relation"].pk])).status_code
        == 404
    )
    for url, data in _changes(world):
        if url.endswith(("/templates/new/", "/import/")):
            continue  # not about an object: charlie acts in his own workspace
        assert charlie_client.post(url, data).status_code == 404, url
    _untouched(world)


def test_the_owner_may_use_every_route(alice_client, world):
    for url, data in _changes(world):
        assert alice_client.post(url, data).status_code in (200, 302, 422), url
