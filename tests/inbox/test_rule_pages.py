"""The rules pages: create with errors, edit, reorder, toggle, dry run, delete, log, labels, lists;
who may do what; and tenancy (charlie gets 404, a rule of A never reaches C)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chorus.inbox.models import AuthorList, Label, Rule, RuleAction
from chorus.inbox.rules import apply_rules
from chorus.workspaces.models import Workspace
from tests.inbox.rules_helpers import make_author, make_message, make_rule


def rule_post(name: str = "Complaints", **rows: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"name": name, "enabled": "on"}
    data.update(rows)
    return data


def test_list_shows_rules_in_order_with_their_activity(
    alice_client: Client, workspace_a: Workspace
) -> None:
    label = Label.objects.create(workspace=workspace_a, name="Angry")
    second = make_rule(workspace_a, [], [{"type": "resolve"}], name="Second", position=2)
    make_rule(
        workspace_a,
        [{"type": "words", "words": ["refund"]}],
        [{"type": "label", "label": label.pk}],
        name="First",
        position=1,
    )
    apply_rules(workspace_a, [make_message(workspace_a, "x")])
    page = alice_client.get(reverse("inbox:rules")).content.decode()
    assert page.index("First") < page.index("Second")
    assert "“refund”" in page and "Angry" in page
    assert RuleAction.objects.filter(rule=second).count() == 1
    assert "1</strong>" in page  # the second rule acted once in 30 days


def test_create_with_errors_keeps_the_input_and_names_the_fields(
    alice_client: Client, workspace_a: Workspace
) -> None:
    data = rule_post(
        "",
        **{"c-0-type": "regex", "c-0-pattern": "(unclosed", "a-0-type": "label", "a-0-label": ""},
    )
    response = alice_client.post(reverse("inbox:rules_create"), data)
    page = response.content.decode()
    assert response.status_code == 422
    assert "not a valid regular expression" in page
    assert "(unclosed" in page  # what was typed stays
    assert "Choose a label." in page
    assert "This field is required." in page  # the name
    assert not Rule.objects.exists()


def test_create_without_action_is_refused(alice_client: Client, workspace_a: Workspace) -> None:
    data = rule_post(**{"c-0-type": "spam"})
    response = alice_client.post(reverse("inbox:rules_create"), data)
    assert response.status_code == 422
    assert "Add at least one action." in response.content.decode()


def test_create_then_edit(alice_client: Client, workspace_a: Workspace, alice: Any) -> None:
    label = Label.objects.create(workspace=workspace_a, name="Refund")
    data = rule_post(
        **{
            "c-0-type": "words",
            "c-0-words": "remboursement, refund",
            "c-1-type": "sentiment",
            "c-1-sentiments": ["negative"],
            "c-1-min_confidence": "0.6",
            "c-2-type": "",  # an empty row is ignored
            "a-0-type": "label",
            "a-0-label": str(label.pk),
            "a-3-type": "priority",  # row numbers need not follow each other (HTMX rows)
            "a-3-priority": "2",
        }
    )
    response = alice_client.post(reverse("inbox:rules_create"), data)
    assert response.status_code == 302
    rule = Rule.objects.get()
    assert rule.created_by == alice and rule.enabled
    assert rule.conditions == [
        {"type": "words", "negate": False, "words": ["remboursement", "refund"]},
        {"type": "sentiment", "negate": False, "values": ["negative"], "min_confidence": 0.6},
    ]
    assert rule.actions == [
        {"type": "label", "label": label.pk},
        {"type": "priority", "priority": 2},
    ]

    form = alice_client.get(reverse("inbox:rules_edit", args=[rule.pk])).content.decode()
    assert 'value="remboursement, refund"' in form
    data["name"] = "Refunds"
    data["c-1-negate"] = "on"
    alice_client.post(reverse("inbox:rules_edit", args=[rule.pk]), data)
    rule.refresh_from_db()
    assert rule.name == "Refunds" and rule.conditions[1]["negate"] is True


def test_add_row_without_js_posts_back_one_more_row(
    alice_client: Client, workspace_a: Workspace
) -> None:
    data = rule_post(**{"c-0-type": "spam", "add": "c"})
    response = alice_client.post(reverse("inbox:rules_create"), data)
    page = response.content.decode()
    assert response.status_code == 200 and 'name="c-1-type"' in page
    assert not Rule.objects.exists()


def test_htmx_row_comes_with_the_next_add_button(
    alice_client: Client, workspace_a: Workspace
) -> None:
    Label.objects.create(workspace=workspace_a, name="VIP")
    page = alice_client.get(reverse("inbox:rules_row", args=["a"]) + "?n=4").content.decode()
    assert 'name="a-4-type"' in page and ">VIP</option>" in page
    assert "?n=5" in page and 'hx-swap-oob="true"' in page


def test_reorder_and_toggle(alice_client: Client, workspace_a: Workspace) -> None:
    one = make_rule(workspace_a, [], [{"type": "resolve"}], name="One", position=1)
    two = make_rule(workspace_a, [], [{"type": "resolve"}], name="Two", position=2)
    alice_client.post(reverse("inbox:rules_move", args=[two.pk]), {"direction": "up"})
    assert list(Rule.objects.order_by("position").values_list("name", flat=True)) == ["Two", "One"]
    alice_client.post(
        reverse("inbox:rules_move", args=[two.pk]), {"direction": "up"}
    )  # top already
    assert list(Rule.objects.order_by("position").values_list("name", flat=True)) == ["Two", "One"]
    alice_client.post(reverse("inbox:rules_toggle", args=[one.pk]))
    one.refresh_from_db()
    assert one.enabled is False


def test_dry_run_inline_and_without_js(alice_client: Client, workspace_a: Workspace) -> None:
    make_message(workspace_a, "Je veux un remboursement")
    make_message(workspace_a, "Merci !")
    data = rule_post(**{"c-0-type": "words", "c-0-words": "remboursement", "a-0-type": "resolve"})
    partial = alice_client.post(reverse("inbox:rules_dry_run"), data).content.decode()
    assert 'class="dry-matched">1<' in partial and "Je veux un remboursement" in partial
    assert "Merci" not in partial
    full = alice_client.post(reverse("inbox:rules_create"), {**data, "dry_run": "1"})
    assert 'class="dry-matched">1<' in full.content.decode()
    assert not Rule.objects.exists()  # a dry run never saves


def test_delete_asks_first(alice_client: Client, workspace_a: Workspace) -> None:
    rule = make_rule(workspace_a, [], [{"type": "resolve"}], name="Old")
    page = alice_client.get(reverse("inbox:rules_delete", args=[rule.pk]))
    assert "Delete the rule “Old”?" in page.content.decode()
    assert Rule.objects.exists()
    alice_client.post(reverse("inbox:rules_delete", args=[rule.pk]))
    assert not Rule.objects.exists()


def test_log_lists_actions_and_undo_restores(alice_client: Client, workspace_a: Workspace) -> None:
    make_rule(
        workspace_a, [], [{"type": "priority", "priority": 3}, {"type": "notify", "users": []}]
    )
    message = make_message(workspace_a, "Help")
    [logged] = apply_rules(workspace_a, [message])
    page = alice_client.get(reverse("inbox:rules_log")).content.decode()
    assert "Normal → Urgent" in page and reverse("inbox:rules_undo", args=[logged.pk]) in page
    alice_client.post(reverse("inbox:rules_undo", args=[logged.pk]))
    message.conversation.refresh_from_db()
    assert message.conversation.priority == 1


def test_editor_may_view_and_undo_but_not_manage_rules(
    bob_client: Client, workspace_a: Workspace
) -> None:
    rule = make_rule(workspace_a, [], [{"type": "resolve"}])
    assert bob_client.get(reverse("inbox:rules")).status_code == 200
    assert bob_client.get(reverse("inbox:rules_log")).status_code == 200
    assert bob_client.get(reverse("inbox:rules_create")).status_code == 403
    assert bob_client.post(reverse("inbox:rules_toggle", args=[rule.pk])).status_code == 403
    bob_client.post(reverse("inbox:rules_labels"), {"name": "Press", "color": "#123456"})
    assert Label.objects.filter(workspace=workspace_a, name="Press").exists()


def test_labels_and_lists_pages(alice_client: Client, workspace_a: Workspace) -> None:
    response = alice_client.post(reverse("inbox:rules_labels"), {"name": "VIP", "color": "red"})
    assert response.status_code == 422 and "A colour like" in response.content.decode()
    alice_client.post(reverse("inbox:rules_labels"), {"name": "VIP", "color": "#FF0000"})
    assert Label.objects.get(workspace=workspace_a).color == "#ff0000"
    alice_client.post(reverse("inbox:rules_lists"), {"name": "Press"})
    press = AuthorList.objects.get(workspace=workspace_a)
    author = make_author(workspace_a, "journalist@mastodon.social")
    url = reverse("inbox:rules_list", args=[press.pk])
    missing = alice_client.post(url, {"handle": "@nobody"})
    assert missing.status_code == 422
    alice_client.post(url, {"handle": "@Journalist@mastodon.social"})
    assert list(press.authors.all()) == [author]


# -- tenancy ---------------------------------------------------------------------------------


@pytest.fixture
def a_things(workspace_a: Workspace) -> dict[str, int]:
    rule = make_rule(workspace_a, [], [{"type": "priority", "priority": 3}])
    [logged] = apply_rules(workspace_a, [make_message(workspace_a, "x")])
    label = Label.objects.create(workspace=workspace_a, name="A label")
    author_list = AuthorList.objects.create(workspace=workspace_a, name="A list")
    author = make_author(workspace_a)
    author_list.authors.add(author)
    return {
        "rule": rule.pk,
        "action": logged.pk,
        "label": label.pk,
        "list": author_list.pk,
        "author": author.pk,
    }


def test_charlie_gets_404_on_everything_of_a(
    charlie_client: Client, a_things: dict[str, int]
) -> None:
    t = a_things
    gets = [
        reverse("inbox:rules_edit", args=[t["rule"]]),
        reverse("inbox:rules_delete", args=[t["rule"]]),
        reverse("inbox:rules_label_edit", args=[t["label"]]),
        reverse("inbox:rules_list", args=[t["list"]]),
    ]
    posts = [
        *gets,
        reverse("inbox:rules_move", args=[t["rule"]]),
        reverse("inbox:rules_toggle", args=[t["rule"]]),
        reverse("inbox:rules_undo", args=[t["action"]]),
        reverse("inbox:rules_label_delete", args=[t["label"]]),
        reverse("inbox:rules_list_delete", args=[t["list"]]),
        reverse("inbox:rules_list_remove", args=[t["list"], t["author"]]),
    ]
    for url in gets:
        assert charlie_client.get(url).status_code == 404, url
    for url in posts:
        assert charlie_client.post(url, {"name": "x", "direction": "up"}).status_code == 404, url
    assert Rule.objects.filter(pk=t["rule"], enabled=True).exists()
    assert RuleAction.objects.filter(pk=t["action"], undone_at=None).exists()
    assert Label.objects.filter(pk=t["label"]).exists()
    assert AuthorList.objects.get(pk=t["list"]).authors.count() == 1


def test_charlies_pages_show_nothing_of_a(charlie_client: Client, a_things: dict[str, int]) -> None:
    for name in ("inbox:rules", "inbox:rules_log", "inbox:rules_labels", "inbox:rules_lists"):
        page = charlie_client.get(reverse(name)).content.decode()
        assert "A label" not in page and "A list" not in page and "Rule " not in page


def test_a_rule_of_a_never_touches_c(
    alice_client: Client, workspace_a: Workspace, workspace_c: Workspace
) -> None:
    their_label = Label.objects.create(workspace=workspace_c, name="C label")
    data = rule_post(**{"a-0-type": "label", "a-0-label": str(their_label.pk)})
    assert alice_client.post(reverse("inbox:rules_create"), data).status_code == 422
    # Even stored around the form, the rule cannot label or reach C's conversations.
    make_rule(workspace_a, [], [{"type": "label", "label": their_label.pk}, {"type": "resolve"}])
    theirs = make_message(workspace_c, "C's message")
    assert apply_rules(workspace_a, [theirs]) == []
    ours = make_message(workspace_a, "A's message")
    logged = apply_rules(workspace_a, [ours])
    assert [a.action for a in logged] == ["resolve"]
    theirs.conversation.refresh_from_db()
    assert theirs.conversation.status == "new" and not theirs.conversation.labels.exists()
