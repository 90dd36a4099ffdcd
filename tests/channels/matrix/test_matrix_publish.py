"""Publishing text: what people in the room receive, escaped and linked, and where it goes."""

from __future__ import annotations

from urllib.parse import quote

from matrix_room import Person

from chorus.channels.base import OutgoingPost
from chorus.channels.networks.matrix.network import Matrix, MatrixConnection
from tests.servers.synapse import RunningSynapse


def test_text_arrives_plain_and_as_escaped_html(
    alice: MatrixConnection, bob: Person, room: str
) -> None:
    text = "Hello <script>alert(1)</script> & welcome!\nRead https://example.org/rules?a=1&b=2."
    published = alice.publish(OutgoingPost(text=text, idempotency_key="post-1"))

    seen = bob.event(room, published.remote_id)
    assert seen["sender"] == "@alice:localhost"
    assert seen["content"]["body"] == text
    assert seen["content"]["format"] == "org.matrix.custom.html"
    html = seen["content"]["formatted_body"]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; welcome!<br>" in html
    assert (
        '<a href="https://example.org/rules?a=1&amp;b=2" rel="nofollow noopener ugc">'
        "https://example.org/rules?a=1&amp;b=2</a>."
    ) in html


def test_published_post_links_to_the_message(alice: MatrixConnection, room: str) -> None:
    published = alice.publish(OutgoingPost(text="Link me", idempotency_key="post-2"))
    assert published.remote_id.startswith("$")
    assert published.url == (
        f"https://matrix.to/#/{quote(room, safe='')}/{quote(published.remote_id, safe='')}"
    )


def test_a_room_alias_is_resolved(
    synapse: RunningSynapse, alice_person: Person, bob: Person, room: str
) -> None:
    alias = str(
        alice_person.http.get(f"/rooms/{quote(room, safe='')}/aliases").json()["aliases"][0]
    )
    connection = Matrix.connect(
        synapse.users["alice"].credentials(), {"base_url": synapse.base_url, "room": alias}
    )
    published = connection.publish(OutgoingPost(text="via the alias", idempotency_key="post-3"))
    assert bob.event(room, published.remote_id)["content"]["body"] == "via the alias"


def test_a_very_long_post_still_goes_out_as_plain_text(
    alice: MatrixConnection, bob: Person, room: str
) -> None:
    text = "<b>" * 5000  # its HTML copy alone would pass the 64 KiB event limit
    published = alice.publish(OutgoingPost(text=text, idempotency_key="post-long"))
    content = bob.event(room, published.remote_id)["content"]
    assert content["body"] == text
    assert "formatted_body" not in content
