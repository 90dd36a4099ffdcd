"""Forms of the inbox pages: replying, notes, saved replies, and the inbox settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.inbox.models import InboxSettings, SavedReply
from chorus.inbox.saved_replies import unknown_variables

WEEKDAYS = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"),
            _("Saturday"), _("Sunday")]  # fmt: skip


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("Write your reply…")}),
        max_length=20_000,
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class SavedReplyForm(forms.ModelForm):
    class Meta:
        model = SavedReply
        fields = ["name", "text", "language"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "language": forms.Select(choices=[("", "—"), ("fr", "Français"), ("en", "English")]),
        }
        help_texts = {
            "text": _(
                "Variables: {first_name}, {name}, {handle}, {agent_name}, {brand}. They are "
                "filled in for each conversation."
            )
        }

    def __init__(self, *args: Any, workspace: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"])
        if unknown := unknown_variables(text):
            raise forms.ValidationError(
                _(
                    "Unknown variable: %(names)s. Use {first_name}, {name}, {handle}, "
                    "{agent_name} or {brand}."
                )  # fmt: skip
                % {"names": ", ".join("{" + n + "}" for n in unknown)}
            )
        return text

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        taken = SavedReply.objects.filter(workspace=self.instance.workspace, name=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A saved reply already has this name."))
        return name


class InboxSettingsForm(forms.Form):
    """First-reply target, and opening hours per weekday (an empty day is closed)."""

    first_reply_hours = forms.IntegerField(
        label=_("First reply within (hours)"), min_value=1, max_value=720
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, name in enumerate(WEEKDAYS):
            self.fields[f"open_{day}"] = forms.TimeField(
                label=name, required=False, widget=forms.TimeInput(attrs={"type": "time"})
            )
            self.fields[f"close_{day}"] = forms.TimeField(
                label=_("closes"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
            )

    def days(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (str(name), self[f"open_{day}"], self[f"close_{day}"])
            for day, name in enumerate(WEEKDAYS)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for day in range(7):
            opens, closes = cleaned.get(f"open_{day}"), cleaned.get(f"close_{day}")
            if (opens is None) != (closes is None):
                self.add_error(f"close_{day}", _("Give both the opening and the closing time."))
            elif opens is not None and closes is not None and opens >= closes:
                self.add_error(f"close_{day}", _("Closing comes after opening."))
        return cleaned

    @classmethod
    def initial_from(cls, stored: InboxSettings) -> dict[str, Any]:
        initial: dict[str, Any] = {"first_reply_hours": stored.first_reply_hours}
        for day, hours in (stored.business_hours or {}).items():
            if isinstance(hours, list) and len(hours) == 2:
                initial[f"open_{day}"], initial[f"close_{day}"] = hours
        return initial

    def business_hours(self) -> dict[str, list[str]]:
        hours = {}
        for day in range(7):
            opens = self.cleaned_data.get(f"open_{day}")
            closes = self.cleaned_data.get(f"close_{day}")
            if opens and closes:
                hours[str(day)] = [opens.strftime("%H:%M"), closes.strftime("%H:%M")]
        return hours
