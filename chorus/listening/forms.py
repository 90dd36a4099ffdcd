"""The query editor's form: reads the fields; the rules are the services' (`validate`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chorus.listening import services
from chorus.listening.models import ListeningQuery, ListeningSource, QueryKind
from chorus.workspaces.models import Workspace


class QueryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=QueryKind.choices)
    expression = forms.CharField(
        label=_("Query"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "class": "mono"}),
        help_text=_('Words, "exact phrases", #hashtags, @handles, site:domains, AND / OR / NOT.'),
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=100,
        help_text=_("Two-letter codes separated by commas (en, fr). Empty: every language."),
    )
    sources = forms.ModelMultipleChoiceField(
        label=_("Sources"),
        queryset=ListeningSource.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every source of the workspace."),
    )
    exclude_own_accounts = forms.BooleanField(
        label=_("Leave out our own accounts"), required=False, initial=True
    )
    excluded_authors = forms.CharField(
        label=_("Leave out these authors"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One handle per line, e.g. a reseller's bot."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    alert_min_count = forms.IntegerField(
        label=_("Minimum mentions for an alert"), min_value=1, initial=5
    )
    alert_cooldown_minutes = forms.IntegerField(
        label=_("Minutes between two alerts"), min_value=1, initial=60
    )

    def __init__(
        self, *args: Any, workspace: Workspace, query: ListeningQuery | None = None, **kw: Any
    ) -> None:
        if query is not None and "initial" not in kw:
            kw["initial"] = self.initial_from(query)
        super().__init__(*args, **kw)
        self.workspace, self.query = workspace, query
        sources = ListeningSource.objects.filter(workspace=workspace)
        self.fields["sources"].queryset = sources  # type: ignore[attr-defined]
        if not sources.exists():
            del self.fields["sources"]

    @staticmethod
    def initial_from(query: ListeningQuery) -> dict[str, Any]:
        fields = services.fields_of(query)
        initial = vars(fields).copy()
        initial["languages"] = ", ".join(fields.languages)
        initial["sources"] = fields.source_ids
        return initial

    def query_fields(self) -> services.QueryFields:
        data = self.cleaned_data
        return services.QueryFields(
            name=data["name"],
            kind=data["kind"],
            expression=data["expression"],
            languages=services.parse_languages(data.get("languages") or ""),
            source_ids=[source.pk for source in data.get("sources") or []],
            exclude_own_accounts=data["exclude_own_accounts"],
            excluded_authors=data.get("excluded_authors") or "",
            is_active=data["is_active"],
            alert_min_count=data["alert_min_count"],
            alert_cooldown_minutes=data["alert_cooldown_minutes"],
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            services.validate(self.workspace, self.query_fields(), self.query)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return cleaned


class PreviewForm(forms.Form):
    """What the live preview reads of the editor (lenient: a half-typed form is normal)."""

    expression = forms.CharField(required=False, max_length=2000)
    languages = forms.CharField(required=False, max_length=100)
    sources = forms.ModelMultipleChoiceField(
        queryset=ListeningSource.objects.none(), required=False
    )
    exclude_own_accounts = forms.BooleanField(required=False)
    excluded_authors = forms.CharField(required=False, max_length=10_000)

    def __init__(self, *args: Any, workspace: Workspace, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["sources"].queryset = ListeningSource.objects.filter(  # type: ignore[attr-defined]
            workspace=workspace
        )

    def preview_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "expression": data.get("expression") or "",
            "languages": services.parse_languages(data.get("languages") or ""),
            "source_ids": [source.pk for source in data.get("sources") or []],
            "exclude_own_accounts": bool(data.get("exclude_own_accounts")),
            "excluded_authors": data.get("excluded_authors") or "",
        }
