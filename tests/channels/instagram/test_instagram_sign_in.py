"""The Facebook sign-in makes an Instagram channel of an account linked to a chosen Page, and
the channel then works with what the sign-in stored (Meta's side on loopback)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from chorus.channels import services as channels
from chorus.channels.models import Channel
from chorus.channels.networks.instagram.network import Instagram
from chorus.channels.networks.meta.login import FacebookLogin
from tests.channels.facebook.conftest import V
from tests.channels.meta.recordings import recorded
from tests.loopback import Loopback, Reply

IG = recorded("instagram/apidata/users/user_fields.json")


@pytest.fixture
def meta(settings, graph: Loopback) -> Loopback:  # type: ignore[no-untyped-def]
    settings.CHORUS_META_APP_ID = "app-id"
    settings.CHORUS_META_LOGIN_URL = graph.root
    accounts = recorded("facebook/apidata/users/user_accounts_p2.json")  # one Page: "DDDDDDDD"
    page_id = accounts["data"][0]["id"]
    accounts["data"][0]["instagram_business_account"] = IG
    graph.on("POST", f"{V}/oauth/access_token", Reply(200, {"access_token": "short-lived"}))
    graph.on("GET", f"{V}/oauth/access_token", Reply(200, recorded("base/long_term_token.json")))
    graph.on("GET", f"{V}/debug_token", Reply(200, recorded("base/token_info.json")))
    graph.on("GET", f"{V}/me/accounts", Reply(200, accounts))
    graph.on("POST", f"{V}/{page_id}/subscribed_apps", Reply(200, {"success": True}))
    graph.on(
        "GET",
        f"{V}/{page_id}",
        Reply(
            200, {"id": page_id, "name": "DDDDDDDD", "instagram_business_account": {"id": IG["id"]}}
        ),
    )
    graph.on("GET", f"{V}/{IG['id']}", Reply(200, IG))
    graph.on(
        "GET",
        f"{V}/me/permissions",
        Reply(200, {"data": [{"permission": "instagram_manage_comments", "status": "declined"}]}),
    )
    return graph


def test_instagram_is_connected_through_the_facebook_sign_in(
    alice_client, workspace_a, meta
) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(Instagram.oauth, FacebookLogin)
    authorize = alice_client.post("/channels/connect/instagram/")["Location"]
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    chooser = alice_client.get(f"/channels/connect/instagram/callback/?state={state}&code=c")
    assert chooser.status_code == 302, chooser.content.decode()[:300]
    page = alice_client.get(chooser["Location"]).content.decode()
    assert "@facebookfordevelopers" in page

    labels = ["DDDDDDDD", "@facebookfordevelopers"]
    answer = alice_client.post(
        chooser["Location"], {"account": [str(labels.index("@facebookfordevelopers"))]}
    )

    assert answer.status_code == 302
    channel = Channel.objects.get(workspace=workspace_a, network="instagram")
    assert (channel.remote_id, channel.handle) == (IG["id"], "facebookfordevelopers")
    # The token declined comment moderation: the inbox will offer no moderation for it.
    assert set(channel.settings["refused_verbs"]) == {"hide", "unhide", "redact"}
    with channels.connected(channel) as connection:
        assert connection.whoami().followers == 64363


def test_the_connect_grid_sends_instagram_to_the_meta_app_set_up_first(
    alice_client, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.CHORUS_META_APP_ID = ""

    assert "Needs a Meta app first" in Instagram.missing_setup()
    page = alice_client.get("/channels/connect/").content.decode()
    assert "Instagram" in page
