"""The composer: write once, adapt per channel, see each network's preview and problems live.

One full-page form that works without JavaScript (every button is a plain submit and the page
re-renders with what was typed); with HTMX the preview column refreshes as the person types.
The server decides: ``composition.go_out`` refuses a variant with errors whatever the preview said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.accounts.http import SignedInRequest
from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.publishing import deleting, services
from chorus.publishing import media as library
from chorus.publishing.composition import go_out, save_composition
from chorus.publishing.forms import (
    THREAD_BREAK,
    ComposerForm,
    VariantForm,
    composition_of,
    network_of,
    split_parts,
    variant_initial,
)
from chorus.publishing.models import HashtagGroup, Media, Post, PostKind, QueueSlot, Snippet
from chorus.publishing.thread_splitting import split_thread
from chorus.publishing.validation import limits_of
from chorus.publishing.views.previews import ChannelPreview, previews_of
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.models import Workspace
from chorus.workspaces.permissions import Permission, can

GOING_OUT = ("publish", "schedule", "queue", "submit")
_NUMBERED = re.compile(r"^\d+/\d+ ")  # the "2/5 " that starts a thread part
LIBRARY_PICKS = 24  # recent library items offered in the composer besides the chosen ones


@dataclass
class Page:
    form: ComposerForm
    variants: list[VariantForm]
    post: Post | None = None
    previews: list[ChannelPreview] = field(default_factory=list)


def _workspace(request: WorkspaceRequest) -> Workspace:
    return request.workspace


def _post_of(request: WorkspaceRequest, post_id: int | None) -> Post | None:
    if post_id is None:
        return None
    posts = Post.objects.filter(workspace=_workspace(request), kind=PostKind.POST)
    return get_object_or_404(deleting.live(posts), pk=post_id)


@workspace_view(Permission.COMPOSE)
def compose(request: WorkspaceRequest, post_id: int | None = None) -> HttpResponse:
    post = _post_of(request, post_id)
    if request.method == "POST":
        return _submitted(request, post)
    page = _bind(request, post, _saved_values(post) if post else None)
    if post:
        page.previews = _previews(page)
    return _render(request, page)


@require_POST
@workspace_view(Permission.COMPOSE)
def preview(request: WorkspaceRequest, post_id: int | None = None) -> HttpResponse:
    """The live preview fragment (HTMX): nothing is saved, no file is uploaded."""
    page = _bind(request, _post_of(request, post_id), request.POST)
    return render(request, "publishing/composer_preview.html", {"previews": _previews(page)})


def _bind(request: WorkspaceRequest, post: Post | None, data: QueryDict | None) -> Page:
    form = ComposerForm(data, workspace=_workspace(request), post=post)
    channels = list(form.fields["channels"].queryset.order_by("network", "name"))  # type: ignore[attr-defined]
    variants = [VariantForm(data, channel=channel) for channel in channels]
    return Page(form=form, variants=variants, post=post)


def _previews(page: Page) -> list[ChannelPreview]:
    if not page.form.is_valid() or not all(v.is_valid() for v in page.variants):
        return []
    media = _chosen_media(page.form)
    return previews_of(composition_of(page.form, page.variants, media))


def _chosen_media(form: ComposerForm) -> list[Media]:
    """The chosen files with the descriptions typed next to them (not saved yet)."""
    chosen = list(form.cleaned_data.get("chosen_media") or [])
    typed = form.alt_texts()
    for item in chosen:
        item.alt_text = typed.get(item.pk, item.alt_text).strip()
    return chosen


# -- a full POST ---------------------------------------------------------------------------------


def _submitted(request: WorkspaceRequest, post: Post | None) -> HttpResponse:
    data = request.POST.copy()
    upload_errors = _take_uploads(request, data)
    action = str(data.get("action") or "draft")
    if action == "insert":
        _insert_from_library(_workspace(request), data)
    elif action.startswith("thread:"):
        _make_thread(request, data, action.removeprefix("thread:"))
    page = _bind(request, post, data)
    valid = page.form.is_valid() and all(v.is_valid() for v in page.variants)
    for error in upload_errors:
        page.form.add_error(None, error)
    if not valid or upload_errors or action not in ("draft", *GOING_OUT):
        page.previews = _previews(page) if valid else []
        return _render(request, page)
    return _save(request, page, action)


def _take_uploads(request: SignedInRequest, data: QueryDict) -> list[str]:
    """Files sent with the form go into the library at once and are chosen for this post."""
    errors = []
    for upload in request.FILES.getlist("uploads"):
        try:
            item = library.add_to_library(_workspace(request), request.user, upload)  # type: ignore[arg-type]
        except (library.MediaRejected, services.PublishingRuleBroken) as exc:
            errors.append(f"{upload.name}: {exc}")
        else:
            data.appendlist("chosen_media", str(item.pk))
    return errors


def _insert_from_library(workspace: Workspace, data: QueryDict) -> None:
    """Without JavaScript, "Insert" adds the hashtag group or snippet at the end of the text."""
    kind, _sep, pk = str(data.get("insert") or "").partition(":")
    item: HashtagGroup | Snippet | None = None
    if kind == "hashtags" and pk.isdigit():
        item = HashtagGroup.objects.filter(workspace=workspace, pk=pk).first()
    elif kind == "snippet" and pk.isdigit():
        item = Snippet.objects.filter(workspace=workspace, pk=pk).first()
    if item is not None:
        words = item.hashtags if isinstance(item, HashtagGroup) else item.text
        data["text"] = "\n\n".join(
            part for part in (str(data.get("text", "")).rstrip(), words) if part
        )


def _make_thread(request: WorkspaceRequest, data: QueryDict, channel_id: str) -> None:
    """Cut this channel's text into a numbered thread that fits its network, as its own text."""
    channel = (
        Channel.objects.of(_workspace(request)).filter(pk=channel_id).first()
        if channel_id.isdigit()
        else None
    )
    network = network_of(channel) if channel else None
    if channel is None or network is None:
        return
    prefix = f"v{channel.pk}-"
    own = str(data.get(prefix + "text") or "") if data.get(prefix + "customised") else ""
    # Cutting again starts from the whole text: old parts are joined and their numbers dropped.
    parts = split_parts(own or str(data.get("text") or ""))
    text = " ".join(_NUMBERED.sub("", part) for part in parts if part)
    parts = split_thread(text, network.count_text, limits_of(channel, network).max_chars)
    data[prefix + "text"] = THREAD_BREAK.join(parts)
    data[prefix + "customised"] = "on"


def _save(request: WorkspaceRequest, page: Page, action: str) -> HttpResponse:
    form = page.form
    media = _chosen_media(form)
    composition = composition_of(form, page.variants, media)
    user: User = request.user
    try:
        with transaction.atomic():
            library.set_alt_texts(media, form.alt_texts())
            post = save_composition(_workspace(request), user, composition, page.post)
            if action in GOING_OUT:
                go_out(post, action, form.cleaned_data.get("scheduled_at"), by=user)
    except services.PublishingRuleBroken as exc:  # VariantProblems too: the preview lists them
        form.add_error(None, str(exc))
    else:
        messages.success(request, _done_message(action, post))
        return redirect("publishing:post", post_id=post.pk)
    page.previews = previews_of(composition)
    return _render(request, page)


def _done_message(action: str, post: Post) -> str:
    waiting = post.needs_approval and not services.is_approved(post)
    if action == "draft":
        return _("Draft saved.")
    if waiting:
        return _("Sent for approval.")
    return {
        "publish": _("Publishing now."),
        "schedule": _("Scheduled."),
        "queue": _("Added to the queue."),
    }.get(action, _("Saved."))


# -- rendering -----------------------------------------------------------------------------------


def _render(request: WorkspaceRequest, page: Page) -> HttpResponse:
    workspace = _workspace(request)
    channels = [variant.channel for variant in page.variants]
    chosen = _chosen_ids(page.form)
    context: dict[str, Any] = {
        "page": page,
        "form": page.form,
        "post": page.post,
        "variants": page.variants,
        "chosen_ids": chosen,
        "previews": page.previews,
        "library": _library_choices(workspace, page.form),
        "hashtag_groups": HashtagGroup.objects.filter(workspace=workspace),
        "snippets": Snippet.objects.filter(workspace=workspace),
        "queue_channel_ids": _queue_channel_ids(workspace, channels),
        "needs_approval": not can(request.membership, Permission.PUBLISH_WITHOUT_APPROVAL),
        "may_connect": can(request.membership, Permission.MANAGE_CHANNELS),
    }
    return render(request, "publishing/composer.html", context)


def _chosen_ids(form: ComposerForm) -> set[str]:
    value = form["channels"].value() or []
    return {str(pk) for pk in value}


def _library_choices(workspace: Workspace, form: ComposerForm) -> list[tuple[Media, bool, str]]:
    """Chosen files first, then the most recent ones: (file, chosen, description typed)."""
    chosen_ids = {int(pk) for pk in form["chosen_media"].value() or [] if str(pk).isdigit()}
    recent = list(Media.objects.filter(workspace=workspace)[:LIBRARY_PICKS])
    chosen = list(Media.objects.filter(workspace=workspace, pk__in=chosen_ids))
    typed = form.alt_texts()
    items = chosen + [item for item in recent if item.pk not in chosen_ids]
    return [(item, item.pk in chosen_ids, typed.get(item.pk, item.alt_text)) for item in items]


def _queue_channel_ids(workspace: Workspace, channels: list[Channel]) -> set[int]:
    """Channels with weekly slots; "Add to queue" is offered only when every chosen one has some."""
    try:
        from chorus.publishing import queue  # noqa: F401 — written by the planning area
    except ImportError:
        return set()
    slots = QueueSlot.objects.filter(workspace=workspace, channel__in=channels)
    return set(slots.values_list("channel_id", flat=True))


def _saved_values(post: Post) -> QueryDict:
    """The edit page's form, filled from the saved post as if it had just been sent."""
    data = QueryDict(mutable=True)
    data["text"] = post.text
    targets = list(post.targets.select_related("channel").prefetch_related("media"))
    data.setlist("channels", [str(t.channel_id) for t in targets])
    media_ids = {item.pk for t in targets for item in t.media.all()}
    data.setlist("chosen_media", [str(pk) for pk in sorted(media_ids)])
    when = next((t.scheduled_at for t in targets if t.scheduled_at), None)
    if when and when > timezone.now():
        data["scheduled_at"] = _local_input(when)
    for target in targets:
        for name, value in variant_initial(target).items():
            if value not in ("", None, False):
                data[f"v{target.channel_id}-{name}"] = "on" if value is True else str(value)
    return data


def _local_input(when: datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")
