"""The sections of the Today page. Each is a function of the membership returning a Section."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from chorus.workspaces.models import Invitation, Membership


@dataclass
class Section:
    key: str
    title: str
    items: list[dict[str, Any]] = field(default_factory=list)
    empty_text: str = ""
    link: str = ""
    link_text: str = ""


def pending_invitations(membership: Membership) -> Section:
    pending = Invitation.objects.filter(workspace=membership.workspace, accepted_at=None).order_by(
        "-created_at"
    )[:5]
    return Section(
        key="invitations",
        title=str(_("Invitations waiting for an answer")),
        items=[{"title": inv.email, "meta": inv.get_role_display()} for inv in pending],
        empty_text=str(_("Nobody is waiting to join.")),
        link="workspaces:members",
        link_text=str(_("Team")),
    )


def getting_started(membership: Membership) -> Section:
    """First steps that make a workspace safe and shared; each disappears once done."""
    from chorus.accounts.twofactor import has_two_factor

    steps = []
    if not has_two_factor(membership.user):
        steps.append(
            {"title": str(_("Turn on two-factor authentication")), "url": "/account/two-factor/"}
        )
    if membership.workspace.memberships.count() < 2:
        steps.append({"title": str(_("Invite your team")), "url": "/workspace/members/"})
    return Section(
        key="getting-started",
        title=str(_("Getting started")),
        items=steps,
        empty_text=str(_("Your workspace is set up.")),
    )


SECTIONS: list[Callable[[Membership], Section]] = [getting_started, pending_invitations]


def sections_for(membership: Membership) -> list[Section]:
    return [build(membership) for build in SECTIONS]
