"""Hiding, showing again and deleting comments on a Page, and which of these the person's grant
allows (debug_token's scopes, kept at sign-in): a verb not granted is refused before any call."""

from __future__ import annotations

from urllib.parse import parse_qs

from chorus.channels import services
from chorus.channels.networks.facebook.network import Facebook
from tests.channels.facebook.conftest import PAGE_ID, V, page_body
from tests.loopback import Reply

COMMENT = "2954961744718970_2966313500250461"


def _page(scopes: list[str] | None):  # type: ignore[no-untyped-def]
    settings = (
        {"page_id": PAGE_ID} if scopes is None else {"page_id": PAGE_ID, "granted_scopes": scopes}
    )
    return Facebook.connect({"access_token": "page-token"}, settings)


def test_hide_and_show_again(graph) -> None:
    graph.on("POST", f"{V}/{COMMENT}", Reply(200, {"success": True}))
    page = _page(None)

    page.hide(COMMENT)
    page.unhide(COMMENT)

    sent = [parse_qs(r.body.decode())["is_hidden"] for r in graph.requests(f"{V}/{COMMENT}")]
    assert sent == [["true"], ["false"]]


def test_delete_someone_elses_comment(graph) -> None:
    graph.on("DELETE", f"{V}/{COMMENT}", Reply(200, {"success": True}))

    _page(None).redact(COMMENT, "spam")

    assert [r.method for r in graph.requests(f"{V}/{COMMENT}")] == ["DELETE"]


def test_rights_follow_what_the_person_granted() -> None:
    assert _page(["pages_manage_posts"]).refused_verbs() == {"hide", "unhide", "redact"}
    assert _page(["pages_manage_engagement"]).refused_verbs() == {"delete"}
    assert _page(None).refused_verbs() == frozenset()  # not known: every button, Meta explains


def test_connecting_keeps_the_refused_verbs_for_the_buttons(workspace_a, graph) -> None:
    graph.on("GET", f"{V}/{PAGE_ID}", Reply(200, page_body()))

    channel = services.connect(
        workspace_a,
        "facebook",
        {"access_token": "page-token"},
        {"page_id": PAGE_ID, "granted_scopes": ["pages_manage_posts", "pages_show_list"]},
    )

    assert channel.settings["refused_verbs"] == ["hide", "redact", "unhide"]
    assert channel.remote_id == PAGE_ID and channel.name == "AAAAAAAAA"
