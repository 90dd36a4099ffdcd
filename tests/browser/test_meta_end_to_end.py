"""Facebook and Instagram end to end in a real browser, with Meta's side on loopback.

Meta's login dialog, token endpoint and Graph API are one loopback server answering with the
recorded bodies (``../shared/fixtures/facebook``). A community manager signs in with Facebook,
chooses a Page and its Instagram account, writes one post with a picture for both (seeing each
network's preview and count), publishes it (Instagram's "Meta" really fetches the picture from
Chorus's signed address), and sees the comments Meta's webhooks bring in the inbox. The webhook
is called through the real URL: a bad signature is refused and logged, a good one stored once.
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import httpx
import pytest
from PIL import Image

from chorus.channels.models import Channel
from chorus.inbox.models import Message
from chorus.publishing.models import Post, State
from tests.browser.conftest import shot, sign_in
from tests.channels.meta import webhook_support as meta
from tests.channels.meta.recordings import recorded
from tests.loopback import Heard, Loopback, Reply, serving

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

V = "/v24.0"
PAGE = "123"  # the first Page of the recorded /me/accounts
IG = "17841407673135339"  # the recorded Instagram account (user_fields.json), linked to it
TEXT = "Atelier vélo samedi 10 h : on répare, on gonfle, on repart ! 🚲 #atelier"
FB_POST = f"{PAGE}_90017"
IG_MEDIA = "17900000000000042"
ALT = "Des vélos retournés sur des pieds d'atelier"


class MetaSide:
    """What Meta answers, and what it fetched from Chorus (the picture of the Instagram post)."""

    def __init__(self, loopback: Loopback) -> None:
        self.loopback = loopback
        self.fetched: list[tuple[int, str, bytes]] = []
        self.accounts: dict[str, object] = {}

    def offer_the_pages(self) -> None:
        """``/me/accounts``, both recorded pages (the first with its Instagram account)."""
        self.loopback.on(
            "GET",
            f"{V}/me/accounts",
            Reply(200, self.accounts),
            Reply(200, recorded("facebook/apidata/users/user_accounts_p2.json")),
        )

    def authorize(self, heard: Heard) -> Reply:
        """The login dialog, agreed at once: back to Chorus with a code."""
        back = heard.query["redirect_uri"]
        query = urlencode({"state": heard.query["state"], "code": "the-code"})
        return Reply(302, b"", {"location": f"{back}?{query}"})

    def page(self, heard: Heard) -> Reply:
        if "instagram_business_account" in heard.query.get("fields", ""):
            return Reply(200, {"id": PAGE, "instagram_business_account": {"id": IG}})
        return Reply(200, {"id": PAGE, "name": "AAAAAAAAA"})

    def container(self, heard: Heard) -> Reply:
        """Meta makes the container by fetching ``image_url`` itself, as Instagram does."""
        fields = parse_qs(heard.body.decode())
        fetched = httpx.get(fields["image_url"][0])
        self.fetched.append((fetched.status_code, fetched.headers["content-type"], fetched.content))
        return Reply(200, {"id": "container-1"})


@pytest.fixture
def meta_side(settings, live_server) -> Iterator[MetaSide]:  # type: ignore[no-untyped-def]
    with serving() as loopback:
        settings.CHORUS_META_APP_ID = "app-id"
        settings.CHORUS_META_APP_SECRET = meta.APP_SECRET
        settings.CHORUS_META_WEBHOOK_VERIFY_TOKEN = meta.VERIFY_TOKEN
        settings.CHORUS_META_GRAPH_URL = loopback.root
        settings.CHORUS_META_LOGIN_URL = loopback.root
        settings.CHORUS_META_GRAPH_VERSION = "v24.0"
        settings.CHORUS_BASE_URL = live_server.url
        side = MetaSide(loopback)
        accounts = recorded("facebook/apidata/users/user_accounts_p1.json")
        accounts["data"][0]["instagram_business_account"] = recorded(
            "instagram/apidata/users/user_fields.json"
        )
        side.accounts = accounts
        on = loopback.on
        on("GET", f"{V}/dialog/oauth", side.authorize)
        on("POST", f"{V}/oauth/access_token", Reply(200, {"access_token": "short-lived"}))
        on("GET", f"{V}/oauth/access_token", Reply(200, recorded("base/long_term_token.json")))
        on("GET", f"{V}/debug_token", Reply(200, recorded("base/token_info.json")))
        side.offer_the_pages()
        on("GET", f"{V}/{PAGE}", side.page)
        on("GET", f"{V}/{IG}", Reply(200, recorded("instagram/apidata/users/user_fields.json")))
        on("POST", f"{V}/{PAGE}/subscribed_apps", Reply(200, {"success": True}))
        on("POST", f"{V}/{PAGE}/photos", Reply(200, {"id": "photo-1", "post_id": FB_POST}))
        limit = recorded("instagram/apidata/users/content_publish_limit.json")
        on("GET", f"{V}/{IG}/content_publishing_limit", Reply(200, limit))
        on("POST", f"{V}/{IG}/media", side.container)
        on("GET", f"{V}/container-1", Reply(200, {"status_code": "FINISHED", "id": "container-1"}))
        on("POST", f"{V}/{IG}/media_publish", Reply(200, {"id": IG_MEDIA}))
        yield side


def _picture(path: Path) -> Path:
    image = Image.new("RGB", (1080, 1080), (24, 119, 242))
    for x in range(0, 1080, 90):
        image.paste((255, 255, 255), (x, 480, x + 45, 600))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    path.write_bytes(buffer.getvalue())
    return path


def _to_the_chooser(page, lang: str, *, choose: bool = True) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/channels/connect/")
    card = page.locator(".network-card[href$='/instagram/']")
    # CHORUS_BASE_URL is the test server's localhost address: said before anything fails.
    warned = card.locator(".unreachable").inner_text()
    expected = "which the internet cannot reach" if lang == "en" else "que l’internet ne peut pas"
    assert expected in warned and "CHORUS_BASE_URL=http://localhost:" in warned
    shot(page, f"meta-connect-grid-{lang}")
    page.click(".network-card[href$='/facebook/']")
    page.click("button.primary")  # Continue with Facebook -> Meta's dialog -> back to Chorus
    page.wait_for_url("**/choose/**")
    page.locator(".choose-account").first.wait_for()
    if choose:  # the first time: the Page and its Instagram account only
        for box in page.locator(".choose-account input").all():
            box.uncheck()
        page.locator(".choose-account", has_text="AAAAAAAAA").locator("input").check()
        page.locator(".choose-account", has_text="@facebookfordevelopers").locator("input").check()
    shot(page, f"meta-connect-{lang}")


def _connect_page_and_instagram(page) -> tuple[Channel, Channel]:  # type: ignore[no-untyped-def]
    _to_the_chooser(page, "en")
    page.click("button.primary")
    try:
        page.wait_for_url("**/channels/")
    except Exception:
        raise AssertionError(page.url + page.inner_text("main")[:800]) from None
    facebook = Channel.objects.get(network="facebook", remote_id=PAGE)
    instagram = Channel.objects.get(network="instagram", remote_id=IG)
    return facebook, instagram


def _compose_for_both(
    page, facebook: Channel, instagram: Channel, tmp_path: Path, lang: str
) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/publishing/compose/")
    page.check(f"input[name=channels][value='{facebook.pk}']")
    page.check(f"input[name=channels][value='{instagram.pk}']")
    page.fill("#id_text", TEXT)
    page.set_input_files("#composer-uploads", str(_picture(tmp_path / "atelier.jpg")))
    page.wait_for_load_state()
    page.locator(".media-pick.chosen").wait_for()
    page.fill(".media-pick.chosen textarea", ALT)
    for channel in (facebook, instagram):
        block = page.locator(f".pv-block[data-channel='{channel.pk}']")
        block.locator(".pv-count").wait_for()
        block.locator(".pv-text", has_text="Atelier vélo").wait_for()
    page.locator(f".pv-block[data-channel='{facebook.pk}'] img[alt=\"{ALT}\"]").wait_for()
    ig_count = page.locator(f".pv-block[data-channel='{instagram.pk}'] .pv-count").inner_text()
    assert ig_count.startswith(
        f"{len(TEXT.encode('utf-16-le')) // 2} / 2"
    )  # UTF-16, as Meta counts
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    shot(page, f"meta-compose-{lang}")


def _deliver(base: str, network: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(
        f"{base}/webhooks/{network}/",
        content=body,
        headers={"content-type": "application/json", **headers},
        timeout=120,  # stored while answering here: Huey runs tasks inline in tests
    )


def _signature(body: bytes, secret: str = meta.APP_SECRET) -> dict[str, str]:
    return {"X-Hub-Signature-256": meta.signed(body, secret)["HTTP_X_HUB_SIGNATURE_256"]}


def test_connect_compose_publish_and_answer_on_facebook_and_instagram(  # type: ignore[no-untyped-def]
    page, alice, workspace_a, meta_side: MetaSide, tmp_path: Path, settings, caplog
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(page, alice)
    facebook, instagram = _connect_page_and_instagram(page)
    assert facebook.credentials["access_token"] == "access_token"
    assert instagram.credentials["page_id"] == PAGE

    _compose_for_both(page, facebook, instagram, tmp_path, "en")
    page.click(".action-buttons button[value=publish]")
    page.wait_for_url("**/publishing/posts/*/")
    post = Post.objects.get(pk=int(re.findall(r"/posts/(\d+)/", page.url)[0]))
    states = {t.channel.network: (t.state, t.remote_id, t.last_error) for t in post.targets.all()}
    assert states["facebook"][:2] == (State.PUBLISHED, FB_POST), states
    assert states["instagram"][:2] == (State.PUBLISHED, IG_MEDIA), states
    # "Meta" fetched the picture from Chorus's signed address, without signing in.
    ((status, kind, data),) = meta_side.fetched
    assert (status, kind) == (200, "image/jpeg") and data.startswith(b"\xff\xd8")
    page.reload()
    shot(page, "meta-published-en")

    # Comments arrive by webhook, through the real URL.
    ig_body = meta.delivery(
        "instagram",
        {
            "id": IG,
            "time": 1764064800,
            "changes": [
                {
                    "field": "comments",
                    "value": {
                        "id": "17811111111111111",
                        "from": {"id": "6029365617173435", "username": "lea.velo"},
                        "text": "Je viens avec ma fille, il faut réserver ?",
                        "media": {"id": IG_MEDIA, "media_product_type": "FEED"},
                    },
                }
            ],
        },
    )
    fb_body = meta.delivery(
        "page",
        {
            "id": PAGE,
            "time": 1764064800,
            "changes": [
                {
                    "field": "feed",
                    "value": {
                        "item": "comment",
                        "verb": "add",
                        "post_id": FB_POST,
                        "comment_id": "90017_55501",
                        "parent_id": FB_POST,
                        "message": "Super idée, à samedi !",
                        "created_time": int(time.time()) - 60,
                        "from": {"id": "3562418637152296", "name": "Camille Martin"},
                    },
                }
            ],
        },
    )
    with caplog.at_level(logging.WARNING):
        forged = _deliver(page.base, "instagram", ig_body, _signature(ig_body, "not-the-secret"))
    assert forged.status_code == 403
    assert "webhook delivery for instagram refused: the signature does not match" in caplog.text
    assert "il faut réserver" not in caplog.text
    assert not Message.objects.exists()
    for _ in range(2):  # Meta sends again when unsure: stored once
        assert _deliver(page.base, "instagram", ig_body, _signature(ig_body)).status_code == 200
    assert _deliver(page.base, "facebook", fb_body, _signature(fb_body)).status_code == 200
    assert Message.objects.filter(remote_id="17811111111111111").count() == 1
    comment = Message.objects.get(remote_id="17811111111111111")
    assert comment.conversation.remote_id == IG_MEDIA and comment.channel == instagram

    page.goto(page.base + "/inbox/")
    page.locator("text=il faut réserver").first.wait_for()
    page.locator("text=Super idée, à samedi").first.wait_for()
    shot(page, "meta-inbox-en")

    # The same pages in French.
    page.click(".lang-switch button:has-text('FR')")
    page.wait_for_load_state()
    meta_side.offer_the_pages()
    _to_the_chooser(page, "fr", choose=False)
    _compose_for_both(page, facebook, instagram, tmp_path, "fr")
    page.goto(page.base + "/inbox/")
    page.locator("text=il faut réserver").first.wait_for()
    shot(page, "meta-inbox-fr")
