"""One answer to "is this person a member here?", shared by publishing and the inbox."""

from __future__ import annotations

from chorus.accounts.models import User
from chorus.inbox import services as inbox_services
from chorus.publishing import approval_rule
from chorus.publishing import services as publishing_services
from chorus.workspaces.models import Role, Workspace
from chorus.workspaces.permissions import membership_of


def test_members_have_their_role_and_outsiders_nothing(
    alice: User, bob: User, charlie: User, workspace_a: Workspace
) -> None:
    alice_membership = membership_of(alice, workspace_a)
    bob_membership = membership_of(bob, workspace_a)

    assert alice_membership is not None and alice_membership.role == Role.OWNER
    assert bob_membership is not None and bob_membership.role == Role.EDITOR
    assert membership_of(charlie, workspace_a) is None
    assert membership_of(None, workspace_a) is None


def test_publishing_and_the_inbox_ask_the_same_function() -> None:
    assert approval_rule.membership_of is membership_of
    assert publishing_services.membership_of is membership_of
    assert inbox_services.membership_of is membership_of
