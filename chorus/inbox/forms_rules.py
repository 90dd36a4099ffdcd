"""Forms of the rules pages: the rule itself, its condition and action rows, labels, lists.

Rows are plain forms prefixed ``c-<n>`` and ``a-<n>``; any number of them may be posted (HTMX
adds rows with fresh numbers, without JS the page offers a few empty ones), and empty rows are
ignored. The rows only translate between HTML fields and the rule schema: every check is
:func:`chorus.inbox.rules.clean_rule`, whose errors are put back on the row and field they name.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from chorus.inbox.models import AuthorList, Kind, Label, Priority, Rule
from chorus.inbox.rules import clean_rule
from chorus.inbox.rules.actions import ACTION_LABELS, ActionType, network_label
from chorus.inbox.rules.conditions import (
    CONDITION_LABELS,
    DEFAULT_SPAM_THRESHOLD,
    INTENT_LABELS,
    SENTIMENT_LABELS,
    ConditionType,
    WorkspaceRefs,
)
from chorus.workspaces.models import Workspace

EMPTY_CONDITION_ROWS = 2  # offered without JS; with HTMX, "Add a condition" adds more
EMPTY_ACTION_ROWS = 1
SHORT = {"class": "short", "inputmode": "decimal"}
WHOLE_NUMBER = {"class": "short", "inputmode": "numeric", "placeholder": "1000"}
# Example shown in each decimal field, written the reader's way ("0,8" in French) when the form
# is built. The spam score shows its default, the value an empty field stands for.
DECIMAL_EXAMPLES = {"min_confidence": 0.8, "toxicity": 0.8, "spam_score": DEFAULT_SPAM_THRESHOLD}
ROW_KEY = re.compile(r"^(?P<kind>[ca])-(?P<n>\d{1,3})-type$")

# Which row field holds which schema parameter.
CONDITION_VALUES_FIELD = {
    ConditionType.LANGUAGE: "languages",
    ConditionType.SENTIMENT: "sentiments",
    ConditionType.INTENT: "intents",
    ConditionType.NETWORK: "networks",
    ConditionType.KIND: "kinds",
}
CONDITION_PARAM_FIELD = {
    "words": "words",
    "pattern": "pattern",
    "min_confidence": "min_confidence",
    "min": "toxicity",
    "list": "author_list",
    "value": "number",
    "type": "type",
}


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["name", "enabled", "stop_after"]


def _set_choices(form: forms.Form, name: str, choices: list[tuple[Any, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)  # every row field given choices is one
    field.choices = choices


def _choices(pairs: Any) -> list[tuple[Any, str]]:
    return [(key, str(label)) for key, label in pairs]


def _decimal(typed: str) -> str:
    # In French a decimal is written "0,8", and a phone's decimal keypad may offer only ","; the
    # schema reads "0.8".
    return typed.strip().replace(",", ".")


class RowMixin:
    param_types: dict[str, str]

    def params(self) -> list[tuple[Any, str]]:
        """Each parameter field with the CSS classes of the types it belongs to."""
        form: Any = self
        return [
            (form[name], " ".join(f"for-{t}" for t in types.split()))
            for name, types in self.param_types.items()
        ]


class ConditionRow(RowMixin, forms.Form):
    type = forms.ChoiceField(label=_("Condition"), required=False)
    negate = forms.BooleanField(label=_("not"), required=False)
    words = forms.CharField(label=_("Words (comma-separated)"), required=False, max_length=5000)
    pattern = forms.CharField(label=_("Regular expression"), required=False, max_length=500)
    languages = forms.CharField(label=_("Language codes, like fr, en"), required=False)
    sentiments = forms.MultipleChoiceField(
        label=_("Sentiments"), required=False, widget=forms.CheckboxSelectMultiple
    )
    min_confidence = forms.CharField(
        label=_("Minimum confidence (0–1)"), required=False, widget=forms.TextInput(attrs=SHORT)
    )
    toxicity = forms.CharField(
        label=_("Minimum toxicity (0–1)"), required=False, widget=forms.TextInput(attrs=SHORT)
    )
    spam_score = forms.CharField(
        label=_("Minimum spam score (0–1)"),
        required=False,
        widget=forms.TextInput(attrs=SHORT),
    )
    intents = forms.MultipleChoiceField(
        label=_("Intents"), required=False, widget=forms.CheckboxSelectMultiple
    )
    networks = forms.MultipleChoiceField(
        label=_("Networks"), required=False, widget=forms.CheckboxSelectMultiple
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds"), required=False, widget=forms.CheckboxSelectMultiple
    )
    author_list = forms.ChoiceField(label=_("List"), required=False)
    number = forms.CharField(
        label=_("Followers"), required=False, widget=forms.TextInput(attrs=WHOLE_NUMBER)
    )

    # Which parameter fields each condition type shows (the page hides the others).
    param_types = {
        "words": "words",
        "pattern": "regex",
        "languages": "language",
        "sentiments": "sentiment",
        "min_confidence": "sentiment",
        "toxicity": "toxicity",
        "spam_score": "spam",
        "intents": "intent",
        "networks": "network",
        "kinds": "kind",
        "author_list": "author_list",
        "number": "followers_at_least followers_at_most",
    }

    def __init__(self, *args: Any, refs: WorkspaceRefs, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from chorus.channels.registry import NETWORKS

        _set_choices(self, "type", [("", "—"), *_choices(CONDITION_LABELS.items())])
        _set_choices(self, "sentiments", _choices(SENTIMENT_LABELS.items()))
        _set_choices(self, "intents", _choices(INTENT_LABELS.items()))
        _set_choices(self, "networks", [(key, network_label(key)) for key in NETWORKS])
        _set_choices(self, "kinds", _choices(Kind.choices))
        _set_choices(self, "author_list", [("", "—"), *_choices(refs.lists.items())])
        for name, example in DECIMAL_EXAMPLES.items():
            self.fields[name].widget.attrs["placeholder"] = number_format(example)

    def to_condition(self) -> dict[str, Any] | None:
        """The schema dict, or None for a row left empty."""
        data = self.cleaned_data
        if not data.get("type"):
            return None
        kind = ConditionType(data["type"])
        condition: dict[str, Any] = {"type": kind.value, "negate": bool(data.get("negate"))}
        if kind in CONDITION_VALUES_FIELD:
            condition["values"] = data.get(CONDITION_VALUES_FIELD[kind]) or []
        condition.update(
            words=data.get("words", ""),
            pattern=data.get("pattern", ""),
            min_confidence=_decimal(data.get("min_confidence", "")),
            min=_decimal(data.get("spam_score" if kind is ConditionType.SPAM else "toxicity", "")),
            list=data.get("author_list", ""),
            value=data.get("number", ""),
        )
        return condition

    def show_errors(self, errors: dict[str, str]) -> None:
        kind = self.cleaned_data.get("type", "")
        for param, text in errors.items():
            name = CONDITION_PARAM_FIELD.get(param, "type")
            if param == "values":
                name = CONDITION_VALUES_FIELD.get(ConditionType(kind), "type")
            elif param == "min" and kind == ConditionType.SPAM:
                name = "spam_score"
            self.add_error(name, text)


class ActionRow(RowMixin, forms.Form):
    type = forms.ChoiceField(label=_("Action"), required=False)
    label = forms.ChoiceField(label=_("Label"), required=False)
    user = forms.ChoiceField(label=_("Member"), required=False)
    priority = forms.ChoiceField(label=_("Priority"), required=False)
    saved_reply = forms.ChoiceField(label=_("Saved reply"), required=False)
    users = forms.MultipleChoiceField(
        label=_("Members"), required=False, widget=forms.CheckboxSelectMultiple
    )

    param_types = {
        "label": "label",
        "user": "assign",
        "priority": "priority",
        "saved_reply": "auto_reply",
        "users": "notify",
    }

    def __init__(self, *args: Any, refs: WorkspaceRefs, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = [(pk, str(user)) for pk, user in refs.members.items()]
        _set_choices(self, "type", [("", "—"), *_choices(ACTION_LABELS.items())])
        _set_choices(self, "label", [("", "—"), *_choices(refs.labels.items())])
        _set_choices(self, "user", [("", "—"), *members])
        _set_choices(self, "priority", _choices(Priority.choices))
        _set_choices(self, "saved_reply", [("", "—"), *_choices(refs.saved_replies.items())])
        _set_choices(self, "users", members)

    def to_action(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("type"):
            return None
        action: dict[str, Any] = {"type": data["type"]}
        kind = ActionType(data["type"])
        if kind is ActionType.NOTIFY:
            action["users"] = data.get("users") or []
        else:
            name = {
                ActionType.LABEL: "label",
                ActionType.ASSIGN: "user",
                ActionType.PRIORITY: "priority",
                ActionType.AUTO_REPLY: "saved_reply",
            }.get(kind)
            if name:
                action[name] = data.get(name)
        return action

    def show_errors(self, errors: dict[str, str]) -> None:
        for param, text in errors.items():
            self.add_error(param if param in self.fields else "type", text)


def _initial_condition(condition: dict[str, Any]) -> dict[str, Any]:
    kind = condition.get("type")
    initial = {
        "type": condition.get("type", ""),
        "negate": condition.get("negate", False),
        "words": ", ".join(condition.get("words", [])),
        "pattern": condition.get("pattern", ""),
        "min_confidence": condition.get("min_confidence") or "",
        "toxicity": condition.get("min", "") if kind == ConditionType.TOXICITY else "",
        "spam_score": condition.get("min", "") if kind == ConditionType.SPAM else "",
        "author_list": condition.get("list", ""),
        "number": condition.get("value", ""),
    }
    if kind in CONDITION_VALUES_FIELD:
        values = condition.get("values", [])
        field = CONDITION_VALUES_FIELD[ConditionType(kind)]
        initial[field] = ", ".join(values) if field == "languages" else values
    return initial


class RuleEditor:
    """The whole rule form: the rule's fields, its condition rows and its action rows."""

    def __init__(
        self, workspace: Workspace, rule: Rule | None = None, data: QueryDict | None = None
    ) -> None:
        self.workspace = workspace
        self.rule = rule or Rule(workspace=workspace)
        self.refs = WorkspaceRefs.load(workspace)
        self.form = RuleForm(data, instance=self.rule)
        self.errors: dict[str, str] = {}
        if data is None:
            self._rows_from_rule()
        else:
            self._rows_from_post(data)

    def _rows_from_rule(self) -> None:
        conditions = [_initial_condition(c) for c in self.rule.conditions]
        actions = [dict(a) for a in self.rule.actions]
        conditions += [{}] * EMPTY_CONDITION_ROWS
        actions += [{}] * EMPTY_ACTION_ROWS
        self.conditions = [
            ConditionRow(prefix=f"c-{n}", initial=i, refs=self.refs)
            for n, i in enumerate(conditions)
        ]
        self.actions = [
            ActionRow(prefix=f"a-{n}", initial=i, refs=self.refs) for n, i in enumerate(actions)
        ]

    def _rows_from_post(self, data: QueryDict) -> None:
        numbers: dict[str, list[int]] = {"c": [], "a": []}
        for key in data:
            found = ROW_KEY.match(key)
            if found:
                numbers[found["kind"]].append(int(found["n"]))
        self.conditions = [
            ConditionRow(data, prefix=f"c-{n}", refs=self.refs) for n in sorted(numbers["c"])
        ]
        self.actions = [
            ActionRow(data, prefix=f"a-{n}", refs=self.refs) for n in sorted(numbers["a"])
        ]

    def add_row(self, kind: str) -> None:
        """One more empty row (the page without JS posts back to get it)."""
        number = self.next_number(kind)
        if kind == "c":
            self.conditions.append(ConditionRow(prefix=f"c-{number}", refs=self.refs))
        else:
            self.actions.append(ActionRow(prefix=f"a-{number}", refs=self.refs))

    def rows_valid(self) -> bool:
        """The conditions and actions hold (the rule's name may still be missing)."""
        if not all(row.is_valid() for row in [*self.conditions, *self.actions]):
            return False
        return not self.errors

    def next_number(self, kind: str) -> int:
        rows = self.conditions if kind == "c" else self.actions
        return max((int(str(r.prefix).split("-")[1]) for r in rows), default=-1) + 1

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        rows_valid = [row.is_valid() for row in [*self.conditions, *self.actions]]
        if not all(rows_valid):
            return False
        filled_c = [(row, row.to_condition()) for row in self.conditions]
        filled_a = [(row, row.to_action()) for row in self.actions]
        conditions_given = [(r, c) for r, c in filled_c if c is not None]
        actions_given = [(r, a) for r, a in filled_a if a is not None]
        clean_c, clean_a, self.errors = clean_rule(
            [c for _r, c in conditions_given],
            [a for _r, a in actions_given],
            self.workspace,
            self.refs,
        )
        self._spread_errors("conditions", [r for r, _c in conditions_given])
        self._spread_errors("actions", [r for r, _a in actions_given])
        self.rule.conditions, self.rule.actions = clean_c, clean_a
        return valid and not self.errors

    def _spread_errors(self, prefix: str, rows: list[Any]) -> None:
        per_row: dict[int, dict[str, str]] = {}
        for key, text in self.errors.items():
            parts = key.split(".")
            if parts[0] == prefix and len(parts) == 3:
                per_row.setdefault(int(parts[1]), {})[parts[2]] = text
        for number, found in per_row.items():
            rows[number].show_errors(found)

    @property
    def general_errors(self) -> list[str]:
        return [text for key, text in self.errors.items() if key in ("conditions", "actions")]


HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class LabelForm(forms.ModelForm):
    class Meta:
        model = Label
        fields = ["name", "color"]
        widgets = {"color": forms.TextInput(attrs={"type": "color"})}

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace

    def clean_color(self) -> str:
        colour = str(self.cleaned_data.get("color") or "")
        if not HEX_COLOUR.match(colour):
            raise forms.ValidationError(_("A colour like #4f46e5."))
        return colour.lower()

    def clean_name(self) -> str:
        name = str(self.cleaned_data.get("name") or "").strip()
        taken = Label.objects.filter(workspace=self.workspace, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("There is already a label with this name."))
        return name


class AuthorListForm(forms.ModelForm):
    class Meta:
        model = AuthorList
        fields = ["name"]

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace

    def clean_name(self) -> str:
        name = str(self.cleaned_data.get("name") or "").strip()
        taken = AuthorList.objects.filter(workspace=self.workspace, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("There is already a list with this name."))
        return name


class AddAuthorForm(forms.Form):
    handle = forms.CharField(label=_("Handle"), max_length=300)
