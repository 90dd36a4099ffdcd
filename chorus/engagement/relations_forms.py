"""Forms of the relations pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.accounts.models import User
from chorus.engagement.models.relations import OutreachTemplate, Relation, Stage
from chorus.engagement.relations_outreach import unknown_placeholders
from chorus.workspaces.models import Workspace


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class FollowUpForm(forms.Form):
    text = forms.CharField(label=_("What to do"), max_length=300)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    assignee = forms.ModelChoiceField(label=_("For"), queryset=User.objects.none())

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(memberships__workspace=workspace).order_by("email")


class LinkAccountForm(forms.Form):
    handle = forms.CharField(label=_("Handle"), max_length=300)


class ProfileForm(forms.ModelForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    website = forms.URLField(
        label=_("Website or blog"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Relation
        fields = ["email", "website", "topics"]
        help_texts = {"topics": _("Comma-separated, e.g. coffee, latte art, Lyon.")}


class OutreachTemplateForm(forms.ModelForm):
    class Meta:
        model = OutreachTemplate
        fields = ["name", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 7})}
        help_texts = {
            "text": _("Placeholders: {name}, {handle}, {brand}. They are filled in per person.")
        }

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.workspace = workspace

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"])
        if unknown := unknown_placeholders(text):
            raise forms.ValidationError(
                _("Unknown placeholder: %(names)s. Use {name}, {handle} or {brand}.")
                % {"names": ", ".join(unknown)}
            )
        return text

    def validate_unique(self) -> None:
        # The workspace is not a form field, so Django skips the (workspace, name) check.
        super().validate_unique()
        taken = OutreachTemplate.objects.filter(
            workspace=self.instance.workspace, name=self.cleaned_data.get("name", "")
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            self.add_error("name", _("A template already has this name."))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
