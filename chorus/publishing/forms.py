"""Forms of the composer, the post page, the media library and the hashtag/snippet library.

The composer is one main form plus one :class:`VariantForm` per channel (prefix ``v<id>``), whose
fields depend on what the channel's network can do: a network without polls gets no poll field.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.channels.base import Capability, Network
from chorus.channels.models import Channel
from chorus.channels.registry import UnknownNetwork, get_network
from chorus.publishing.composition import Composition, VariantInput
from chorus.publishing.models import HashtagGroup, Media, Post, PostTarget, Snippet
from chorus.publishing.validation import offers_first_comment
from chorus.publishing.validation_options import VISIBILITIES
from chorus.workspaces.models import Workspace

THREAD_BREAK = "\n---\n"
_THREAD_BREAK_RE = re.compile(r"\n[ \t]*---[ \t]*\n")
DATETIME_INPUT = "%Y-%m-%dT%H:%M"
POLL_HOURS = [
    (1, _("1 hour")),
    (6, _("6 hours")),
    (24, _("1 day")),
    (72, _("3 days")),
    (168, _("7 days")),
]
VISIBILITY_LABELS = dict(
    zip(
        VISIBILITIES,
        [_("Public"), _("Unlisted"), _("Followers only"), _("Mentioned people only")],
        strict=True,
    )
)
ACTIONS = ("draft", "publish", "schedule", "queue", "submit", "insert", "thread", "upload")


def network_of(channel: Channel) -> type[Network] | None:
    try:
        return get_network(channel.network)
    except (UnknownNetwork, ImportError):
        return None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ComposerForm(forms.Form):
    text = forms.CharField(
        label=_("Your post"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 7, "placeholder": _("What do you want to say?")}),
    )
    channels = forms.ModelMultipleChoiceField(
        label=_("Channels"),
        queryset=Channel.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pick at least one channel.")},
    )
    chosen_media = forms.ModelMultipleChoiceField(
        label=_("Pictures and videos"),
        queryset=Media.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    uploads = MultipleFileField(label=_("Upload"), required=False)
    scheduled_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        input_formats=[DATETIME_INPUT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )
    action = forms.CharField(required=False)
    insert = forms.CharField(required=False)

    def __init__(self, *args: Any, workspace: Workspace, post: Post | None = None, **kw: Any):
        super().__init__(*args, **kw)
        already = Q(targets__post=post) if post else Q(pk__in=[])
        channels = Channel.objects.of(workspace).filter(Q(status="active") | already).distinct()
        self.fields["channels"].queryset = channels  # type: ignore[attr-defined]
        self.fields["chosen_media"].queryset = Media.objects.filter(workspace=workspace)  # type: ignore[attr-defined]

    def clean_text(self) -> str:
        return str(self.cleaned_data["text"]).replace("\r\n", "\n").strip()

    def clean_action(self) -> str:
        action = str(self.cleaned_data.get("action") or "draft")
        return action if action.split(":")[0] in ACTIONS else "draft"

    def clean_scheduled_at(self) -> Any:
        when = self.cleaned_data.get("scheduled_at")
        if when and when < timezone.now() - timedelta(minutes=1):
            raise forms.ValidationError(_("This time is in the past."))
        return when

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action", "draft")
        if (
            action == "schedule"
            and not data.get("scheduled_at")
            and "scheduled_at" not in self.errors
        ):
            self.add_error("scheduled_at", _("Choose when to publish."))
        return data

    def alt_texts(self) -> dict[int, str]:
        """Descriptions typed next to each picture (``alt-<media id>``)."""
        found: dict[int, str] = {}
        for key, value in self.data.items():
            if key.startswith("alt-") and key[4:].isdigit():
                found[int(key[4:])] = str(value)
        return found


class VariantForm(forms.Form):
    """One channel's variant: its own text (when customised) and the options its network has."""

    customised = forms.BooleanField(label=_("Own text for this channel"), required=False)
    text = forms.CharField(
        label=_("Text for this channel"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Separate the posts of a thread with a line containing only ---"),
    )

    def __init__(self, *args: Any, channel: Channel, **kw: Any) -> None:
        kw.setdefault("prefix", f"v{channel.pk}")
        super().__init__(*args, **kw)
        self.channel = channel
        self.network = network_of(channel)
        self._add_option_fields(self.network)

    @property
    def max_chars(self) -> int:
        """This channel's own limit (a Mastodon instance may take more than 500)."""
        from chorus.publishing.validation import limits_of

        return limits_of(self.channel, self.network).max_chars if self.network else 0

    def _add_option_fields(self, network: type[Network] | None) -> None:
        if network is None:
            return
        if offers_first_comment(network):
            self.fields["first_comment"] = forms.CharField(
                label=_("First comment"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Posted as a reply right after the post: a good place for links."),
            )
        if network.can(Capability.CONTENT_WARNING):
            self.fields["content_warning"] = forms.CharField(
                label=_("Content warning"), required=False, max_length=500
            )
        if network.can(Capability.VISIBILITY):
            self.fields["visibility"] = forms.ChoiceField(
                label=_("Who sees it"),
                required=False,
                choices=[("", _("Account default")), *VISIBILITY_LABELS.items()],
            )
        if network.can(Capability.POLL):
            self.fields["poll_options"] = forms.CharField(
                label=_("Poll choices"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("One choice per line; leave empty for no poll."),
            )
            self.fields["poll_hours"] = forms.TypedChoiceField(
                label=_("Poll lasts"), choices=POLL_HOURS, coerce=int, initial=24, required=False
            )

    @property
    def can_thread(self) -> bool:
        return bool(self.network and self.network.can(Capability.THREAD))

    def variant(self) -> VariantInput:
        data = self.cleaned_data if self.is_bound and self.is_valid() else self.initial
        parts = split_parts(str(data.get("text") or ""))
        options: dict[str, Any] = {}
        if len(parts) > 1:
            options["thread"] = parts[1:]
        for name in ("first_comment", "content_warning", "visibility"):
            if value := str(data.get(name) or "").strip():
                options[name] = value
        if choices := [c.strip() for c in str(data.get("poll_options") or "").splitlines()]:
            if any(choices):
                hours = int(data.get("poll_hours") or 24)
                options["poll"] = {
                    "options": [c for c in choices if c],
                    "expires_in": hours * 3600,
                    "multiple": False,
                }
        return VariantInput(text=parts[0], customised=bool(data.get("customised")), options=options)


def split_parts(text: str) -> list[str]:
    parts = [part.strip() for part in _THREAD_BREAK_RE.split(text.replace("\r\n", "\n"))]
    return [parts[0], *[part for part in parts[1:] if part]]


def variant_initial(target: PostTarget) -> dict[str, Any]:
    """The variant form's values for a saved variant (the edit page)."""
    options = target.options or {}
    poll = options.get("poll") or {}
    return {
        "customised": target.customised,
        "text": THREAD_BREAK.join([target.text, *options.get("thread", [])]),
        "first_comment": options.get("first_comment", ""),
        "content_warning": options.get("content_warning", ""),
        "visibility": options.get("visibility", ""),
        "poll_options": "\n".join(poll.get("options", [])),
        "poll_hours": int(poll.get("expires_in", 86400)) // 3600,
    }


def composition_of(
    form: ComposerForm, variants: list[VariantForm], media: list[Media]
) -> Composition:
    chosen = list(form.cleaned_data.get("channels") or [])
    return Composition(
        text=form.cleaned_data.get("text", ""),
        channels=chosen,
        media=media,
        variants={v.channel.pk: v.variant() for v in variants if v.channel in chosen},
    )


class HashtagGroupForm(forms.ModelForm):
    class Meta:
        model = HashtagGroup
        fields = ["name", "hashtags"]
        widgets = {"hashtags": forms.Textarea(attrs={"rows": 2, "placeholder": "#launch #brand"})}


class SnippetForm(forms.ModelForm):
    class Meta:
        model = Snippet
        fields = ["name", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class MediaDescriptionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    alt_text = forms.CharField(
        label=_("Description for people who cannot see it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class RescheduleForm(forms.Form):
    when = forms.DateTimeField(
        label=_("New time"),
        input_formats=[DATETIME_INPUT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )
