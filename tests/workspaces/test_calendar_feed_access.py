"""A calendar subscription stops answering when its person leaves: removed from the workspace or
their account deactivated."""

import pytest
from django.test import Client

from chorus.accounts.models import User
from chorus.publishing import ics
from chorus.workspaces.models import Membership, Workspace

pytestmark = pytest.mark.django_db


def _feed(user: User, workspace: Workspace) -> int:
    return (
        Client().get(f"/publishing/calendar/feed/{ics.feed_token(user, workspace)}.ics").status_code
    )


def test_the_feed_stops_for_a_deactivated_person(bob: User, workspace_a: Workspace) -> None:
    assert _feed(bob, workspace_a) == 200
    bob.is_active = False
    bob.save()
    assert _feed(bob, workspace_a) == 404


def test_the_feed_stops_for_a_removed_member(bob: User, workspace_a: Workspace) -> None:
    assert _feed(bob, workspace_a) == 200
    Membership.objects.filter(user=bob, workspace=workspace_a).delete()
    assert _feed(bob, workspace_a) == 404
