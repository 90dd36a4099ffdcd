"""The inbox pages: every view and filter, search, keyset pages, actions, and tenancy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from chorus.inbox import listing
from chorus.inbox.models import Conversation, Label, Note, SavedReply, Status
from chorus.workspaces.models import Notification
from tests.inbox import factories


@pytest.fixture
def channel_a(workspace_a):  # type: ignore[no-untyped-def]
    return factories.channel(workspace_a, "mastodon")


@pytest.fixture
def talk(channel_a):  # type: ignore[no-untyped-def]
    fan = factories.author(channel_a.workspace, handle="noe@piaille.fr", display_name="Noé")
    return factories.conversation(channel_a, "Where is my parcel?", by=fan, sentiment="negative")


def rows(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [c["pk"] for c in response.context["rows"]]


def test_the_list_shows_open_conversations_newest_first(alice_client: Client, channel_a) -> None:
    older = factories.conversation(channel_a, "older", at=timezone.now() - timedelta(hours=2))
    newer = factories.conversation(channel_a, "newer", at=timezone.now())
    done = factories.conversation(channel_a, "done", status=Status.RESOLVED)

    response = alice_client.get("/inbox/")
    assert response.status_code == 200
    assert rows(response) == [newer.pk, older.pk]
    assert done.pk not in rows(response)
    assert b"newer" in response.content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("view=mine", "mine"),
        ("view=unassigned", "unassigned"),
        ("status=resolved", "resolved"),
        ("status=new", "new"),
        ("sentiment=negative", "negative"),
        ("network=matrix", "matrix"),
    ],
)
def test_each_filter_selects_its_conversations(
    alice, alice_client: Client, workspace_a, channel_a, query, expected
) -> None:
    matrix = factories.channel(workspace_a, "matrix")
    picks = {
        "mine": factories.conversation(channel_a, "mine", assignee=alice, status=Status.PENDING),
        "unassigned": factories.conversation(channel_a, "nobody's", sentiment="positive"),
        "resolved": factories.conversation(channel_a, "closed", status=Status.RESOLVED),
        "negative": factories.conversation(
            channel_a, "angry", sentiment="negative", assignee=alice, status=Status.PENDING
        ),  # fmt: skip
        "matrix": factories.conversation(
            matrix, "in the room", assignee=alice, status=Status.PENDING
        ),  # fmt: skip
    }
    picks["new"] = picks["unassigned"]
    found = rows(alice_client.get(f"/inbox/?{query}"))
    assert picks[expected].pk in found
    others = {"mine": "unassigned", "unassigned": "mine", "resolved": "mine",
              "new": "mine", "negative": "unassigned", "matrix": "unassigned"}  # fmt: skip
    assert picks[others[expected]].pk not in found


def test_filter_by_label(alice, alice_client: Client, channel_a, talk) -> None:
    other = factories.conversation(channel_a, "no label")
    vip = Label.objects.create(workspace=channel_a.workspace, name="VIP")
    talk.labels.add(vip)
    assert rows(alice_client.get(f"/inbox/?label={vip.pk}")) == [talk.pk]
    assert other.pk in rows(alice_client.get("/inbox/"))


def test_search_finds_text_handle_and_older_messages(alice_client: Client, channel_a, talk) -> None:
    other = factories.conversation(channel_a, "Nice shop!")
    factories.message(talk, "tracking number 8812", at=talk.last_message_at - timedelta(minutes=1))
    assert rows(alice_client.get("/inbox/?q=parcel")) == [talk.pk]
    assert rows(alice_client.get("/inbox/?q=@noe")) == [talk.pk]
    assert rows(alice_client.get("/inbox/?q=8812")) == [talk.pk]
    assert rows(alice_client.get("/inbox/?q=shop")) == [other.pk]


def test_pages_follow_each_other_without_gaps_or_repeats(
    alice_client: Client, channel_a, monkeypatch
) -> None:
    monkeypatch.setattr(listing, "PAGE_SIZE", 3)
    same_time = timezone.now()
    made = [factories.conversation(channel_a, f"c{i}", at=same_time) for i in range(4)]
    made += [factories.conversation(channel_a, f"d{i}", at=same_time - timedelta(minutes=i + 1))
             for i in range(3)]  # fmt: skip
    seen: list[int] = []
    response = alice_client.get("/inbox/")
    while True:
        seen += rows(response)
        cursor = response.context["next_cursor"]
        if not cursor:
            break
        response = alice_client.get(f"/inbox/?after={cursor}", HTTP_HX_REQUEST="true")
        assert response.templates[0].name == "inbox/_rows.html"
    assert sorted(seen) == sorted(c.pk for c in made)
    assert len(seen) == len(set(seen))


def test_counts_in_the_filter_column(alice, alice_client: Client, channel_a, talk) -> None:
    factories.conversation(channel_a, "mine", assignee=alice)
    counts = alice_client.get("/inbox/").context["counts"]
    assert counts["views"] == {"all": 2, "mine": 1, "unassigned": 1}
    assert counts["sentiments"]["negative"] == 1
    assert counts["networks"] == {"mastodon": 2}


def test_the_conversation_page_shows_thread_notes_and_author(
    alice, alice_client: Client, channel_a, talk
) -> None:
    Note.objects.create(
        workspace=talk.workspace, conversation=talk, author=alice, text="VIP, be nice"
    )
    earlier = factories.conversation(channel_a, "Last year’s question", by=talk.author)
    response = alice_client.get(f"/inbox/{talk.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Where is my parcel?" in page
    assert "VIP, be nice" in page
    assert "noe@piaille.fr" in page
    assert f"/inbox/{earlier.pk}/" in page  # history with the brand


def test_actions_on_a_conversation(alice, bob, alice_client: Client, talk) -> None:
    url = f"/inbox/{talk.pk}"
    assert alice_client.post(f"{url}/assign/", {"assignee": bob.pk}).status_code == 302
    alice_client.post(f"{url}/priority/", {"priority": 3})
    alice_client.post(f"{url}/labels/", {"name": "Delivery"})
    alice_client.post(f"{url}/notes/", {"text": "Asked the warehouse"})
    alice_client.post(f"{url}/status/", {"status": "resolved"})
    talk.refresh_from_db()
    assert talk.assignee == bob
    assert talk.priority == 3
    assert [label.name for label in talk.labels.all()] == ["Delivery"]
    assert talk.notes.get().text == "Asked the warehouse"
    assert talk.status == Status.RESOLVED
    assert Notification.objects.filter(user=bob, link=f"/inbox/{talk.pk}/").exists()


def test_correcting_a_sentiment(alice_client: Client, talk) -> None:
    message = talk.messages.get()
    alice_client.post(f"/inbox/{talk.pk}/messages/{message.pk}/correct/",
                      {"field": "sentiment", "value": "positive"})  # fmt: skip
    message.refresh_from_db()
    assert message.sentiment == "positive"
    assert message.sentiment_corrected
    assert message.corrections.get().old_value == "negative"


def test_bulk_actions_change_only_the_workspaces_conversations(
    alice, bob, alice_client: Client, channel_a, workspace_c
) -> None:
    mine = [factories.conversation(channel_a, f"m{i}") for i in range(3)]
    theirs = factories.conversation(factories.channel(workspace_c), "charlie's")
    ids = [c.pk for c in mine] + [theirs.pk]
    alice_client.post("/inbox/bulk/", {"ids": ids, "action": "resolve"})
    alice_client.post("/inbox/bulk/", {"ids": ids, "action": "assign", "assignee": bob.pk})
    alice_client.post("/inbox/bulk/", {"ids": ids, "action": "label", "label": "Batch"})
    for conversation in mine:
        conversation.refresh_from_db()
        assert conversation.status == Status.RESOLVED
        assert conversation.assignee == bob
        assert conversation.labels.get().name == "Batch"
    theirs.refresh_from_db()
    assert theirs.status == Status.NEW
    assert theirs.assignee is None
    assert not theirs.labels.exists()


def test_bulk_assign_to_an_outsider_is_refused(alice_client: Client, channel_a, charlie) -> None:
    talk = factories.conversation(channel_a)
    response = alice_client.post(
        "/inbox/bulk/", {"ids": [talk.pk], "action": "assign", "assignee": charlie.pk}
    )
    assert response.status_code == 404
    talk.refresh_from_db()
    assert talk.assignee is None


def test_charlie_cannot_see_or_touch_workspace_a(
    charlie_client: Client, alice, talk, workspace_a
) -> None:
    message = talk.messages.get()
    label = Label.objects.create(workspace=workspace_a, name="Secret")
    saved = SavedReply.objects.create(workspace=workspace_a, name="Hi", text="Hello")
    base = f"/inbox/{talk.pk}"
    gets = [f"{base}/", f"{base}/saved/{saved.pk}/", f"/inbox/saved-replies/{saved.pk}/"]
    posts = [
        (f"{base}/reply/", {"text": "hi"}),
        (f"{base}/status/", {"status": "resolved"}),
        (f"{base}/priority/", {"priority": 3}),
        (f"{base}/assign/", {"assignee": "me"}),
        (f"{base}/labels/", {"name": "x"}),
        (f"{base}/labels/{label.pk}/remove/", {}),
        (f"{base}/notes/", {"text": "x"}),
        (f"{base}/link-author/", {"handle": "x"}),
        (f"{base}/messages/{message.pk}/correct/", {"field": "sentiment", "value": "positive"}),
        (f"{base}/messages/{message.pk}/moderate/", {"action": "delete"}),
        (f"{base}/messages/{message.pk}/approve/", {}),
        (f"{base}/rule-actions/1/undo/", {}),
        (f"/inbox/saved-replies/{saved.pk}/delete/", {}),
    ]
    for url in gets:
        assert charlie_client.get(url).status_code == 404, url
    for url, data in posts:
        assert charlie_client.post(url, data).status_code == 404, url
    assert talk.pk not in rows(charlie_client.get("/inbox/"))
    assert b"Where is my parcel" not in charlie_client.get("/inbox/export.csv").getvalue()
    talk.refresh_from_db()
    assert talk.status == Status.NEW and not talk.notes.exists()
    assert SavedReply.objects.filter(pk=saved.pk).exists()


def test_an_analyst_reads_but_cannot_act(alice_client, bob, talk) -> None:  # type: ignore[no-untyped-def]
    from chorus.workspaces.models import Membership, Role

    Membership.objects.filter(user=bob).update(role=Role.ANALYST)
    client = Client()
    client.force_login(bob)
    assert client.get(f"/inbox/{talk.pk}/").status_code == 200
    assert client.post(f"/inbox/{talk.pk}/status/", {"status": "resolved"}).status_code == 403
    assert client.post("/inbox/bulk/", {"ids": [talk.pk], "action": "resolve"}).status_code == 403
    assert Conversation.objects.get(pk=talk.pk).status == Status.NEW


def test_saved_replies_and_settings_pages(alice_client: Client, workspace_a) -> None:
    response = alice_client.post(
        "/inbox/saved-replies/",
        {"name": "Thanks", "text": "Thanks {first_name}!", "language": "en"},
    )
    assert response.status_code == 302
    saved = SavedReply.objects.get(workspace=workspace_a)
    alice_client.post(f"/inbox/saved-replies/{saved.pk}/", {"name": "Merci", "text": "Merci !"})
    saved.refresh_from_db()
    assert saved.name == "Merci"
    assert alice_client.get("/inbox/saved-replies/").status_code == 200

    hours = {"first_reply_hours": 2, "open_0": "09:00", "close_0": "18:00"}
    assert alice_client.post("/inbox/settings/", hours).status_code == 302
    stored = workspace_a.inbox
    assert stored.first_reply_hours == 2
    assert stored.business_hours == {"0": ["09:00", "18:00"]}
    bad = alice_client.post("/inbox/settings/", {"first_reply_hours": 2, "open_1": "18:00",
                                                 "close_1": "09:00"})  # fmt: skip
    assert bad.status_code == 422
    assert b"Closing comes after opening" in bad.content
    alice_client.post(f"/inbox/saved-replies/{saved.pk}/delete/")
    assert not SavedReply.objects.exists()


def test_reply_errors_are_shown_in_the_page(alice_client: Client, talk) -> None:
    response = alice_client.post(f"/inbox/{talk.pk}/reply/", {"text": "x" * 600})
    assert response.status_code == 422
    assert "500" in response.content.decode()


def test_an_automatic_action_is_shown_and_undone(alice_client: Client, talk) -> None:
    from chorus.inbox.models import Rule, RuleAction

    vip = Label.objects.create(workspace=talk.workspace, name="Angry")
    talk.labels.add(vip)
    rule = Rule.objects.create(workspace=talk.workspace, name="Angry customers")
    logged = RuleAction.objects.create(
        workspace=talk.workspace, rule=rule, conversation=talk, action="label",
        detail={"label": vip.pk},
    )  # fmt: skip
    page = alice_client.get(f"/inbox/{talk.pk}/").content.decode()
    assert "Angry customers" in page and f"/rule-actions/{logged.pk}/undo/" in page

    alice_client.post(f"/inbox/{talk.pk}/rule-actions/{logged.pk}/undo/")
    logged.refresh_from_db()
    assert logged.undone_at is not None
    assert not talk.labels.exists()
    again = alice_client.post(f"/inbox/{talk.pk}/rule-actions/{logged.pk}/undo/", follow=True)
    assert "already undone" in again.content.decode()


def test_linking_the_author_to_another_account(alice_client: Client, channel_a, talk) -> None:
    other = factories.author(channel_a.workspace, handle="noe.bsky.social", network="bluesky")
    alice_client.post(f"/inbox/{talk.pk}/link-author/", {"handle": "@noe.bsky.social"})
    other.refresh_from_db()
    talk.author.refresh_from_db()
    assert other.person_id is not None and other.person_id == talk.author.person_id
    assert "noe.bsky.social" in alice_client.get(f"/inbox/{talk.pk}/").content.decode()
