"""Saved replies fill in variables by plain substitution: no format-string tricks get through."""

from __future__ import annotations

import pytest

from chorus.inbox import saved_replies, services
from chorus.inbox.models import SavedReply
from tests.inbox import factories


@pytest.fixture
def talk(workspace_a):  # type: ignore[no-untyped-def]
    fan = factories.author(workspace_a, handle="@lou@piaille.fr", display_name="Lou Garnier")
    return factories.conversation(factories.channel(workspace_a), "Bonjour", by=fan)


def saved(workspace, text: str) -> SavedReply:  # type: ignore[no-untyped-def]
    return SavedReply.objects.create(workspace=workspace, name=text[:20], text=text)


def test_every_variable_is_filled_in(alice, talk, workspace_a) -> None:
    reply = saved(workspace_a, "Hi {first_name} ({name}, {handle}) — {agent_name} for {brand}")
    rendered = saved_replies.render_saved_reply(reply, talk, alice)
    assert rendered.text == "Hi Lou (Lou Garnier, @lou@piaille.fr) — Alice for Brand A"
    assert rendered.unknown == []


def test_unknown_variables_stay_visible_and_are_flagged(alice, talk, workspace_a) -> None:
    rendered = saved_replies.render_saved_reply(
        saved(workspace_a, "Hi {firstname}, {x}"), talk, alice
    )
    assert rendered.text == "Hi {firstname}, {x}"
    assert rendered.unknown == ["firstname", "x"]


@pytest.mark.parametrize(
    "attack",
    [
        "{agent_name.__class__.__init__.__globals__}",
        "{brand.__class__}",
        "{0}",
        "{first_name!r}",
        "{name:>99999999}",
        "{{first_name}}",
    ],
)
def test_format_string_tricks_reach_nothing(alice, talk, workspace_a, attack: str) -> None:
    rendered = saved_replies.render_saved_reply(saved(workspace_a, attack), talk, alice)
    assert "class" not in rendered.text.replace(attack, "")
    assert "object at 0x" not in rendered.text
    assert len(rendered.text) < 200
    if attack == "{{first_name}}":
        assert rendered.text == "{Lou}"  # plain substitution: braces are just braces
    else:
        assert rendered.text == attack


def test_variable_values_are_not_expanded_again(alice, workspace_a) -> None:
    sly = factories.author(workspace_a, display_name="{agent_name} {brand}")
    talk = factories.conversation(factories.channel(workspace_a), "hi", by=sly)
    rendered = saved_replies.render_saved_reply(saved(workspace_a, "Hello {name}"), talk, alice)
    assert rendered.text == "Hello {agent_name} {brand}"


def test_another_workspaces_saved_reply_is_refused(alice, talk, workspace_c) -> None:
    theirs = saved(workspace_c, "Hi {name}")
    with pytest.raises(services.InboxRuleBroken):
        saved_replies.render_saved_reply(theirs, talk, alice)


def test_the_form_refuses_unknown_variables(alice_client, workspace_a) -> None:  # type: ignore[no-untyped-def]
    response = alice_client.post(
        "/inbox/saved-replies/", {"name": "Typo", "text": "Hello {frist_name}"}
    )
    assert response.status_code == 422
    assert "{frist_name}" in response.content.decode()
    assert not SavedReply.objects.exists()


def test_the_reply_box_gets_the_filled_in_text(alice_client, talk, workspace_a) -> None:  # type: ignore[no-untyped-def]
    reply = saved(workspace_a, "Merci {first_name} !")
    answer = alice_client.get(f"/inbox/{talk.pk}/saved/{reply.pk}/")
    assert answer.json() == {"text": "Merci Lou !", "unknown": []}
    page = alice_client.get(f"/inbox/{talk.pk}/?use={reply.pk}")
    assert "Merci Lou !</textarea>" in page.content.decode()
