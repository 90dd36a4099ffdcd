"""What each role may do. Views ask ``can(membership, Permission.X)``; nothing else decides."""

from __future__ import annotations

from enum import StrEnum

from chorus.accounts.models import User
from chorus.workspaces.models import Membership, Role, Workspace


class Permission(StrEnum):
    VIEW = "view"
    COMPOSE = "compose"  # write posts (a contributor's need approval)
    PUBLISH_WITHOUT_APPROVAL = "publish_without_approval"
    APPROVE = "approve"
    ANSWER = "answer"  # reply and moderate in the inbox
    MANAGE_CHANNELS = "manage_channels"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_WORKSPACE = "manage_workspace"
    DELETE_WORKSPACE = "delete_workspace"
    LISTEN = "listen"  # set up listening: queries, sources, alert destinations
    HANDLE_CRISIS = "handle_crisis"  # open and close a crisis, run its room
    MANAGE_REPORTS = "manage_reports"  # build, schedule and send reports
    RUN_CONTESTS = "run_contests"  # contests, their entries and draws; polls and open questions
    MANAGE_RELATIONS = "manage_relations"  # the relations pipeline: people, notes, follow-ups


_ALL = set(Permission)
ROLE_PERMISSIONS: dict[str, set[Permission]] = {
    Role.OWNER: _ALL,
    Role.ADMIN: _ALL - {Permission.DELETE_WORKSPACE},
    Role.EDITOR: {
        Permission.VIEW,
        Permission.COMPOSE,
        Permission.PUBLISH_WITHOUT_APPROVAL,
        Permission.APPROVE,
        Permission.ANSWER,
        Permission.LISTEN,
        Permission.HANDLE_CRISIS,
        Permission.MANAGE_REPORTS,
        Permission.RUN_CONTESTS,
        Permission.MANAGE_RELATIONS,
    },
    Role.CONTRIBUTOR: {Permission.VIEW, Permission.COMPOSE},
    Role.ANALYST: {Permission.VIEW, Permission.MANAGE_REPORTS},
    Role.CLIENT: {Permission.VIEW, Permission.APPROVE},
}


def membership_of(user: User | None, workspace: Workspace) -> Membership | None:
    """The person's membership of the workspace (None for nobody, or an outsider)."""
    if user is None:
        return None
    return Membership.objects.filter(workspace=workspace, user=user).first()


def can(membership: Membership | None, permission: Permission) -> bool:
    if membership is None:
        return False
    return permission in ROLE_PERMISSIONS.get(membership.role, set())


def roles_assignable_by(membership: Membership) -> list[str]:
    """Only an owner makes owners; nobody hands out more than they have."""
    if membership.role == Role.OWNER:
        return list(Role.values)
    if membership.role == Role.ADMIN:
        return [r for r in Role.values if r != Role.OWNER]
    return []
