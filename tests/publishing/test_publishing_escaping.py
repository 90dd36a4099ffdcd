"""Hostile text stays text on every publishing page, download and feed (invariant 3).

One workspace is filled with ``<script>`` and ``<img onerror>`` in every field a person or a
network can write: post text, a customised variant, a team comment, a media name and
description, a channel name. Each page must show it escaped; no tag or event handler from it
may reach the browser. The CSV error report must not start a cell with a formula, and the ICS
feed must escape text per RFC 5545 so a newline cannot start a new property or event.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from icalendar import Calendar
from PIL import Image

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.publishing import approvals, services
from chorus.publishing.models import Media, Post, PostComment, PostTarget, State
from chorus.workspaces.models import Membership, Role, Workspace

from .planning_fixtures import make_channel

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE = f"{SCRIPT} {IMG}"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


class _Injected(HTMLParser):
    """Collects what the browser would run: script bodies and on* handlers calling alert."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on") and "alert(1)" in (value or ""):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(1)" in data:
            self.found.append(f"<script>{data[:60]}")


def assert_escaped(html: str, *, shown: str = ESCAPED_SCRIPT) -> None:
    parser = _Injected()
    parser.feed(html)
    assert parser.found == []
    assert SCRIPT not in html and IMG not in html
    assert shown in html  # the text is there, as text: the page did not just drop it


def _when(days: int, hour: int = 10) -> datetime:
    day = (timezone.now().astimezone(PARIS) + timedelta(days=days)).date()
    return datetime.combine(day, time(hour, 0), tzinfo=PARIS)


def _png() -> ContentFile[bytes]:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(out, "PNG")
    return ContentFile(out.getvalue(), name="pixel.png")


class Hostile:
    """Everything this test file reads, built once per test."""

    def __init__(self, workspace: Workspace, alice: User, bob: User) -> None:
        self.channel = make_channel(workspace, f"Chan {HOSTILE}")
        self.other = make_channel(workspace, "Sky", "bluesky")
        self.media = Media.objects.create(
            workspace=workspace,
            file=_png(),
            name=f"{SCRIPT}.png {IMG}",
            alt_text=f"Alt {HOSTILE}",
            mime_type="image/png",
            size_bytes=100,
            width=40,
            height=30,
            uploaded_by=alice,
        )
        self.post = self._scheduled(workspace, alice)
        self.waiting = self._awaiting_approval(workspace, bob)
        self.held = self._held(workspace, alice)

    def _scheduled(self, workspace: Workspace, alice: User) -> Post:
        post = services.create_post(
            workspace, alice, HOSTILE, [self.channel, self.other], media=[self.media]
        )
        services.customise(post.targets.get(channel=self.other), f"Variant {HOSTILE}")
        approvals.add_comment(post, alice, f"Comment {HOSTILE}")
        services.schedule_post(post, _when(2))
        return post

    def _awaiting_approval(self, workspace: Workspace, bob: User) -> Post:
        Membership.objects.filter(user=bob, workspace=workspace).update(role=Role.CONTRIBUTOR)
        post = services.create_post(workspace, bob, f"Waiting {HOSTILE}", [self.channel])
        approvals.submit_for_approval(post, _when(3))
        return post

    def _held(self, workspace: Workspace, alice: User) -> Post:
        post = services.create_post(workspace, alice, f"Held {HOSTILE}", [self.channel])
        services.schedule_post(post, _when(1))
        PostTarget.objects.filter(post=post).update(held=True)
        return post


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def hostile(workspace_a: Workspace, alice: User, bob: User) -> Hostile:
    return Hostile(workspace_a, alice, bob)


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_composer_edit_page(alice_client: Client, hostile: Hostile) -> None:
    draft = services.create_post(
        hostile.post.workspace, hostile.post.author, HOSTILE, [hostile.channel, hostile.other]
    )
    services.customise(draft.targets.get(channel=hostile.other), f"Variant {HOSTILE}")
    draft.targets.first().media.set([hostile.media])  # type: ignore[union-attr]
    assert_escaped(_page(alice_client, f"/publishing/posts/{draft.pk}/edit/"))


def test_post_page(alice_client: Client, hostile: Hostile) -> None:
    html = _page(alice_client, f"/publishing/posts/{hostile.post.pk}/")
    assert_escaped(html)
    assert f"Comment {ESCAPED_SCRIPT}" in html and f"Variant {ESCAPED_SCRIPT}" in html


def test_posts_list(alice_client: Client, hostile: Hostile) -> None:
    assert_escaped(_page(alice_client, "/publishing/posts/"))


def test_calendar_month_and_week(alice_client: Client, hostile: Hostile) -> None:
    day = _when(2).date().isoformat()
    assert_escaped(_page(alice_client, f"/publishing/calendar/?date={day}"))
    assert_escaped(_page(alice_client, f"/publishing/calendar/?view=week&date={day}"))


def test_approvals(alice_client: Client, hostile: Hostile) -> None:
    html = _page(alice_client, "/publishing/approvals/")
    assert_escaped(html, shown=f"Waiting {ESCAPED_SCRIPT}")


def test_held(alice_client: Client, hostile: Hostile) -> None:
    assert_escaped(_page(alice_client, "/publishing/held/"), shown=f"Held {ESCAPED_SCRIPT}")


def test_queue_pages(alice_client: Client, hostile: Hostile) -> None:
    assert_escaped(_page(alice_client, f"/publishing/queue/{hostile.channel.pk}/"))
    assert_escaped(_page(alice_client, "/publishing/queue/"))


def test_media_library_and_detail(alice_client: Client, hostile: Hostile) -> None:
    assert_escaped(_page(alice_client, "/publishing/media/"))
    html = _page(alice_client, f"/publishing/media/{hostile.media.pk}/")
    assert_escaped(html, shown=f"Alt {ESCAPED_SCRIPT}")


def test_channel_pages(alice_client: Client, hostile: Hostile) -> None:
    assert_escaped(_page(alice_client, "/channels/"))
    assert_escaped(_page(alice_client, f"/channels/{hostile.channel.pk}/"))


def _import(client: Client, rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows([["text", "channels", "time", "media"], *rows])
    data = ContentFile(out.getvalue().encode(), name="plan.csv")
    return client.post("/publishing/import/", {"file": data}).content.decode()


def test_bulk_import_error_report_page_and_csv(alice_client: Client, hostile: Hostile) -> None:
    html = _import(
        alice_client,
        [
            [HOSTILE, IMG, "", ""],
            ['=HYPERLINK("http://evil.example","x")', "Sky", "+1+1", "@SUM(A1)"],
            ["-2+3", "Sky", "", f"{SCRIPT}.png"],
        ],
    )
    assert_escaped(html, shown="&lt;img src=x onerror=alert(1)&gt;")
    assert not Post.objects.filter(text__startswith="=HYPERLINK").exists()

    response = alice_client.get("/publishing/import/problems.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells, "the report lists the problems"
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_ics_escapes_text_and_cannot_be_split_by_newlines(
    alice_client: Client, hostile: Hostile, alice: User, workspace_a: Workspace
) -> None:
    injected = (
        "Hi; there, friends\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected\r\n"
        "UID:evil\nATTACH:http://evil.example/x"
    )
    post = services.create_post(workspace_a, alice, injected, [hostile.channel])
    services.schedule_post(post, _when(4))
    expected = PostTarget.objects.filter(
        workspace=workspace_a, state=State.SCHEDULED, post__kind="post"
    ).count()

    body = alice_client.get("/publishing/calendar.ics").content
    text = body.decode()

    events = list(Calendar.from_ical(body).walk("VEVENT"))
    assert len(events) == expected
    lines = text.split("\r\n")
    assert sum(line == "BEGIN:VEVENT" for line in lines) == expected
    assert not any("\n" in line or "\r" in line for line in lines)  # no bare CR or LF
    assert not any(line.startswith(("SUMMARY:injected", "UID:evil", "ATTACH:")) for line in lines)
    assert "Hi\\; there\\, friends" in text.replace("\r\n ", "")  # RFC 5545 §3.3.11
    described = [str(e.get("description")) for e in events]
    assert any(injected.replace("\r\n", "\n") in d or injected in d for d in described)
    assert any(str(e.get("summary")).startswith(f"Chan {HOSTILE}") for e in events)


def test_nothing_hostile_was_lost_on_the_way(hostile: Hostile) -> None:
    # The pages escape on display; what was stored is kept as the person wrote it.
    assert hostile.post.text == HOSTILE
    assert PostComment.objects.get().text == f"Comment {HOSTILE}"
    assert Channel.objects.filter(name=f"Chan {HOSTILE}").exists()
