"""Workspace verbs: create, invite, accept, change_role, remove_member."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.core.outgoing_mail import email_can_leave
from chorus.workspaces.models import Invitation, Membership, Notification, Role, Workspace


class WorkspaceRuleBroken(Exception):
    """A change that would leave a workspace in a bad state (e.g. with no owner)."""


def unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "workspace"
    slug, n = base, 1
    while Workspace.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_workspace(owner: User, name: str, time_zone: str, language: str = "fr") -> Workspace:
    workspace = Workspace.objects.create(
        name=name, slug=unique_slug(name), timezone=time_zone, language=language
    )
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    return workspace


def invite(workspace: Workspace, email: str, role: str, invited_by: User) -> Invitation:
    """Invite by e-mail; without SMTP nothing is sent and the inviter passes the link on."""
    email = email.strip().lower()
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise WorkspaceRuleBroken(_("This person is already a member of the workspace."))
    invitation = Invitation.objects.create(
        workspace=workspace, email=email, role=role, invited_by=invited_by
    )
    if email_can_leave():
        send_invitation_email(invitation)
    return invitation


def invitation_link(invitation: Invitation) -> str:
    path = reverse("workspaces:accept_invitation", args=[invitation.token])
    return settings.CHORUS_BASE_URL + path


def send_invitation_email(invitation: Invitation) -> None:
    context = {"invitation": invitation, "link": invitation_link(invitation)}
    language = invitation.workspace.language
    with translation.override(language):
        subject = _("You are invited to %(name)s on Chorus") % {"name": invitation.workspace.name}
        body = render_to_string("workspaces/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


def is_for(invitation: Invitation, user: User) -> bool:
    return user.email.strip().lower() == invitation.email.strip().lower()


@transaction.atomic
def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Only the invited address may accept: the link may have been forwarded or leaked."""
    if not is_for(invitation, user):
        raise WorkspaceRuleBroken(_("This invitation was sent to another e-mail address."))
    if not invitation.is_usable:
        raise WorkspaceRuleBroken(_("This invitation has expired or was already used."))
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    membership, _created = Membership.objects.get_or_create(
        workspace=invitation.workspace, user=user, defaults={"role": invitation.role}
    )
    return membership


@transaction.atomic
def join_as_newcomer(invitation: Invitation, full_name: str, password: str) -> Membership:
    """A person without an account joins from the link: the link went to the invited address,
    so it confirms that address as a sign-up e-mail would."""
    user = User.objects.create_user(
        email=invitation.email,
        password=password,
        full_name=full_name,
        language=translation.get_language() or "",
    )
    return accept_invitation(invitation, user)


def _owners_left(workspace: Workspace, excluding: Membership) -> int:
    return (
        Membership.objects.filter(workspace=workspace, role=Role.OWNER)
        .exclude(pk=excluding.pk)
        .count()
    )


@transaction.atomic
def change_role(membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise WorkspaceRuleBroken(_("Unknown role."))
    if membership.role == Role.OWNER and role != Role.OWNER:
        if _owners_left(membership.workspace, membership) == 0:
            raise WorkspaceRuleBroken(_("A workspace needs at least one owner."))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(membership: Membership) -> None:
    if membership.role == Role.OWNER and _owners_left(membership.workspace, membership) == 0:
        raise WorkspaceRuleBroken(_("A workspace needs at least one owner."))
    membership.delete()


def notify(
    workspace: Workspace,
    users: Iterable[User],
    message: Callable[[], str],
    *,
    link: str = "",
    email_subject: Callable[[], str] | None = None,
) -> list[Notification]:
    """Tell each person in their own language: in the app always, by e-mail when a subject is
    given. ``message`` is called under each person's language so gettext picks theirs."""
    sent = []
    for user in users:
        with translation.override(user.language or workspace.language):
            text = message()
            sent.append(Notification(workspace=workspace, user=user, message=text, link=link))
            if email_subject is not None and user.email:
                body = text + (f"\n\n{settings.CHORUS_BASE_URL}{link}" if link else "")
                send_mail(email_subject(), body, None, [user.email])
    return Notification.objects.bulk_create(sent)


def unread_notifications(user: User, workspace: Workspace) -> list[Notification]:
    return list(Notification.objects.filter(user=user, workspace=workspace, read_at=None)[:20])


def mark_notifications_read(user: User, workspace: Workspace) -> int:
    return Notification.objects.filter(user=user, workspace=workspace, read_at=None).update(
        read_at=timezone.now()
    )
