"""Moderation from the inbox: hide or delete a message, remove or ban its author.

An action is offered only where the channel's network declares the capability, its connection
has the verb (Matrix: redact, kick, ban) AND the account has the right there as last read
(``refused_verbs`` in the channel's settings: Telegram admin rights, Matrix power levels).
Network errors are classified (invariant 5) and come back as :class:`InboxRuleBroken` with words
a person can act on; the message row changes only once the network said yes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.channels.base import Capability, Connection
from chorus.channels.capabilities import (
    CanBan,
    CanDelete,
    CanHide,
    CanKick,
    CanRedact,
    CanUnhide,
    offers,
    required,
)
from chorus.channels.errors import AuthExpired, ChannelError, Permanent, RateLimited, Transient
from chorus.channels.models import Channel, ChannelStatus
from chorus.channels.policy import call_network
from chorus.channels.registry import get_network
from chorus.inbox.models import Author, Direction, Message
from chorus.inbox.previews import forget_deleted_text
from chorus.inbox.services import InboxRuleBroken, must_answer

# action -> (capability the network must declare, the verb as ``refused_verbs`` names it,
# the capability its connection must have)
ACTIONS: dict[str, tuple[Capability, str, Any]] = {
    "hide": (Capability.HIDE, "hide", CanHide),
    "delete": (Capability.DELETE, "redact", CanRedact),  # someone else's message
    "delete_own": (Capability.DELETE, "delete", CanDelete),  # one of our replies
    "kick": (Capability.BAN, "kick", CanKick),
    "ban": (Capability.BAN, "ban", CanBan),
    "unban": (Capability.BAN, "unban", CanBan),  # the undo of a ban (Telegram, Matrix)
    "unhide": (Capability.HIDE, "unhide", CanUnhide),  # the undo of a hide (Bluesky)
}


def can_moderate(channel: Channel, action: str) -> bool:
    if action not in ACTIONS or channel.status != ChannelStatus.ACTIVE:
        return False
    capability, _verb, able = ACTIONS[action]
    network = get_network(channel.network)
    if _refused_here(channel, action):
        return False
    return network.can(capability) and offers(network, able)


def _refused_here(channel: Channel, action: str) -> bool:
    """The account lacked the right for this when the channel was last connected or checked
    (channels.account_rights)."""
    return action in ACTIONS and ACTIONS[action][1] in channel.settings.get("refused_verbs", ())


def moderation_for(channel: Channel) -> set[str]:
    """The moderation buttons to show for this channel."""
    return {action for action in ACTIONS if can_moderate(channel, action)}


def in_words(error: ChannelError) -> str:
    """What went wrong, for the person who clicked."""
    if isinstance(error, RateLimited):
        return _("The network asks Chorus to wait %(seconds)d seconds. Try again then.") % {
            "seconds": round(error.retry_after)
        }
    if isinstance(error, Transient):
        return _("The network did not answer. Nothing was changed; try again in a moment.")
    if isinstance(error, AuthExpired):
        return _("The network refused the channel's credentials. Reconnect the channel.")
    if isinstance(error, Permanent):
        return _("The network refused: %(reason)s") % {"reason": error.message}
    return _("The network's answer was unclear. Check on the network whether it was done.")


def _on_network(channel: Channel, act: Callable[[Connection], Any]) -> None:
    """Run one moderation call through the one policy (refused credentials refreshed once)."""
    try:
        call_network(channel, act)
    except ChannelError as error:
        raise InboxRuleBroken(in_words(error)) from error


def _check(message: Message, action: str, by: User) -> None:
    must_answer(message.conversation.workspace, by)
    if _refused_here(message.channel, action):
        raise InboxRuleBroken(
            _(
                "The channel's account may not do this here: give it the right on the network, "
                "then check the channel again."
            )
        )
    if not can_moderate(message.channel, action):
        network = get_network(message.channel.network)
        raise InboxRuleBroken(
            _("%(network)s does not let Chorus do this from here.") % {"network": network.label}
        )
    if message.remote_id.startswith("pending:"):
        raise InboxRuleBroken(_("This reply is not on the network yet."))


def hide_message(message: Message, by: User, reason: str = "") -> Message:
    _check(message, "hide", by)
    _on_network(message.channel, lambda c: required(c, CanHide, "hide").hide(message.remote_id))
    Message.objects.filter(pk=message.pk).update(hidden=True)
    message.hidden = True
    return message


def unhide_message(message: Message, by: User) -> Message:
    """Show a message hidden earlier, by hand or by a rule."""
    _check(message, "unhide", by)
    if not message.hidden:
        raise InboxRuleBroken(_("This message is not hidden."))
    _on_network(
        message.channel, lambda c: required(c, CanUnhide, "unhide").unhide(message.remote_id)
    )
    Message.objects.filter(pk=message.pk).update(hidden=False)
    message.hidden = False
    return message


def delete_message(message: Message, by: User, reason: str = "") -> Message:
    """Remove a message on the network (a redaction on Matrix; deleting our own reply)."""
    own = message.direction == Direction.OUTGOING
    _check(message, "delete_own" if own else "delete", by)
    if own:
        _on_network(
            message.channel, lambda c: required(c, CanDelete, "delete").delete(message.remote_id)
        )
    else:
        _on_network(
            message.channel,
            lambda c: required(c, CanRedact, "delete").redact(message.remote_id, reason=reason),
        )
    Message.objects.filter(pk=message.pk).update(deleted=True)
    message.deleted = True
    forget_deleted_text(message)
    return message


def ban_author(message: Message, by: User, reason: str = "", *, kick_only: bool = False) -> Author:
    """Show the author of ``message`` the door (kick) or keep them out (ban)."""
    action = "kick" if kick_only else "ban"
    _check(message, action, by)
    author = message.author
    if author is None or message.direction == Direction.OUTGOING:
        raise InboxRuleBroken(_("Only the author of a received message can be removed."))
    if kick_only:
        _on_network(
            message.channel,
            lambda c: required(c, CanKick, "kick").kick(author.remote_id, reason=reason),
        )
    else:
        _on_network(
            message.channel,
            lambda c: required(c, CanBan, "ban").ban(author.remote_id, reason=reason),
        )
    if not kick_only:
        _mark_banned(author, timezone.now())
    _log_on_conversation(message, action, by, author)
    return author


def unban_author(message: Message, by: User) -> Author:
    """Lift the ban on the author of ``message``: they may come back (nobody brings them)."""
    _check(message, "unban", by)
    author = message.author
    if author is None or message.direction == Direction.OUTGOING:
        raise InboxRuleBroken(_("Only the author of a received message can be unbanned."))
    _on_network(message.channel, lambda c: required(c, CanBan, "unban").unban(author.remote_id))
    _mark_banned(author, None)
    _log_on_conversation(message, "unban", by, author)
    return author


def _mark_banned(author: Author, when: datetime | None) -> None:
    Author.objects.filter(pk=author.pk).update(banned_at=when)
    author.banned_at = when


@transaction.atomic
def _log_on_conversation(message: Message, action: str, by: User, author: Author) -> None:
    """A ban is kept on the conversation with the team's notes, so nobody wonders later."""
    from chorus.inbox.models import Note

    words = {
        "kick": _("%(by)s removed %(who)s from the room."),
        "ban": _("%(by)s banned %(who)s."),
        "unban": _("%(by)s lifted the ban on %(who)s."),
    }[action] % {"by": by, "who": author}
    Note.objects.create(
        workspace_id=message.workspace_id,
        conversation_id=message.conversation_id,
        author=by,
        text=words,
        created_at=timezone.now(),
    )
