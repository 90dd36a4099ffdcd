"""The sections of the Today page. Each is a function of the membership returning a Section."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from chorus.core.redact import redact
from chorus.workspaces.models import Invitation, Membership
from chorus.workspaces.permissions import Permission, can


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
    # Only the steps this person may take: the others answer 403.
    may = {p: can(membership, p) for p in (Permission.MANAGE_CHANNELS, Permission.MANAGE_MEMBERS)}
    if may[Permission.MANAGE_CHANNELS] and not _channels(membership):
        steps.append({"title": str(_("Connect your first channel")), "url": "/channels/connect/"})
    if may[Permission.MANAGE_MEMBERS] and membership.workspace.memberships.count() < 2:
        steps.append({"title": str(_("Invite your team")), "url": "/workspace/members/"})
    return Section(
        key="getting-started",
        title=str(_("Getting started")),
        items=steps,
        empty_text=str(_("Your workspace is set up.")),
    )


def _first_words(text: str) -> str:
    return Truncator(text).words(10) or str(_("(no text)"))


def going_out_today(membership: Membership) -> Section:
    """What the workspace publishes for the rest of the day, in its own time zone."""
    from chorus.publishing.models import PostKind, PostTarget, State

    zone = ZoneInfo(membership.workspace.timezone)
    now = timezone.now()
    end_of_day = datetime.combine(now.astimezone(zone).date() + timedelta(days=1), time(0), zone)
    due = (
        PostTarget.objects.filter(
            workspace=membership.workspace,
            post__kind=PostKind.POST,
            state=State.SCHEDULED,
            held=False,
            scheduled_at__gte=now,
            scheduled_at__lt=end_of_day,
        )
        .select_related("channel")
        .only("text", "scheduled_at", "channel__name")  # not the channel's settings, secrets
        .order_by("scheduled_at")[:8]
    )
    items = [
        {
            "title": _first_words(target.text),
            "meta": f"{target.scheduled_at.astimezone(zone):%H:%M} · {target.channel.name}",
            "url": reverse("publishing:reschedule", args=[target.pk]),
        }
        for target in due
        if target.scheduled_at is not None
    ]
    return Section(
        key="going-out-today",
        title=str(_("Going out today")),
        items=items,
        empty_text=str(_("Nothing else is planned today.")),
        link="publishing:calendar",
        link_text=str(_("Calendar")),
    )


def waiting_for_approval(membership: Membership) -> Section | None:
    """Posts whose waiting change is someone else's, that this approver can let through."""
    if not can(membership, Permission.APPROVE):
        return None
    from chorus.publishing.planning import awaiting_approval

    # Not the posts whose waiting words are the viewer's own (approval_rule.waits_on): a
    # contributor's change to the viewer's post waits on them like any other.
    waiting = (
        awaiting_approval(membership.workspace)
        .annotate(waits_on=Coalesce("changed_by", "author"))
        .exclude(waits_on=membership.user.pk)[:5]
    )
    items = [
        {
            "title": _first_words(post.text),
            "meta": str(post.changed_by or post.author or ""),  # whose change waits
            "url": reverse("publishing:approvals") + f"#post-{post.pk}",
        }
        for post in waiting
    ]
    return Section(
        key="approvals",
        title=str(_("Waiting for your approval")),
        items=items,
        empty_text=str(_("Nothing is waiting for your approval.")),
        link="publishing:approvals",
        link_text=str(_("Approvals")),
    )


def held_while_paused(membership: Membership) -> Section | None:
    """Shown only when posts wait for a decision after a pause."""
    from chorus.publishing.models import PostTarget, State

    held = (
        PostTarget.objects.filter(workspace=membership.workspace, state=State.SCHEDULED, held=True)
        .select_related("channel")
        .only("text", "channel__name")
        .order_by("scheduled_at")
    )
    items = [{"title": _first_words(t.text), "meta": t.channel.name} for t in held[:5]]
    if not items:
        return None
    return Section(
        key="held",
        title=str(_("Held while paused")),
        items=items,
        link="publishing:held",
        link_text=str(_("Decide")),
    )


def _channels(membership: Membership) -> list[Any]:
    """The workspace's channels, read once for the page: getting started asks whether there is
    one, the reconnect section which need it. Only what those show; a workspace has tens."""
    if (kept := membership.__dict__.get("_today_channels")) is not None:
        return list(kept)
    from chorus.channels.models import Channel

    found = list(
        Channel.objects.of(membership.workspace).only("network", "name", "status", "last_error")
    )
    membership.__dict__["_today_channels"] = found
    return found


def channels_to_reconnect(membership: Membership) -> Section:
    from chorus.channels.models import ChannelStatus

    # The same channels as channels.services.channels_needing_reconnect, in the same order.
    channels = [c for c in _channels(membership) if c.status == ChannelStatus.NEEDS_RECONNECT]
    items = [
        {
            "title": channel.name,
            "meta": redact(channel.last_error) or channel.network,
            "url": reverse("channels:health", args=[channel.pk]),
        }
        for channel in channels
    ]
    return Section(
        key="reconnect",
        title=str(_("Channels to reconnect")),
        items=items,
        # Not "every channel is connected": one may be disconnected on purpose, or none exist.
        empty_text=str(_("No channel needs reconnecting.")),
        link="channels:list",
        link_text=str(_("Channels")),
    )


def conversations_waiting(membership: Membership) -> Section:
    """Inbox: who waits for an answer, overdue first, then the ones assigned to this person."""
    from django.db.models import Case, F, IntegerField, Q, Value, When

    from chorus.inbox.models import Conversation, Status
    from chorus.inbox.previews import latest_incoming_state, preview_words

    now = timezone.now()
    waiting = (
        Conversation.objects.filter(workspace=membership.workspace)
        .exclude(status=Status.RESOLVED)
        .filter(Q(status=Status.NEW) | Q(waiting_since__isnull=False))
        .select_related("author")
        # Only what an item shows: a conversation row is ~25 columns, many of them dates that
        # SQLite hands back as text to parse.
        .only("preview", "author__display_name", "author__handle", "author__remote_id")
        .annotate(
            overdue=Case(When(response_due_at__lt=now, then=Value(0)), default=Value(1)),
            preview_state=latest_incoming_state(),
            mine=Case(
                When(assignee=membership.user, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("overdue", "mine", F("response_due_at").asc(nulls_last=True), "-last_message_at")
    )[:6]
    items = [
        {
            "title": f"{talk.author or _('Someone')}: {Truncator(preview_words(talk)).chars(60)}",
            "meta": str(_("overdue")) if talk.overdue == 0 else "",
            "url": reverse("inbox:conversation", args=[talk.pk]),
        }
        for talk in waiting
    ]
    return Section(
        key="inbox",
        title=str(_("Conversations waiting")),
        items=items,
        empty_text=str(_("Nobody is waiting for an answer.")),
        link="inbox:list",
        link_text=str(_("Inbox")),
    )


def suggested_times(membership: Membership) -> Section | None:
    """Best hours to post, from analytics (its own module: it needs this one's Section)."""
    from chorus.today.suggested_times import suggested_times as build

    return build(membership)


def relation_follow_ups(membership: Membership) -> Section | None:
    """The relations follow-ups assigned to this person, overdue first."""
    from chorus.engagement.relations import open_follow_ups_of

    mine = list(open_follow_ups_of(membership.workspace, membership.user)[:8])
    if not mine and not can(membership, Permission.MANAGE_RELATIONS):
        return None
    today = timezone.localdate(timezone=ZoneInfo(membership.workspace.timezone))
    items = [
        {
            "title": f"{follow_up.relation.person.name}: {follow_up.text}",
            "meta": (str(_("overdue since %(day)s")) if follow_up.due_on < today
                     else str(_("due %(day)s"))) % {"day": date_format(follow_up.due_on, "j M")},
            "url": reverse("engagement:relation", args=[follow_up.relation_id]),
        }
        for follow_up in mine
    ]  # fmt: skip
    return Section(
        key="follow_ups",
        title=str(_("Your relations follow-ups")),
        items=items,
        empty_text=str(_("No follow-up due.")),
        link="engagement:relations_board",
        link_text=str(_("Pipeline")),
    )


SECTIONS: list[Callable[[Membership], Section | None]] = [
    getting_started,
    held_while_paused,
    going_out_today,
    conversations_waiting,
    relation_follow_ups,
    waiting_for_approval,
    channels_to_reconnect,
    pending_invitations,
    suggested_times,
]


def sections_for(membership: Membership) -> list[Section]:
    # A section with nothing to say for this person (not an approver, nothing held) is left out.
    return [section for build in SECTIONS if (section := build(membership)) is not None]
