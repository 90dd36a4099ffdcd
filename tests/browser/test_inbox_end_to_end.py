"""The whole inbox loop in a real browser: a person writes in a real Synapse room, recorded
Mastodon notifications come in through the real connector, both are classified, a rule made on
the rules page labels the complaint and gives it to bob, alice answers it, and the answer is read
back from Synapse, once, as a reply to the complaint. Screenshots in English and French."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from chorus.channels import services as channels
from chorus.channels.models import Channel
from chorus.inbox.models import Conversation, Direction, Label, Message, Rule, RuleAction
from chorus.inbox.polling import poll_channel_now
from chorus.publishing.models import State
from tests.browser.conftest import shot, sign_in
from tests.channels.mastodon.mastodon_recordings import TOKEN, Answer, Recording
from tests.channels.matrix.matrix_room import Person
from tests.servers.synapse import RunningSynapse

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.django_db(transaction=True)]

QUESTION = "Quick question: what time does the workshop start on Saturday?"
COMPLAINT = (
    "C'est inadmissible ! Ma commande est arrivée cassée et personne ne répond au service "
    "client. Je veux être remboursé."
)
ANSWER = "Toutes nos excuses ! Nous vous renvoyons une commande neuve aujourd'hui, à nos frais."
MASTODONPY_TEST = "117020565966271181"  # the account the recorded mentions were written to
# Headers that described the recorded bytes on the wire, or that our server writes itself.
_SKIPPED_HEADERS = {"content-length", "content-encoding", "transfer-encoding", "connection"}


# -- a real Synapse room -------------------------------------------------------------------------


@pytest.fixture
def homeserver(synapse: RunningSynapse) -> RunningSynapse:
    """The run's one Synapse (tests/conftest.py), under the name these tests read best with."""
    return synapse


@pytest.fixture
def room(homeserver: RunningSynapse) -> Iterator[tuple[str, Person]]:
    """A fresh room made by the brand's account (Synapse's alice), joined by a customer (bob)."""
    brand, customer = Person(homeserver, "alice"), Person(homeserver, "bob")
    made = brand.http.post("/createRoom", json={"preset": "public_chat", "name": "Café Lumière"})
    made.raise_for_status()
    room_id = str(made.json()["room_id"])
    customer.join(room_id).raise_for_status()
    yield room_id, customer
    brand.http.close()
    customer.http.close()


@pytest.fixture
def matrix_channel(workspace_a, homeserver: RunningSynapse, room) -> Channel:  # type: ignore[no-untyped-def]
    settings = {"base_url": homeserver.base_url, "room": room[0]}
    return channels.connect(
        workspace_a, "matrix", homeserver.users["alice"].credentials(), settings, name="Community"
    )


# -- recorded Mastodon traffic, served over loopback HTTP ----------------------------------------


class _Replay(BaseHTTPRequestHandler):
    """Answers with the recording, so the connector talks real HTTP to something that is not
    Mastodon but only says what Mastodon once said."""

    protocol_version = "HTTP/1.1"
    server: _ReplayServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib's name
        request = httpx.Request(
            "GET", f"http://127.0.0.1{self.path}", headers=dict(self.headers.items())
        )
        try:
            answer = self.server.recording.handle(request)
        except AssertionError:
            answer = httpx.Response(404, json={"error": "Record not found"})
        self.send_response(answer.status_code)
        for name, value in answer.headers.items():
            if name.lower() not in _SKIPPED_HEADERS:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        self.wfile.write(answer.content)


class _ReplayServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, recording: Recording) -> None:
        super().__init__(("127.0.0.1", 0), _Replay)
        self.recording = recording

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def mentions_and_direct() -> Recording:
    """Two mentions and a direct message, as recorded; then nothing newer."""
    recording = Recording.of("test_notifications_mentions_only.yaml", "test_conversations.yaml")
    recording.answers = [answer for answer in recording.answers if answer.method == "GET"]
    headers = recording.find("GET", "/api/v1/notifications").headers
    for path in ("/api/v1/notifications", "/api/v1/conversations"):
        recording.answers.append(Answer("GET", path, 200, headers, b"[]", repeat=True))
    return recording


@pytest.fixture
def mastodon_channel(workspace_a) -> Iterator[Channel]:  # type: ignore[no-untyped-def]
    server = _ReplayServer(mentions_and_direct())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    channel = Channel(
        workspace=workspace_a,
        network="mastodon",
        name="Café Lumière",
        remote_id=MASTODONPY_TEST,
        settings={"base_url": server.root},
    )
    channel.credentials = {"access_token": TOKEN}
    channel.save()
    yield channel
    server.shutdown()
    server.server_close()


# -- the browser ---------------------------------------------------------------------------------


def make_complaint_rule(page, bob) -> None:  # type: ignore[no-untyped-def]
    """A label, then the rule, both through the rules pages."""
    page.goto(page.base + "/inbox/rules/labels/")
    page.fill("#id_name", "Complaint")
    page.fill("#id_color", "#dc2626")
    page.click("form button.primary")
    page.wait_for_selector(".label-items")
    page.goto(page.base + "/inbox/rules/new/")
    page.fill("#id_name", "Unhappy customers go to Bob")
    page.select_option("#id_c-0-type", "sentiment")
    page.check("input[name=c-0-sentiments][value=negative]")
    page.select_option("#id_a-0-type", "label")
    page.select_option("#id_a-0-label", label="Complaint")
    page.click("#add-a")  # a second action row, from the server (HTMX)
    page.wait_for_selector("#id_a-1-type")
    page.select_option("#id_a-1-type", "assign")
    page.select_option("#id_a-1-user", value=str(bob.pk))
    page.click("button[name=save]")
    page.wait_for_url("**/inbox/rules/")


def whole_shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """The reply box sticks to the window's bottom; a window as tall as the page shows it where
    it really ends, below the thread, instead of pasted over the last message."""
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": 1360, "height": max(860, int(height))})
    shot(page, name)
    page.set_viewport_size({"width": 1360, "height": 860})


def replies_in_room(customer: Person, room_id: str) -> list[dict[str, Any]]:
    return [e for e in customer.messages(room_id) if e["content"].get("body") == ANSWER]


# -- the story -----------------------------------------------------------------------------------


def test_from_synapse_and_mastodon_to_an_answer_in_the_room(  # type: ignore[no-untyped-def]
    page, alice, bob, room, matrix_channel, mastodon_channel, charlie_client
) -> None:
    room_id, customer = room
    sign_in(page, alice)
    make_complaint_rule(page, bob)
    rule = Rule.objects.get(name="Unhappy customers go to Bob")
    assert [c["type"] for c in rule.conditions] == ["sentiment"]
    assert [a["type"] for a in rule.actions] == ["label", "assign"]

    customer.say(room_id, QUESTION)
    complaint_event = customer.say(room_id, COMPLAINT)
    assert poll_channel_now(matrix_channel) and poll_channel_now(mastodon_channel)

    # Classified on the way in: the French complaint, the English question.
    complaint = Message.objects.get(channel=matrix_channel, remote_id=complaint_event)
    assert (complaint.language, complaint.sentiment) == ("fr", "negative")
    question = Message.objects.get(channel=matrix_channel, text=QUESTION)
    assert question.language == "en" and question.sentiment != "negative"
    assert Message.objects.filter(channel=mastodon_channel).count() == 3
    talk = complaint.conversation
    assert list(talk.labels.values_list("name", flat=True)) == ["Complaint"]
    assert talk.assignee == bob
    assert set(RuleAction.objects.filter(rule=rule).values_list("action", flat=True)) == {
        "label",
        "assign",
    }

    # The list: both networks, every row with its sentiment, the complaint labelled and Bob's.
    page.goto(page.base + "/inbox/")
    rows = page.locator("[data-row]")
    # The room's two top-level messages are two conversations; two mentions, one private message.
    assert rows.count() == 5
    assert page.locator("[data-row] .chip[class*=sent-]").count() == 5
    assert page.locator("[data-row] .net-matrix").count() == 2
    assert page.locator("[data-row] .net-mastodon").count() == 3
    matrix_row = rows.filter(has=page.locator(".net-matrix"), has_text="inadmissible")
    assert "Complaint" in matrix_row.inner_text()
    assert "inadmissible" in matrix_row.inner_text()
    assert matrix_row.locator(".chip.sent-negative").count() == 1
    assert "Bob" in (matrix_row.locator(".assignee").get_attribute("title") or "")
    shot(page, "inbox-e2e-en")

    # Alice opens it: the rule's doing is told, the label and Bob are there.
    matrix_row.locator("a.conv-main").click()
    page.wait_for_url(f"**/inbox/{talk.pk}/")
    log = page.inner_text(".rule-log")
    assert "Unhappy customers go to Bob" in log and "added a label" in log and "assigned" in log
    assert "Complaint" in page.inner_text(".label-cell")
    assert page.locator("select[name=assignee] option:checked").inner_text() == str(bob)

    page.fill("#reply-text", ANSWER)
    page.click(".reply-form button[type=submit]")
    page.wait_for_selector(".flash-item.success")
    sent = Message.objects.get(conversation=talk, direction=Direction.OUTGOING)
    assert sent.sent_by == alice and sent.reply_target is not None
    assert sent.reply_target.state == State.PUBLISHED, sent.reply_target.last_error
    assert ANSWER in page.inner_text(".msg.out")
    whole_shot(page, "conversation-e2e-en")

    # Read back from Synapse, as the customer sees it: there once, as an answer to the complaint.
    (answer,) = replies_in_room(customer, room_id)
    assert answer["sender"] == matrix_channel.remote_id
    relation = answer["content"].get("m.relates_to", {})
    assert relation.get("m.in_reply_to", {}).get("event_id") == complaint_event
    assert answer["event_id"] == Message.objects.get(pk=sent.pk).remote_id

    page.goto(page.base + "/inbox/rules/log/")
    assert page.locator(".rule-log tbody tr").count() == 2  # the label and the assignment

    # The next poll brings our answer back: still one message in the inbox, still one in the room.
    assert poll_channel_now(matrix_channel)
    assert Message.objects.filter(conversation=talk, direction=Direction.OUTGOING).count() == 1
    assert len(replies_in_room(customer, room_id)) == 1

    # The same list in French.
    page.goto(page.base + "/inbox/")
    page.click(".sidebar .lang-switch button[value=fr]")
    expect(page.locator("h1")).to_have_text("Boîte de réception")
    assert page.get_attribute("html", "lang") == "fr"
    assert page.locator("[data-row]").count() == 5
    assert "Négatif" in page.inner_text("[data-row] .chip.sent-negative")
    shot(page, "inbox-e2e-fr")

    # Charlie, outside the workspace, finds none of it.
    assert charlie_client.get(f"/inbox/{talk.pk}/").status_code == 404
    assert Conversation.objects.filter(workspace=talk.workspace).count() == 5
    assert not Label.objects.filter(name="Complaint").exclude(workspace=talk.workspace).exists()
