"""Meta's app webhooks through the real URL (``/webhooks/instagram/``): the challenge, the
signature (refused and logged without the body), and deliveries stored once, with the same ids
as polling, removals and hides marking what is stored."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from chorus.channels.models import Channel
from chorus.inbox.models import Message
from chorus.workspaces.models import Workspace
from tests.channels.meta import webhook_support as meta
from tests.inbox.ingest_support import make_channel

pytestmark = pytest.mark.django_db
URL = "/webhooks/instagram/"


@pytest.fixture(autouse=True)
def _meta_app(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHORUS_META_APP_ID = "1234"
    settings.CHORUS_META_APP_SECRET = meta.APP_SECRET
    settings.CHORUS_META_WEBHOOK_VERIFY_TOKEN = meta.VERIFY_TOKEN


@pytest.fixture
def instagram(workspace_a: Workspace) -> Channel:
    return make_channel(workspace_a, "instagram", meta.IG_USER, handle="brand")


def post(client: Client, body: bytes, **headers: str) -> object:
    return client.post(URL, body, content_type="application/json", **headers)


def test_the_challenge_is_answered_only_with_the_operators_token(client: Client) -> None:
    asked = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": ""}
    good = client.get(URL, {**asked, "hub.verify_token": meta.VERIFY_TOKEN})
    assert good.status_code == 200 and good.content == b"1158201444"
    assert client.get(URL, {**asked, "hub.verify_token": "guess"}).status_code == 403
    wrong_mode = {**asked, "hub.mode": "unsubscribe", "hub.verify_token": meta.VERIFY_TOKEN}
    assert client.get(URL, wrong_mode).status_code == 403


def test_no_verify_token_set_refuses_every_challenge(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHORUS_META_WEBHOOK_VERIFY_TOKEN = ""
    asked = {"hub.mode": "subscribe", "hub.challenge": "1", "hub.verify_token": ""}
    assert client.get(URL, asked).status_code == 403


def test_a_bad_or_missing_signature_is_refused_and_logged_without_the_body(
    client: Client, instagram: Channel, caplog: pytest.LogCaptureFixture
) -> None:
    body = meta.delivery("instagram", meta.instagram_comment(text="secret words"))
    with caplog.at_level(logging.WARNING):
        missing = post(client, body)
        forged = post(client, body, **meta.signed(body, "not-the-app-secret"))
    assert missing.status_code == 403 and forged.status_code == 403  # type: ignore[attr-defined]
    assert not Message.objects.exists()
    said = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert said == [
        "webhook delivery for instagram refused: no X-Hub-Signature-256 header",
        "webhook delivery for instagram refused: the signature does not match the body",
    ]
    assert "secret words" not in caplog.text


def test_a_signed_comment_is_stored_once_with_pollings_ids(
    client: Client, instagram: Channel
) -> None:
    body = meta.delivery("instagram", meta.instagram_comment())
    for _ in range(2):  # Meta delivers again when it is unsure we got it
        answer = post(client, body, **meta.signed(body))
        assert answer.status_code == 200  # type: ignore[attr-defined]
    stored = Message.objects.get()
    assert (stored.remote_id, stored.conversation.remote_id) == (meta.IG_COMMENT, meta.IG_MEDIA)
    assert stored.text == "Beautiful!" and stored.author.handle == "a_reader"  # type: ignore[union-attr]


def test_a_reply_hangs_on_its_comment(client: Client, instagram: Channel) -> None:
    body = meta.delivery(
        "instagram",
        meta.instagram_comment(),
        meta.instagram_comment("17900000000000001", "Thanks!", parent=meta.IG_COMMENT),
    )
    post(client, body, **meta.signed(body))
    reply = Message.objects.get(remote_id="17900000000000001")
    assert reply.in_reply_to == meta.IG_COMMENT and reply.kind == "reply"
    assert reply.conversation.remote_id == meta.IG_MEDIA


def test_a_delivery_for_an_account_nobody_connected_is_accepted_and_stores_nothing(
    client: Client,
) -> None:
    body = meta.delivery("instagram", meta.instagram_comment())
    answer = post(client, body, **meta.signed(body))
    assert answer.status_code == 200 and answer.json()["channels"] == 0  # type: ignore[attr-defined]
    assert not Message.objects.exists()


def test_a_malformed_body_is_a_400_and_stores_nothing(client: Client, instagram: Channel) -> None:
    for body in (b"{not json", b'{"object": "page", "entry": []}', b'{"object": "instagram"}'):
        answer = post(client, body, **meta.signed(body))
        assert answer.status_code == 400, body  # type: ignore[attr-defined]
    assert not Message.objects.exists()


def test_instagram_direct_messages_are_named_by_the_other_person(
    client: Client, instagram: Channel
) -> None:
    theirs = meta.messaging(meta.IG_USER, "IGSID-42", meta.IG_USER, mid="aWdfZAG1", text="Hello?")
    ours = meta.messaging(
        meta.IG_USER, meta.IG_USER, "IGSID-42", mid="aWdfZAG2", text="Hi!", is_echo=True
    )
    body = meta.delivery("instagram", theirs, ours)
    post(client, body, **meta.signed(body))
    # Only theirs: the account's own messages are the team's answers, stored when sent.
    found = {m.remote_id: (m.conversation.remote_id, m.direction) for m in Message.objects.all()}
    assert found == {"aWdfZAG1": ("dm:IGSID-42", "in")}
    unsent = meta.delivery(
        "instagram",
        meta.messaging(meta.IG_USER, "IGSID-42", meta.IG_USER, mid="aWdfZAG1", is_deleted=True),
    )
    post(client, unsent, **meta.signed(unsent))
    assert Message.objects.get(remote_id="aWdfZAG1").deleted
