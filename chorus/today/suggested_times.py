"""Today's hint for whoever plans posts: the workspace's best hours to post, from its history.

Publishing cannot import analytics (it sits below it), so the hint lives here, above both.
"""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from chorus.analytics.figures import suggest_slots
from chorus.today.sections import Section
from chorus.workspaces.models import Membership
from chorus.workspaces.permissions import Permission, can


def suggested_times(membership: Membership) -> Section | None:
    """The three best hours of the week; left out when there is too little history to say."""
    if not can(membership, Permission.COMPOSE):
        return None
    workspace, now = membership.workspace, timezone.now()
    slots = suggest_slots(workspace, 3, now=now)
    if not slots:
        return None
    items = []
    for slot in slots:
        upcoming = slot.next_at(now, workspace.timezone)
        items.append(
            {
                "title": formats.date_format(upcoming, "l H:i"),
                "meta": _("median %(median)s engagements over %(posts)s posts")
                % {"median": formats.number_format(slot.median or 0, 0), "posts": slot.posts},
            }
        )
    return Section(
        key="suggested-times",
        title=_("Suggested times to post"),
        items=items,
        link="analytics:best_times",
        link_text=_("Best times"),
    )
