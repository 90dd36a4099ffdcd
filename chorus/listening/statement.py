"""The holding statement: written, approved by every named approver, then published at once.

Approvers are members (they decide in the crisis room) or people outside Chorus — a lawyer,
the press office — who decide through a link sent by e-mail. The link carries a random token of
which only the SHA-256 is stored; it expires after ``LINK_LIFETIME`` and works for one decision.
Any change to the words or the channels starts a new revision: every approval given before it
no longer counts, and the old links stop working.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.listening.crisis import CrisisRuleBroken, log, must_be_open
from chorus.listening.models import (
    Crisis,
    Decision,
    EventKind,
    HoldingStatement,
    StatementApproval,
)
from chorus.publishing import services as publishing
from chorus.publishing.validation import problems_for
from chorus.workspaces.permissions import Permission, can, membership_of
from chorus.workspaces.services import notify

LINK_LIFETIME = timedelta(hours=72)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def write_statement(
    crisis: Crisis, by: User, text: str, channels: Iterable[Channel]
) -> HoldingStatement:
    """Create or change the statement; a change of words or channels resets every approval."""
    must_be_open(crisis)
    chosen = list(channels)
    if any(channel.workspace_id != crisis.workspace_id for channel in chosen):
        raise CrisisRuleBroken(_("One of the channels does not belong to this workspace."))
    if not text.strip():
        raise CrisisRuleBroken(_("Write the statement."))
    must_suit_channels(text.strip(), chosen)
    statement = HoldingStatement.objects.filter(crisis=crisis).first()
    if statement is None:
        statement = HoldingStatement.objects.create(
            workspace_id=crisis.workspace_id, crisis=crisis, text=text.strip()
        )
        statement.channels.set(chosen)
        return statement
    must_not_be_published(statement)
    same_channels = {c.pk for c in statement.channels.all()} == {c.pk for c in chosen}
    if statement.text == text.strip() and same_channels:
        return statement
    statement.text, statement.revision = text.strip(), statement.revision + 1
    statement.submitted_at = None
    statement.save(update_fields=["text", "revision", "submitted_at", "updated_at"])
    statement.channels.set(chosen)
    _reset_approvals(statement)
    return statement


def must_suit_channels(text: str, channels: list[Channel]) -> None:
    """Approvers approve words that can really go out: a text too long for a network is refused
    now, not after everyone said yes."""
    for channel in channels:
        errors = [p for p in problems_for(channel, text, [], {}) if p.is_error]
        if errors:
            raise CrisisRuleBroken(f"{channel.name}: {errors[0].message}")


def _reset_approvals(statement: HoldingStatement) -> None:
    statement.approvals.update(
        decision=Decision.PENDING,
        decided_at=None,
        comment="",
        token_hash="",
        token_expires_at=None,
        token_used_at=None,
    )


def must_not_be_published(statement: HoldingStatement) -> None:
    if statement.published_at is not None:
        raise CrisisRuleBroken(_("This statement has already been published."))


def add_member_approver(statement: HoldingStatement, user: User) -> StatementApproval:
    must_not_be_published(statement)
    if not can(membership_of(user, statement.crisis.workspace), Permission.APPROVE):
        raise CrisisRuleBroken(_("This person cannot approve in this workspace."))
    if statement.approvals.filter(member=user).exists():
        raise CrisisRuleBroken(_("This person is already an approver."))
    approval = StatementApproval.objects.create(
        workspace_id=statement.workspace_id, statement=statement, member=user
    )
    if statement.submitted_at is not None:
        _ask(approval)
    return approval


def add_outside_approver(statement: HoldingStatement, name: str, email: str) -> StatementApproval:
    must_not_be_published(statement)
    if not name.strip() or not email.strip():
        raise CrisisRuleBroken(_("Give the approver's name and e-mail address."))
    approval = StatementApproval.objects.create(
        workspace_id=statement.workspace_id,
        statement=statement,
        name=name.strip()[:120],
        email=email.strip(),
    )
    if statement.submitted_at is not None:
        _ask(approval)
    return approval


def remove_approver(approval: StatementApproval) -> None:
    must_not_be_published(approval.statement)
    approval.delete()


@transaction.atomic
def submit(statement: HoldingStatement, by: User) -> None:
    """Ask every named approver for their decision on the current words."""
    must_be_open(statement.crisis)
    must_not_be_published(statement)
    approvals = list(statement.approvals.select_related("member"))
    if not approvals:
        raise CrisisRuleBroken(_("Name at least one approver first."))
    statement.submitted_at = timezone.now()
    statement.save(update_fields=["submitted_at", "updated_at"])
    for approval in approvals:
        if approval.decision == Decision.PENDING:
            _ask(approval)
    log(statement.crisis, EventKind.SUBMITTED, by, statement.text)


def _ask(approval: StatementApproval) -> None:
    crisis = approval.statement.crisis
    if approval.member is not None:
        notify(
            crisis.workspace,
            [approval.member],
            lambda: (
                _("A crisis holding statement waits for your approval: %(title)s")
                % {"title": crisis.title}
            ),
            link=reverse("listening:crisis", args=[crisis.pk]),
        )
        return
    token = secrets.token_urlsafe(32)
    approval.token_hash, approval.token_used_at = _hash(token), None
    approval.token_expires_at = timezone.now() + LINK_LIFETIME
    approval.save(update_fields=["token_hash", "token_used_at", "token_expires_at"])
    transaction.on_commit(lambda: _mail_link(approval, token))


def _mail_link(approval: StatementApproval, token: str) -> None:
    workspace = approval.statement.crisis.workspace
    link = settings.CHORUS_BASE_URL + reverse("listening:statement_review", args=[token])
    with translation.override(workspace.language):
        subject = _("%(workspace)s asks you to approve a statement") % {"workspace": workspace}
        body = _(
            "Hello %(name)s,\n\n%(workspace)s asks you to approve a public statement before it "
            "goes out. Read it and approve it or ask for changes here (the link works once, "
            "for %(hours)d hours):\n\n%(link)s\n"
        ) % {"name": approval.name, "workspace": workspace, "hours": 72, "link": link}
    send_mail(subject, body, None, [approval.email])


class LinkRefused(Exception):
    """Why an outside approval link does not open: ``reason`` is forged, expired or used."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def approval_for_link(token: str) -> StatementApproval:
    """The approval a link stands for, or LinkRefused. Compared by hash: a stored value never
    leaves the database, and a guessed token matches nothing."""
    approval = (
        StatementApproval.objects.filter(token_hash=_hash(token), member__isnull=True)
        .select_related("statement__crisis__workspace")
        .first()
        if token
        else None
    )
    if approval is None or not approval.token_hash:
        raise LinkRefused("forged")
    if approval.token_used_at is not None or approval.statement.published_at is not None:
        raise LinkRefused("used")
    if approval.token_expires_at is None or approval.token_expires_at <= timezone.now():
        raise LinkRefused("expired")
    return approval


@transaction.atomic
def decide(
    approval: StatementApproval, decision: str, comment: str = "", *, by: User | None = None
) -> StatementApproval:
    """Record one approver's decision on the statement's current words."""
    statement = approval.statement
    must_be_open(statement.crisis)
    must_not_be_published(statement)
    if decision not in (Decision.APPROVED, Decision.CHANGES):
        raise CrisisRuleBroken(_("Approve, or ask for changes."))
    if statement.submitted_at is None:
        raise CrisisRuleBroken(_("This statement has not been submitted for approval."))
    if decision == Decision.CHANGES and not comment.strip():
        raise CrisisRuleBroken(_("Say what should change."))
    approval.decision, approval.comment = decision, comment.strip()
    approval.decided_at, approval.revision = timezone.now(), statement.revision
    if approval.is_outside:
        approval.token_used_at = approval.decided_at
    approval.save()
    kind = EventKind.APPROVED if decision == Decision.APPROVED else EventKind.CHANGES
    log(statement.crisis, kind, by, approval.comment, actor_name=approval.name)
    return approval


def is_approved(statement: HoldingStatement) -> bool:
    """Every named approver approved these very words (at least one approver)."""
    approvals = list(statement.approvals.all())
    return bool(approvals) and all(
        a.decision == Decision.APPROVED and a.revision == statement.revision for a in approvals
    )


@transaction.atomic
def publish_statement(statement: HoldingStatement, by: User) -> HoldingStatement:
    """Out now to the approved channels, even while publishing is paused."""
    statement = HoldingStatement.objects.select_for_update().get(pk=statement.pk)
    must_be_open(statement.crisis)
    must_not_be_published(statement)
    if not is_approved(statement):
        raise CrisisRuleBroken(_("Every approver must approve the current words first."))
    channels = list(statement.channels.all())
    if not channels:
        raise CrisisRuleBroken(_("Choose at least one channel."))
    workspace = statement.crisis.workspace
    try:
        post = publishing.create_post(workspace, by, statement.text, channels)
        publishing.publish_despite_pause(post, by=by)
    except publishing.PublishingRuleBroken as refused:
        raise CrisisRuleBroken(str(refused)) from refused
    statement.post, statement.published_at, statement.published_by = post, timezone.now(), by
    statement.save(update_fields=["post", "published_at", "published_by", "updated_at"])
    names = ", ".join(channel.name for channel in channels)
    log(statement.crisis, EventKind.PUBLISHED, by, names)
    return statement
