"""The whole publishing path in a real browser, as a community manager lives it: connect a
Mastodon account (the stand-in server on loopback), write a post with a picture, see the preview
and an over-limit error, schedule it, find it on the calendar, let its time come, and see it
published with a link to the status the server made."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from bench.standin_mastodon import Handler, StandInServer, Status, Store
from chorus.channels.models import Channel
from chorus.publishing import sweeper, tasks
from chorus.publishing.models import Post, PostTarget, State
from tests.browser.conftest import shot
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RIDE = "Sunday ride to Lyon: meet at 9 on the Saône quays, coffee after! #velo"
ALT = "Twelve riders on the Saône quays at sunrise"
TOO_LONG = (
    "Sunday ride to Lyon! We meet at 9 on the Saône quays, in front of the footbridge, and "
    "leave at 9:15 sharp. The loop is 62 km with two climbs, the Croix-Rousse and Fourvière, "
    "and a long flat stretch along the river where everyone regroups. Bring two bottles of "
    "water, a spare inner tube, a pump and something to eat: the café at the top of Fourvière "
    "opens at 11 and we stop there for twenty minutes. Helmets are compulsory. Beginners are "
    "very welcome: a club member rides at the back the whole way and nobody is left behind. "
    "Coffee after!"
)


# -- the stand-in Mastodon, with the media upload a post with a picture needs ---------------------


@dataclass
class Upload:
    filename: str
    mime_type: str
    data: bytes
    description: str


class MediaHandler(Handler):
    """The stand-in's handler plus ``POST /api/v2/media`` (multipart, as Mastodon takes it)."""

    server: StandInWithMedia

    def do_POST(self) -> None:  # noqa: N802
        if urlsplit(self.path).path == "/api/v2/media":
            self.receive_media()
        else:
            super().do_POST()

    def receive_media(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))  # leave it clean
        if self.account() is None:
            return
        head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
        fields: dict[str, Any] = {}
        for part in BytesParser(policy=HTTP).parsebytes(head + raw).iter_parts():
            name = part.get_param("name", header="content-disposition")
            fields[str(name)] = part
        file = fields["file"]
        media_id = str(len(self.server.uploads) + 1)
        # Form fields come as UTF-8 without a charset, as browsers and httpx send them.
        said = fields.get("description")
        description = said.get_payload(decode=True).decode() if said else ""
        self.server.uploads[media_id] = Upload(
            str(file.get_filename()),
            file.get_content_type(),
            file.get_payload(decode=True),
            description,
        )
        url = f"{self.server.root}/system/media/{media_id}.png"
        self.answer(200, {"id": media_id, "type": "image", "url": url, "description": description})

    def publish(self, account_id: str, body: dict[str, Any], *, late: bool, garbled: bool) -> None:
        self.server.status_requests.append(body)
        super().publish(account_id, body, late=late, garbled=garbled)


class SameClockStore(Store):
    """Statuses dated by Chorus's clock, so the server lives in the same moved time as Chorus."""

    def create(
        self, account_id: str, text: str, key: str, reply_to: str = ""
    ) -> tuple[Status, bool]:
        status, new = super().create(account_id, text, key, reply_to)
        if new:
            status.created_at = timezone.now()
        return status, new


class StandInWithMedia(StandInServer):
    def __init__(self) -> None:
        super().__init__()
        self.store = SameClockStore()
        self.RequestHandlerClass = MediaHandler
        self.uploads: dict[str, Upload] = {}
        self.status_requests: list[dict[str, Any]] = []


@pytest.fixture
def standin() -> Iterator[StandInWithMedia]:
    server = StandInWithMedia()
    server.oauth.account_id = "42"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


# -- steps ----------------------------------------------------------------------------------------


def _png(path: Path) -> Path:
    image = Image.new("RGB", (800, 500), (79, 70, 229))
    for x in range(0, 800, 50):
        for y in range(0, 500, 50):
            if (x + y) // 50 % 2:
                image.paste((165, 180, 252), (x, y, x + 50, y + 50))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def _sign_in(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/account/signin/")
    page.fill("#id_email", "alice@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/today/")


def _connect(page, standin: StandInWithMedia) -> Channel:  # type: ignore[no-untyped-def]
    page.click(".sidebar .nav a:has-text('Settings')")
    page.click(".tabs a:has-text('Channels')")
    page.wait_for_url("**/channels/")
    page.click("text=Connect a channel")
    page.click(".network-card[href$='/mastodon/']")
    page.fill("#id_instance", standin.root)
    page.click("button:has-text('Continue on my server')")
    page.wait_for_url(f"{standin.root}/oauth/authorize**")
    page.click("button:has-text('Authorize')")
    page.wait_for_url("**/channels/")
    assert "Stand-in 42 is connected." in page.inner_text(".flash")
    assert "Stand-in 42" in page.inner_text(".channel-table")
    shot(page, "e2e-1-connected")
    return Channel.objects.get(network="mastodon", handle="user42")


def _over_the_limit_is_refused(page, channel: Channel, standin: StandInWithMedia) -> None:  # type: ignore[no-untyped-def]
    card = page.locator(f".pv-block[data-channel='{channel.pk}']")
    page.fill("#id_text", "Sunday ride")
    card.locator(".pv-text", has_text="Sunday ride").wait_for()
    assert card.locator(".pv-count").inner_text() == "11 / 500"
    page.fill("#id_text", TOO_LONG)
    over = len(TOO_LONG) - 500
    too_long = f"{len(TOO_LONG)} characters, Mastodon takes 500: cut {over}."
    card.locator(".problem.error", has_text=too_long).wait_for()
    for button in ("schedule", "publish"):
        page.fill("#id_scheduled_at", _in_a_few_minutes()[1])
        page.click(f".action-buttons button[value={button}]")
        page.wait_for_load_state()
        assert "/publishing/compose/" in page.url
        page.locator(".form-errors").wait_for()
    assert not Post.objects.exists()
    assert standin.status_requests == []
    _tidy(page)
    shot(page, "e2e-2-composer-error")


def _tidy(page) -> None:  # type: ignore[no-untyped-def]
    """No focused field, page at the top: the sticky sidebar stays put in a full-page shot."""
    page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")


def _in_a_few_minutes() -> tuple[datetime, str]:
    """A time more than the dispatcher's lookahead ahead, so scheduling hands nothing over yet."""
    paris = timezone.now().astimezone(ZoneInfo("Europe/Paris")) + timedelta(minutes=3)
    when = paris.replace(second=0, microsecond=0)
    return when, when.strftime("%Y-%m-%dT%H:%M")


def _write_with_a_picture(page, channel: Channel, tmp_path: Path) -> datetime:  # type: ignore[no-untyped-def]
    card = page.locator(f".pv-block[data-channel='{channel.pk}']")
    page.fill("#id_text", RIDE)
    page.locator(".problem.error").first.wait_for(state="detached")  # no eval: the CSP forbids it
    page.set_input_files("#composer-uploads", str(_png(tmp_path / "ride.png")))
    page.wait_for_load_state()
    page.locator(".media-pick.chosen").wait_for()
    assert page.input_value("#id_text") == RIDE  # the upload kept what was typed
    page.fill(".media-pick.chosen textarea", ALT)
    card.locator(f"img[alt='{ALT}']").wait_for()
    assert card.locator(".pv-text", has_text="Sunday ride to Lyon").count() == 1
    assert card.locator(".pv-count").inner_text() == f"{len(RIDE)} / 500"
    when, typed = _in_a_few_minutes()
    page.fill("#id_scheduled_at", typed)
    _tidy(page)
    shot(page, "e2e-3-composer-preview")
    page.click(".action-buttons button[value=schedule]")
    page.wait_for_url("**/publishing/posts/*/")
    assert "Scheduled." in page.inner_text(".flash")
    return when


def _on_the_calendar(page, target: PostTarget, when: datetime) -> None:  # type: ignore[no-untyped-def]
    page.click(".sidebar .nav a:has-text('Calendar')")
    page.wait_for_url("**/publishing/calendar/**")
    day = when.date().isoformat()
    if not page.locator(f"td.cal-day[data-date='{day}']").count():  # the month turns in 3 minutes
        page.goto(f"{page.base}/publishing/calendar/?date={day}")
    chip = page.locator(f"td.cal-day[data-date='{day}'] .cal-chip[data-target='{target.pk}']")
    assert when.strftime("%H:%M") in chip.inner_text()
    assert "Sunday ride" in chip.inner_text()
    shot(page, "e2e-4-calendar")


@contextmanager
def _clock_at(moment: datetime) -> Iterator[None]:
    """Time passes: every ``timezone.now()`` (dispatcher, sweeper, models) says ``moment``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: moment)
        yield


def _published_page(page, post: Post, target: PostTarget) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{page.base}/publishing/posts/{post.pk}/")
    variant = page.locator(f"#variant-{target.pk}")
    assert variant.locator(".pill.state-published").inner_text() == "Published"
    link = variant.locator(f"a[href='{target.remote_url}']")
    assert "See it on the network" in link.inner_text()
    attempts = variant.locator("table.attempts tbody tr")
    assert attempts.count() == 1
    assert "Published" in attempts.inner_text()
    shot(page, "e2e-5-published")


# -- the test -------------------------------------------------------------------------------------


def test_connect_write_schedule_and_see_it_published(  # type: ignore[no-untyped-def]
    page, workspace_a, standin: StandInWithMedia, tmp_path: Path, settings, charlie, workspace_c
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    _sign_in(page)
    channel = _connect(page, standin)

    page.click(".sidebar .nav a:has-text('New post')")
    page.check(f"input[name=channels][value='{channel.pk}']")
    _over_the_limit_is_refused(page, channel, standin)
    when = _write_with_a_picture(page, channel, tmp_path)

    post = Post.objects.get(pk=int(re.findall(r"/posts/(\d+)/", page.url)[0]))
    target = post.targets.get()
    assert (target.state, target.scheduled_at) == (State.SCHEDULED, when)
    _on_the_calendar(page, target, when)

    with _clock_at(when + timedelta(seconds=5)):
        assert sweeper.dispatch_due(enqueue_batch=tasks.enqueue_batch) == 1
    target.refresh_from_db()
    assert target.state == State.PUBLISHED, target.last_error
    assert target.published_at == when + timedelta(seconds=5)
    (status,) = standin.store.statuses
    assert target.remote_url == f"{standin.root}/@user42/{status.id}"
    _published_page(page, post, target)

    # Exactly one status, carrying the picture with its description.
    assert (status.account_id, status.text) == ("42", RIDE)
    (request,) = standin.status_requests
    (upload_id,) = request["media_ids"]
    upload = standin.uploads[upload_id]
    assert (upload.mime_type, upload.description) == ("image/png", ALT)
    assert upload.data.startswith(b"\x89PNG")

    outsider = Client()
    outsider.force_login(charlie)
    assert outsider.get(f"/publishing/posts/{post.pk}/").status_code == 404
