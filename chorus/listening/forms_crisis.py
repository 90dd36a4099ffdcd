"""Forms of the crisis pages: opening, the timeline, the statement, approvers, closing, playbook."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.channels.models import Channel
from chorus.listening.models import ContactKind, Decision, EventKind, PlaybookContact
from chorus.workspaces.models import Workspace


class OpenCrisisForm(forms.Form):
    title = forms.CharField(
        label=_("What is happening?"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Kettles recalled in Belgium")}),
    )
    alert = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EventForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (EventKind.NOTE, _("Note")),
            (EventKind.DECISION, _("Decision")),
            (EventKind.ACTION, _("Action")),
        ],
    )
    text = forms.CharField(
        label=_("What happened"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Holding statement"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    channels = forms.ModelMultipleChoiceField(
        label=_("Publish to"),
        queryset=Channel.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, workspace: Workspace, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        channels = self.fields["channels"]
        assert isinstance(channels, forms.ModelMultipleChoiceField)
        channels.queryset = Channel.objects.filter(workspace=workspace).order_by("name")


class OutsideApproverForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=120, widget=forms.TextInput(attrs={"placeholder": _("Name")})
    )
    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"placeholder": _("E-mail")})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(Decision.APPROVED, _("Approve")), (Decision.CHANGES, _("Request changes"))]
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happened, what was decided, what to do better next time."),
    )
    resume = forms.BooleanField(
        label=_("Resume publishing now (posts that fell due stay held for you to decide)"),
        required=False,
    )


class StepForm(forms.Form):
    text = forms.CharField(
        label=_("New step"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. Call legal before any answer")}),
    )


class ContactForm(forms.ModelForm):
    class Meta:
        model = PlaybookContact
        fields = ["kind", "name", "role", "email", "phone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = ContactKind.choices  # no empty choice: every contact has a kind


class WhatNotToSayForm(forms.Form):
    what_not_to_say = forms.CharField(
        label=_("What not to say"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
