"""One Facebook sign-in (Facebook Login for Business, the one OAuth flow) with Meta's side on
loopback: the code traded, the long-lived token, debug_token, the Pages and their Instagram
accounts offered, the chosen ones connected and subscribed to the app's webhooks."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from chorus.channels.models import Channel
from tests.channels.facebook.conftest import V, page_body
from tests.channels.meta.recordings import recorded
from tests.loopback import Loopback, Reply

START = "/channels/connect/facebook/"


def _meta_answers(graph: Loopback, accounts_p1: object | None = None) -> None:
    graph.on("POST", f"{V}/oauth/access_token", Reply(200, {"access_token": "short-lived"}))
    graph.on("GET", f"{V}/oauth/access_token", Reply(200, recorded("base/long_term_token.json")))
    graph.on("GET", f"{V}/debug_token", Reply(200, recorded("base/token_info.json")))
    graph.on(
        "GET",
        f"{V}/me/accounts",
        Reply(200, accounts_p1 or recorded("facebook/apidata/users/user_accounts_p1.json")),
        Reply(200, recorded("facebook/apidata/users/user_accounts_p2.json")),
    )
    for page_id in ("123", "1234"):
        graph.on("GET", f"{V}/{page_id}", Reply(200, page_body(page_id)))
        graph.on("POST", f"{V}/{page_id}/subscribed_apps", Reply(200, {"success": True}))


def _signed_in(client, graph: Loopback) -> str:  # type: ignore[no-untyped-def]
    authorize = client.post(START)["Location"]
    assert authorize.startswith(f"{graph.root}/v24.0/dialog/oauth?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
    assert query["client_id"] == "app-id" and query["code_challenge_method"] == "S256"
    assert "pages_manage_posts" in query["scope"] and "instagram_basic" in query["scope"]
    answer = client.get(f"{START}callback/?state={query['state']}&code=the-code")
    assert answer.status_code == 302, answer.content.decode()[:500]
    return str(answer["Location"])


def test_one_sign_in_offers_every_page_and_connects_the_chosen(
    alice_client, workspace_a, graph
) -> None:
    _meta_answers(graph)
    chooser = _signed_in(alice_client, graph)

    page = alice_client.get(chooser).content.decode()
    for name in ("AAAAAAAAA", "BBBBBBBB", "CCCCCCCCC", "DDDDDDDD"):  # both pages of /me/accounts
        assert name in page
    answer = alice_client.post(chooser, {"account": ["0", "1"]})

    assert answer.status_code == 302 and answer["Location"] == "/channels/"
    channels = list(Channel.objects.filter(workspace=workspace_a).order_by("remote_id"))
    assert [(c.network, c.remote_id, c.name) for c in channels] == [
        ("facebook", "123", "AAAAAAAAA"),
        ("facebook", "1234", "BBBBBBBB"),
    ]
    # The Page token, and the long-lived user token the exchange gave (not the short one).
    assert channels[0].credentials == {"access_token": "access_token", "user_token": "token"}
    exchange = graph.requests(f"{V}/oauth/access_token")
    assert [r.method for r in exchange] == ["POST", "GET"]
    assert exchange[1].query["grant_type"] == "fb_exchange_token"
    assert exchange[1].query["fb_exchange_token"] == "short-lived"
    assert graph.requests(f"{V}/debug_token")[0].query["access_token"] == "app-id|app-secret"
    # What debug_token said is kept (not secret) for the lifecycle warnings and the rights.
    lapses = datetime.fromtimestamp(1585040349, tz=UTC).isoformat()
    assert channels[0].settings["data_access_expires_at"] == lapses
    assert "read_insights" in channels[0].settings["granted_scopes"]
    # Subscribed to the app's webhooks, each Page with its own token.
    subscribed = graph.requests(f"{V}/123/subscribed_apps")
    assert len(subscribed) == 1
    assert parse_qs(subscribed[0].body.decode())["subscribed_fields"] == ["feed,messages,mention"]
    assert subscribed[0].query["access_token"] == "access_token"
    assert subscribed[0].query["appsecret_proof"]


def test_instagram_accounts_linked_to_a_page_are_offered_as_instagram_channels(
    alice_client, graph, monkeypatch
) -> None:
    from chorus.channels.networks.meta import login
    from chorus.channels.registry import NETWORKS

    monkeypatch.setitem(NETWORKS, "instagram", "tests.channels.facebook.not_installed.Instagram")
    accounts = recorded("facebook/apidata/users/user_accounts_p1.json")
    # The recorded Instagram account (user_fields.json) as /me/accounts nests it in its Page.
    instagram = recorded("instagram/apidata/users/user_fields.json")
    accounts["data"][0]["instagram_business_account"] = instagram

    facts = login.TokenFacts(None, None, ("instagram_basic",))
    offered = login.offers_from_pages(accounts["data"], "user-token", facts)

    own = [a for a in offered if a.network == "instagram"]
    assert len(own) == 1 and len(offered) == 5
    assert own[0].label == "@facebookfordevelopers"
    assert own[0].remote_id == "17841407673135339"
    assert own[0].credentials == {
        "access_token": "access_token",
        "page_id": "123",
        "user_token": "user-token",
    }


def test_a_page_without_its_token_is_not_offered() -> None:
    from chorus.channels.networks.meta import login

    pages = recorded("facebook/apidata/users/user_accounts_p2.json")["data"]
    del pages[0]["access_token"]

    offered = login.offers_from_pages(pages, "u", login.TokenFacts(None, None, ()))

    assert [a.label for a in offered] == ["DDDDDDDD"]


def test_refused_approval_connects_nothing(alice_client, graph) -> None:
    _meta_answers(graph)
    authorize = alice_client.post(START)["Location"]
    state = parse_qs(urlsplit(authorize).query)["state"][0]

    page = alice_client.get(f"{START}callback/?state={state}&error=access_denied").content

    assert b"nothing was connected" in page
    assert not Channel.objects.exists()


def test_a_token_meta_refuses_at_the_exchange_says_so(alice_client, graph) -> None:
    _meta_answers(graph)
    graph.on("GET", f"{V}/oauth/access_token", Reply(400, recorded("error.json")))
    authorize = alice_client.post(START)["Location"]
    state = parse_qs(urlsplit(authorize).query)["state"][0]

    page = alice_client.get(f"{START}callback/?state={state}&code=c").content.decode()

    assert "did not accept the sign-in" in page
    assert not Channel.objects.exists()


@pytest.mark.parametrize("missing", ["CHORUS_META_APP_ID", "CHORUS_META_APP_SECRET"])
def test_without_a_meta_app_the_page_says_what_to_do(alice_client, settings, missing) -> None:
    setattr(settings, missing, "")

    page = alice_client.get(START).content.decode()

    assert "This Chorus has no Meta app yet" in page and "docs/networks/facebook.md" in page
    assert "Continue with Facebook" not in page


def test_bob_may_not_connect_pages(bob_client, graph) -> None:
    assert bob_client.post(START).status_code == 403
