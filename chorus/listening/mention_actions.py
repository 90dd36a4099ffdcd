"""From a mention to action: assign it, label it, or answer it from the inbox.

Verbs: assign_mention, label_mention, unlabel_mention, answering_channel, open_conversation.

Answering is the inbox's job: a mention heard on a network where the workspace has a connected
channel that can reply becomes an inbox conversation of that channel (stored by the inbox's own
``ingest``, so it is classified, deduplicated and run through the workspace's rules like any
message), and the person answers it there. A mention from anywhere else is not offered an
answer at all. Every verb checks the person's role (``Permission.ANSWER``) and that what it is
given belongs to the mention's workspace (invariant 2).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.channels.base import AccountInfo, Capability, InboxItem
from chorus.channels.models import Channel
from chorus.channels.registry import UnknownNetwork, get_network
from chorus.inbox.ingest import MAX_ID_LENGTH, ingest
from chorus.inbox.models import Conversation, Kind, Label
from chorus.inbox.services import InboxRuleBroken, label_named
from chorus.listening.models import Mention
from chorus.workspaces.models import Workspace
from chorus.workspaces.permissions import Permission, can, membership_of


class MentionActionRefused(Exception):
    """A request about a mention that breaks a rule; the message is for the person who asked."""


def _must_answer(workspace: Workspace, by: User) -> None:
    if not can(membership_of(by, workspace), Permission.ANSWER):
        raise MentionActionRefused(_("Your role cannot act on mentions in this workspace."))


def assign_mention(mention: Mention, user: User | None, by: User) -> Mention:
    """Give the mention to a member to look after (None: nobody)."""
    _must_answer(mention.workspace, by)
    if user is not None and membership_of(user, mention.workspace) is None:
        raise MentionActionRefused(_("Only a member of this workspace can take a mention."))
    Mention.objects.filter(pk=mention.pk, workspace=mention.workspace).update(assignee=user)
    mention.assignee = user
    return mention


def label_mention(mention: Mention, name: str, by: User) -> Label:
    """Put one of the workspace's inbox labels on the mention (made on first use)."""
    _must_answer(mention.workspace, by)
    try:
        with transaction.atomic():
            label = label_named(mention.workspace, name)
    except InboxRuleBroken as refused:  # the inbox's rule about label names, in its words
        raise MentionActionRefused(str(refused)) from None
    mention.labels.add(label)
    return label


def unlabel_mention(mention: Mention, label: Label, by: User) -> None:
    _must_answer(mention.workspace, by)
    if label.workspace_id != mention.workspace_id:
        raise MentionActionRefused(_("This does not belong to this workspace."))
    mention.labels.remove(label)


def reply_networks(workspace: Workspace) -> set[str]:
    """Networks where the workspace has a working channel that can answer."""
    networks = Channel.objects.of(workspace).usable().values_list("network", flat=True)
    return {network for network in set(networks) if _can_reply(network)}


def _can_reply(network: str) -> bool:
    try:
        return get_network(network).can(Capability.REPLY)
    except UnknownNetwork:
        return False


def answering_channel(mention: Mention) -> Channel | None:
    """The channel a mention is answered from: the one its source read it with when that one
    can answer, else the workspace's first working channel on the mention's network."""
    if not _can_reply(mention.network) or len(mention.remote_id) > MAX_ID_LENGTH:
        return None
    usable = Channel.objects.of(mention.workspace).usable().filter(network=mention.network)
    source_channel = mention.source.channel_id if mention.source else None
    if source_channel is not None and (chosen := usable.filter(pk=source_channel).first()):
        return chosen
    return usable.order_by("pk").first()


def can_be_answered(mentions: Iterable[Mention], networks: set[str]) -> set[int]:
    """Ids of ``mentions`` an answer can be offered for (``networks``: reply_networks)."""
    return {
        mention.pk
        for mention in mentions
        if mention.network in networks and len(mention.remote_id) <= MAX_ID_LENGTH
    }


def open_conversation(mention: Mention, by: User) -> Conversation:
    """The inbox conversation to answer the mention in, made on first use and kept on the
    mention (a second click opens the same one)."""
    _must_answer(mention.workspace, by)
    if mention.conversation_id is not None:
        return Conversation.objects.get(pk=mention.conversation_id, workspace=mention.workspace)
    channel = answering_channel(mention)
    if channel is None:
        raise MentionActionRefused(
            _("No connected channel can answer on this network: connect one to answer here.")
        )
    ingest(channel, [_as_inbox_item(mention)])
    conversation = Conversation.objects.get(
        workspace=mention.workspace, channel=channel, remote_id=mention.remote_id
    )
    Mention.objects.filter(pk=mention.pk).update(conversation=conversation)
    mention.conversation = conversation
    return conversation


def _as_inbox_item(mention: Mention) -> InboxItem:
    author = mention.author
    return InboxItem(
        remote_id=mention.remote_id,
        kind=Kind.MENTION,
        conversation_id=mention.remote_id,
        author=AccountInfo(
            remote_id=author.remote_id if author else "",
            handle=author.handle if author else "",
            display_name=author.display_name if author else "",
            url=author.url if author else "",
            followers=mention.reach if mention.reach is not None else None,
        ),
        text=mention.text or mention.title,
        created_at=mention.published_at,
        url=mention.url,
    )
