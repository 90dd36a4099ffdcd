"""Contest forms: the contest itself (before it opens), an exclusion, a substitution, a message
to a winner."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.engagement.models import Contest
from chorus.publishing.models import PostTarget, State
from chorus.workspaces.models import Workspace

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def _when(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_INPUT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )


class PostChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: PostTarget) -> str:
        text = " ".join(obj.text.split())
        return f"{obj.channel.name} · {text[:80]}"


class ContestForm(forms.ModelForm):
    opens_at = _when(_("Opens"))
    closes_at = _when(_("Closes"))
    posts = PostChoice(
        queryset=PostTarget.objects.none(),
        required=False,
        label=_("Posts whose comments and replies are entries"),
        widget=forms.CheckboxSelectMultiple,
    )
    rules_text = forms.CharField(
        label=_("Rules"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("Left empty, Chorus writes them from the template in the language chosen."),
    )

    class Meta:
        model = Contest
        fields = [
            "title",
            "organiser",
            "prizes",
            "opens_at",
            "closes_at",
            "winners",
            "alternates",
            "randomness_source",
            "posts",
            "hashtag",
            "keyword",
            "min_account_age_days",
            "team_handles",
            "blocklist",
            "checked_by_hand",
            "rules_language",
            "rules_text",
        ]
        widgets = {
            "prizes": forms.Textarea(attrs={"rows": 3}),
            "team_handles": forms.Textarea(attrs={"rows": 2}),
            "blocklist": forms.Textarea(attrs={"rows": 2}),
            "checked_by_hand": forms.Textarea(attrs={"rows": 2}),
            "rules_language": forms.Select(choices=[("en", "English"), ("fr", "Français")]),
        }
        help_texts = {
            "team_handles": _("One handle per line. The workspace's own accounts are always out."),
            "blocklist": _("One handle per line."),
            "checked_by_hand": _(
                "Conditions the networks do not tell Chorus (e.g. “follows the page”), "
                "one per line."
            ),
            "min_account_age_days": _(
                "No network tells Chorus an account's age: this condition is listed as checked "
                "by hand."
            ),
            "hashtag": _("Mentions found by listening that carry it are entries too."),
        }

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["posts"].queryset = (  # type: ignore[attr-defined]
            PostTarget.objects.filter(workspace=workspace, state=State.PUBLISHED)
            .exclude(remote_id="")
            .select_related("channel")
            .order_by("-published_at")
        )
        self.fields["winners"].widget.attrs["min"] = 1
        self.fields["alternates"].widget.attrs["min"] = 0

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The contest must close after it opens."))
        if data.get("winners") is not None and data["winners"] < 1:
            self.add_error("winners", _("At least one winner."))
        if not data.get("posts") and not (data.get("hashtag") or "").strip():
            self.add_error(
                None, _("Choose at least one post or a hashtag: entries come from there.")
            )
        return data


class ReasonForm(forms.Form):
    entry = forms.CharField(max_length=400)
    reason = forms.CharField(label=_("Reason"), max_length=300)
