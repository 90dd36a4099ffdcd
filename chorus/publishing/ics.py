"""The plan as an iCalendar feed: a download for members, and a private subscription URL.

The subscription URL carries a token signed with ``django.core.signing`` (user + workspace), so
Google or Apple Calendar can fetch it without a session. Changing
``CHORUS_CALENDAR_FEED_SALT`` revokes every link at once; removing someone from the workspace
revokes theirs, because the membership is checked on every fetch.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from icalendar import Calendar, Event

from chorus.accounts.models import User
from chorus.core.links import safe_url
from chorus.publishing.models import PostKind, PostTarget, State
from chorus.workspaces.models import Membership, Workspace
from chorus.workspaces.permissions import Permission, can

IN_FEED = (State.SCHEDULED, State.PUBLISHING, State.PUBLISHED)
HISTORY = timedelta(days=180)  # calendars refetch the whole feed: keep old posts out of it
EVENT_LENGTH = timedelta(minutes=15)


def _salt() -> str:
    return "chorus.publishing.calendar-feed" + getattr(settings, "CHORUS_CALENDAR_FEED_SALT", "")


def feed_token(user: User, workspace: Workspace) -> str:
    return signing.Signer(salt=_salt()).sign_object({"u": user.pk, "w": workspace.pk})


def membership_for_token(token: str) -> Membership | None:
    """The membership the token was made for, if the signature holds and it still may view."""
    try:
        data = signing.Signer(salt=_salt()).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in "uw"):
        return None
    membership = (
        Membership.objects.select_related("workspace")
        .filter(user_id=int(data["u"]), workspace_id=int(data["w"]))
        .first()
    )
    return membership if can(membership, Permission.VIEW) else None


def feed_url(user: User, workspace: Workspace) -> str:
    path = reverse("publishing:calendar_feed", args=[feed_token(user, workspace)])
    return settings.CHORUS_BASE_URL + path


def _event(target: PostTarget) -> Event:
    start = target.published_at or target.scheduled_at
    assert start is not None
    event = Event()
    # The variant's idempotency key never changes: calendars update the same event on a move.
    event.add("uid", f"{target.idempotency_key}@chorus")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", start + EVENT_LENGTH)
    first_words = Truncator(" ".join(target.text.split())).words(12)
    event.add("summary", f"{target.channel.name}: {first_words}")
    event.add("description", f"{target.get_state_display()}\n\n{target.text}")
    if safe_url(target.remote_url):  # a calendar app opens it like a page would
        event.add("url", target.remote_url)
    event.add("categories", [target.channel.network])
    return event


def calendar_bytes(workspace: Workspace) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Chorus//Publishing calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Chorus · {workspace.name}")
    targets = (
        PostTarget.objects.filter(
            workspace=workspace,
            post__kind=PostKind.POST,
            state__in=IN_FEED,
            scheduled_at__gte=timezone.now() - HISTORY,
        )
        .select_related("channel")
        .order_by("scheduled_at")
    )
    for target in targets:
        calendar.add_component(_event(target))
    return calendar.to_ical()
