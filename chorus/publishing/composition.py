"""The composer: a post written once and adapted per channel, saved all or nothing, then sent
on its way.

``Composition`` is what the composer (or the API) sends; ``save_composition`` creates or
updates the post from it, and ``go_out`` publishes, schedules, queues or submits it. Variants
that already went out (publishing, published…) are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.publishing.approval_rule import is_approved, note_change
from chorus.publishing.approvals import submit_for_approval
from chorus.publishing.models import Media, Post, PostTarget
from chorus.publishing.problems import Problem
from chorus.publishing.queue import add_to_queue
from chorus.publishing.services import (
    EDITABLE,
    PublishingRuleBroken,
    create_post,
    edit_text,
    ensure_publishable,
    membership_of,
    must_be_the_workspaces,
    schedule_post,
)
from chorus.publishing.validation import problems_for
from chorus.workspaces.models import Workspace
from chorus.workspaces.permissions import Permission, can

# Options the composer owns; any other option a variant carries (set through the API, say) is kept.
COMPOSER_OPTIONS = ("thread", "first_comment", "content_warning", "visibility", "poll")


@dataclass
class VariantInput:
    """What the person set for one channel: its own text (when customised) and its options."""

    text: str = ""
    customised: bool = False
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Composition:
    """Everything the composer sends: written once, adapted per channel."""

    text: str
    channels: list[Channel]
    media: list[Media] = field(default_factory=list)
    variants: dict[int, VariantInput] = field(default_factory=dict)  # by channel id

    def variant_for(self, channel: Channel) -> tuple[str, dict[str, Any]]:
        """The text and options this channel would publish."""
        variant = self.variants.get(channel.pk) or VariantInput()
        text = variant.text if variant.customised else self.text
        options = dict(variant.options)
        if not variant.customised:
            options.pop("thread", None)  # a thread is cut for one network: it is a customisation
        return text, options

    def problems(self) -> dict[int, list[Problem]]:
        return {
            channel.pk: problems_for(channel, *self._text_media_options(channel))
            for channel in self.channels
        }

    def _text_media_options(self, channel: Channel) -> tuple[str, list[Media], dict[str, Any]]:
        text, options = self.variant_for(channel)
        return text, self.media, options


@transaction.atomic
def save_composition(
    workspace: Workspace, author: User, composition: Composition, post: Post | None = None
) -> Post:
    """Create or update a post from the composer, all or nothing. Variants that already went
    out (publishing, published…) are left as they are."""
    must_be_the_workspaces(workspace, composition.media)
    before = None
    if post is None:
        post = create_post(workspace, author, composition.text, composition.channels)
    else:
        if not can(membership_of(author, workspace), Permission.COMPOSE):
            raise PublishingRuleBroken(_("You cannot write posts in this workspace."))
        before = _content_of(post)
        edit_text(post, composition.text)
        _follow_channel_choice(post, composition.channels)
    for target in post.targets.filter(state__in=EDITABLE).select_related("channel"):
        _save_variant(target, composition)
    if before is not None and _content_of(post) != before:
        note_change(post, author)
    return post


def _content_of(post: Post) -> list[Any]:
    """What an approver looked at: the text and, per channel, the words, options and files."""
    variants = post.targets.order_by("channel_id").prefetch_related("media")
    return [
        post.text,
        *[(t.channel_id, t.text, t.options, sorted(m.pk for m in t.media.all())) for t in variants],
    ]


def _follow_channel_choice(post: Post, channels: list[Channel]) -> None:
    if any(channel.workspace_id != post.workspace_id for channel in channels):
        raise PublishingRuleBroken(_("One of the channels does not belong to this workspace."))
    wanted = {channel.pk for channel in channels}
    post.targets.filter(state__in=EDITABLE).exclude(channel_id__in=wanted).delete()
    have = set(post.targets.values_list("channel_id", flat=True))
    PostTarget.objects.bulk_create(
        PostTarget(workspace=post.workspace, post=post, channel=channel, text=post.text)
        for channel in channels
        if channel.pk not in have
    )


def _save_variant(target: PostTarget, composition: Composition) -> None:
    variant = composition.variants.get(target.channel_id) or VariantInput()
    text, options = composition.variant_for(target.channel)
    kept = {k: v for k, v in target.options.items() if k not in COMPOSER_OPTIONS}
    target.text, target.customised = text, variant.customised
    target.options = kept | options
    target.save(update_fields=["text", "customised", "options"])
    target.media.set(composition.media)


def go_out(post: Post, how: str, when: datetime | None = None, *, by: User) -> list[PostTarget]:
    """Send a saved post on its way: "publish" now, "schedule" at ``when``, "queue" into each
    channel's next free slot, or "submit" for approval. Variants with errors stop it all.

    Asked by someone who needs approval, any of these sends it for approval instead ("publish"
    then means: as soon as it is approved)."""
    waiting = list(post.targets.filter(state__in=EDITABLE).select_related("channel"))
    ensure_publishable(waiting)
    note_change(post, by)
    if how == "publish" and not is_approved(post):
        return submit_for_approval(post, None, by=by)
    if how == "publish":
        return schedule_post(post, timezone.now(), by=by)
    if how == "schedule" and when is not None:
        return schedule_post(post, when, by=by)
    if how == "submit":
        return submit_for_approval(post, when, by=by)
    if how == "queue":
        return add_to_queue(post, by=by)
    raise PublishingRuleBroken(_("Choose how to publish this post."))
