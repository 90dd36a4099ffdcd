"""Crisis verbs: open_crisis, save_mention, add_event, tick_task, pin_reply, close_crisis.

The holding statement and its approvals are in :mod:`.statement`, the close summary and its
exports in :mod:`.crisis_summary`, the playbook in :mod:`.playbook`. Every verb takes the
workspace's own objects and checks that what it links belongs to the same workspace.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.inbox.models import SavedReply
from chorus.listening.models import (
    Alert,
    Crisis,
    CrisisEvent,
    CrisisMention,
    CrisisStatus,
    CrisisTask,
    EventKind,
    Mention,
)
from chorus.listening.playbook import playbook_of
from chorus.publishing import services as publishing
from chorus.workspaces.models import Workspace


class CrisisRuleBroken(Exception):
    """A request that breaks a crisis rule; the message is for the person who asked."""


def open_crisis_of(workspace: Workspace) -> Crisis | None:
    """The crisis under way, if any (the banner on every page asks this, once per page)."""
    return Crisis.objects.filter(workspace=workspace, status=CrisisStatus.OPEN).first()


def _mark_workspace(workspace: Workspace, since: datetime | None) -> None:
    Workspace.objects.filter(pk=workspace.pk).update(in_crisis_since=since)
    workspace.in_crisis_since = since


@transaction.atomic
def open_crisis(workspace: Workspace, by: User, title: str, alert: Alert | None = None) -> Crisis:
    """Pause publishing, copy the playbook into the crisis, and start its timeline."""
    if alert is not None and alert.workspace_id != workspace.pk:
        raise CrisisRuleBroken(_("This alert does not belong to this workspace."))
    if open_crisis_of(workspace) is not None:
        raise CrisisRuleBroken(_("A crisis is already open: close it before opening another."))
    was_running = not publishing.is_paused(workspace)
    publishing.pause_workspace(workspace, by=by)
    playbook = playbook_of(workspace)
    try:
        with transaction.atomic():
            crisis = Crisis.objects.create(
                workspace=workspace,
                title=title.strip()[:200] or _("Crisis"),
                opened_by=by,
                alert=alert,
                publishing_was_paused=was_running,
                what_not_to_say=playbook.what_not_to_say,
            )
    except IntegrityError as taken:  # someone opened one a moment ago
        raise CrisisRuleBroken(
            _("A crisis is already open: close it before opening another.")
        ) from taken
    CrisisTask.objects.bulk_create(
        CrisisTask(workspace=workspace, crisis=crisis, text=step.text, position=step.position)
        for step in playbook.steps.all()
    )
    _mark_workspace(workspace, crisis.opened_at)
    log(crisis, EventKind.OPENED, by, crisis.title)
    if alert is not None:
        with timezone.override(workspace.timezone):  # the times the crisis room shows
            log(crisis, EventKind.ALERT, by, str(alert), at=alert.created_at)
    if was_running:
        log(crisis, EventKind.PAUSED, by)
    return crisis


def log(
    crisis: Crisis,
    kind: str,
    actor: User | None,
    text: str = "",
    *,
    actor_name: str = "",
    at: datetime | None = None,
) -> CrisisEvent:
    return CrisisEvent.objects.create(
        workspace_id=crisis.workspace_id,
        crisis=crisis,
        kind=kind,
        text=text,
        actor=actor,
        actor_name=actor_name,
        at=at or timezone.now(),
    )


def must_be_open(crisis: Crisis) -> None:
    if not crisis.is_open:
        raise CrisisRuleBroken(_("This crisis is closed."))


def add_event(crisis: Crisis, by: User, kind: str, text: str) -> CrisisEvent:
    """A note, a decision or an action the team writes into the timeline."""
    must_be_open(crisis)
    if kind not in (EventKind.NOTE, EventKind.DECISION, EventKind.ACTION):
        raise CrisisRuleBroken(_("Choose a note, a decision or an action."))
    if not text.strip():
        raise CrisisRuleBroken(_("Write what happened."))
    return log(crisis, kind, by, text.strip())


def save_mention(crisis: Crisis, mention: Mention, by: User) -> bool:
    """Keep a mention with the crisis; False when it was already saved."""
    must_be_open(crisis)
    if mention.workspace_id != crisis.workspace_id:
        raise CrisisRuleBroken(_("This mention does not belong to this workspace."))
    try:
        with transaction.atomic():
            CrisisMention.objects.create(
                workspace_id=crisis.workspace_id, crisis=crisis, mention=mention, saved_by=by
            )
    except IntegrityError:
        return False
    log(crisis, EventKind.MENTION, by, (mention.title or mention.text)[:300])
    return True


def tick_task(task: CrisisTask, by: User, done: bool = True) -> CrisisTask:
    must_be_open(task.crisis)
    task.done_at, task.done_by = (timezone.now(), by) if done else (None, None)
    task.save(update_fields=["done_at", "done_by"])
    if done:
        log(task.crisis, EventKind.STEP_DONE, by, task.text)
    return task


def pin_reply(crisis: Crisis, reply: SavedReply, pinned: bool = True) -> None:
    must_be_open(crisis)
    if reply.workspace_id != crisis.workspace_id:
        raise CrisisRuleBroken(_("This saved reply does not belong to this workspace."))
    if pinned:
        crisis.pinned_replies.add(reply)
    else:
        crisis.pinned_replies.remove(reply)


@transaction.atomic
def close_crisis(crisis: Crisis, by: User, summary: str, *, resume: bool = False) -> Crisis:
    """Close with the team's summary; publishing resumes only if the person asks (what fell due
    meanwhile stays held for a person to decide, as after any pause)."""
    must_be_open(crisis)
    crisis.status, crisis.closed_by, crisis.closed_at = CrisisStatus.CLOSED, by, timezone.now()
    crisis.summary = summary.strip()
    crisis.save(update_fields=["status", "closed_by", "closed_at", "summary"])
    _mark_workspace(crisis.workspace, None)
    if resume and publishing.is_paused(crisis.workspace):
        publishing.resume_workspace(crisis.workspace)  # what fell due stays held
        log(crisis, EventKind.RESUMED, by)
    log(crisis, EventKind.CLOSED, by, crisis.summary)
    return crisis
