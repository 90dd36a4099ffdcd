"""The poll form and the "mark a post as a question" form."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chorus.channels.models import Channel
from chorus.engagement import polls
from chorus.engagement.questions import questionable_posts
from chorus.publishing.models import Post
from chorus.workspaces.models import Workspace

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class ChannelChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        how = polls.counted_by(obj)
        return f"{obj.name} ({obj.network}) — {how.label if how else ''}"


class PollForm(forms.Form):
    question = forms.CharField(
        label=_("Question"), max_length=polls.QUESTION_MAX_CHARS, widget=forms.TextInput
    )
    options = forms.CharField(
        label=_("Choices"),
        help_text=_("One per line, two to ten."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"),
        input_formats=[DATETIME_INPUT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )
    channels = ChannelChoice(
        label=_("Channels"),
        queryset=Channel.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pick at least one channel.")},
    )

    def __init__(self, *args: Any, workspace: Workspace, **kw: Any) -> None:
        super().__init__(*args, **kw)
        usable = [c.pk for c in Channel.objects.of(workspace).usable() if polls.counted_by(c)]
        self.fields["channels"].queryset = Channel.objects.filter(pk__in=usable)  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["closes_at"] = timezone.localtime() + timedelta(days=1)

    def choices(self) -> list[str]:
        text = str(self.cleaned_data["options"]).replace("\r\n", "\n")
        return [line.strip() for line in text.split("\n") if line.strip()]


class QuestionForm(forms.Form):
    post = forms.ModelChoiceField(label=_("Published post"), queryset=Post.objects.none())

    def __init__(self, *args: Any, workspace: Workspace, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["post"].queryset = questionable_posts(workspace)[:50]  # type: ignore[attr-defined]
