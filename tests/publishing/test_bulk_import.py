"""CSV import: every row is checked first; a good file is saved whole, a bad one not at all."""

from __future__ import annotations

import csv
import io
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from chorus.channels.models import ChannelStatus
from chorus.publishing import bulk_import
from chorus.publishing.models import Media, Post, PostTarget, QueueSlot, State

from .planning_fixtures import make_channel

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 20), (200, 30, 60)).save(out, "PNG")
    return out.getvalue()


class _Files(BaseHTTPRequestHandler):
    routes: dict[str, tuple[str, bytes]] = {
        "/photo.png": ("image/png", _png()),
        "/fake.png": ("image/png", b"<html>not an image</html>"),
        "/page": ("text/html", b"<html></html>"),
        "/huge.png": ("image/png", b"\x89PNG" + b"0" * (21 * 1024 * 1024)),
    }

    def do_GET(self) -> None:  # noqa: N802
        found = self.routes.get(self.path)
        if found is None:
            self.send_error(404)
            return
        kind, body = found
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.end_headers()  # no Content-Length on purpose: the limit must hold while streaming
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def files() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _local(days: int, hour: int = 9) -> str:
    day = (timezone.now().astimezone(PARIS) + timedelta(days=days)).date()
    return f"{day.isoformat()} {hour:02d}:00"


def _csv(rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows([["text", "channels", "time", "media"], *rows])
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


@pytest.fixture
def channels(workspace_a):  # type: ignore[no-untyped-def]
    return make_channel(workspace_a, "Brand on Mastodon"), make_channel(
        workspace_a, "Sky", "bluesky"
    )


def _import(client: Client, data: bytes):  # type: ignore[no-untyped-def]
    return client.post("/publishing/import/", {"file": ContentFile(data, name="plan.csv")})


def test_a_good_file_plans_drafts_times_and_queue(alice_client, workspace_a, channels) -> None:
    mastodon, sky = channels
    QueueSlot.objects.create(
        workspace=workspace_a, channel=sky, weekday=2, time=datetime.min.time()
    )
    data = _csv(
        [
            ["Spring is here", "Brand on Mastodon|@sky@example.social", _local(3, 9), ""],
            ["Queued one", "sky", "queue", ""],
            ["Idea for later", "brand on mastodon", "", ""],
        ]
    )

    response = _import(alice_client, data)

    assert response.status_code == 302
    spring = Post.objects.get(text="Spring is here")
    assert {t.channel for t in spring.targets.all()} == {mastodon, sky}
    assert {t.state for t in spring.targets.all()} == {State.SCHEDULED}
    when = spring.targets.first().scheduled_at.astimezone(PARIS)
    assert f"{when:%Y-%m-%d %H:%M}" == _local(3, 9)
    queued = PostTarget.objects.get(post__text="Queued one")
    assert queued.state == State.SCHEDULED
    assert queued.scheduled_at.astimezone(PARIS).weekday() == 2
    assert PostTarget.objects.get(post__text="Idea for later").state == State.DRAFT


def test_semicolons_and_a_bom_are_understood(alice_client, channels) -> None:
    data = _csv([["Bonjour, à tous", "Sky", _local(2), ""]], delimiter=";", bom=True)
    assert _import(alice_client, data).status_code == 302
    assert Post.objects.get().text == "Bonjour, à tous"


def test_every_kind_of_bad_row_is_reported_and_nothing_is_saved(alice_client, channels) -> None:
    data = _csv(
        [
            ["Fine row", "Sky", _local(2), ""],
            ["Unknown channel", "Sky|Myspace", _local(2), ""],
            ["Past", "Sky", "2020-01-01 10:00", ""],
            ["Bad time", "Sky", "tomorrow-ish", ""],
            ["Fine row", "Sky", _local(2), ""],
            ["", "Sky", "", ""],
            ["No channel", "", "", ""],
            ["Missing media", "Sky", "", "holiday-photo"],
            ["Queue without slots", "Sky", "queue", ""],
        ]
    )

    response = _import(alice_client, data)

    assert response.status_code == 422
    assert Post.objects.count() == 0
    errors = {
        (e.row, e.column)
        for e in bulk_import.import_csv(channels[0].workspace, _alice(), data).errors
    }
    assert errors == {
        (3, "channels"),
        (4, "time"),
        (5, "time"),
        (6, "text"),
        (7, "text"),
        (8, "channels"),
        (9, "media"),
        (10, "time"),
    }
    body = response.content.decode()
    assert "Unknown channel: Myspace." in body and "Same post as row 2." in body
    assert "This time is already past." in body
    assert "Nothing was imported: 8 rows need fixing." in body


def _alice():  # type: ignore[no-untyped-def]
    from chorus.accounts.models import User

    return User.objects.get(email="alice@example.org")


def test_a_file_without_a_header_or_not_utf8_is_refused(alice_client, channels) -> None:
    no_header = _import(alice_client, b"Hello,Sky,,\n")
    latin1 = _import(alice_client, "text,channels\nCafé,Sky\n".encode("latin-1"))
    assert "must name the columns" in no_header.content.decode()
    assert "not UTF-8" in latin1.content.decode()
    assert Post.objects.count() == 0


def test_a_disconnected_channel_cannot_be_planned(alice_client, channels) -> None:
    channels[1].status = ChannelStatus.NEEDS_RECONNECT
    channels[1].save()
    response = _import(alice_client, _csv([["Hello", "Sky", _local(2), ""]]))
    assert "Sky must be reconnected" in response.content.decode()


def test_importing_the_same_file_twice_is_refused(alice_client, channels) -> None:
    data = _csv([["Only once", "Sky", _local(2), ""]])
    assert _import(alice_client, data).status_code == 302
    again = _import(alice_client, data)
    assert again.status_code == 422 and "already planned" in again.content.decode()
    assert Post.objects.count() == 1


def test_media_by_library_name_and_by_url(
    alice, alice_client, workspace_a, channels, files
) -> None:
    library = Media.objects.create(workspace=workspace_a, name="Team photo", mime_type="image/jpeg")
    data = _csv(
        [
            ["From the library", "Sky", _local(2), "team photo"],
            ["From the web", "Sky", _local(3), f"{files}/photo.png"],
            ["Same picture again", "Brand on Mastodon", _local(3), f"{files}/photo.png"],
        ]
    )

    assert _import(alice_client, data).status_code == 302

    assert list(PostTarget.objects.get(post__text="From the library").media.all()) == [library]
    downloaded = PostTarget.objects.get(post__text="From the web").media.get()
    assert (downloaded.mime_type, downloaded.width, downloaded.height) == ("image/png", 32, 20)
    assert downloaded.workspace == workspace_a and downloaded.file.read() == _png()
    assert PostTarget.objects.get(post__text="Same picture again").media.get() == downloaded


def test_bad_media_urls_are_row_errors(alice_client, channels, files) -> None:
    data = _csv(
        [
            ["Not an image", "Sky", "", f"{files}/fake.png"],
            ["A web page", "Sky", "", f"{files}/page"],
            ["Too big", "Sky", "", f"{files}/huge.png"],
            ["Gone", "Sky", "", f"{files}/missing.png"],
            ["Outside", "Sky", "", "https://example.com/a.png"],
        ]
    )
    body = _import(alice_client, data).content.decode()
    assert "not a readable image" in body
    assert "Only images (JPEG, PNG, GIF, WebP) and MP4 videos" in body
    assert "larger than 20 MB" in body
    assert "answered 404" in body
    assert "could not be downloaded" in body
    assert Post.objects.count() == 0 and Media.objects.count() == 0


def test_the_error_report_downloads_as_formula_safe_csv(alice_client, channels) -> None:
    _import(alice_client, _csv([['=HYPERLINK("http://evil")', "=cmd|Sky", "", ""]]))

    response = alice_client.get("/publishing/import/problems.csv")

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["row", "column", "problem"]
    assert rows[1][0] == "2"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert any(cell.startswith("'") or "=cmd" in cell for row in rows for cell in row)
    assert bulk_import.safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert bulk_import.safe_cell("\tx") == "'\tx"
    assert bulk_import.safe_cell("fine") == "fine"


def test_the_template_downloads_and_imports_as_is(alice_client, workspace_a) -> None:
    template = alice_client.get("/publishing/import/template.csv")
    header = template.content.decode("utf-8-sig").splitlines()[0]
    assert header == "text,channels,time,media"


def test_network_problems_block_the_import(alice_client, channels, monkeypatch) -> None:
    class Problem:
        def __init__(self, message: str, severity: str) -> None:
            self.code, self.message, self.severity, self.part = (
                "too_long",
                message,
                severity,
                "text",
            )

    def problems_for(channel, text, media, options):  # type: ignore[no-untyped-def]
        if channel.network == "bluesky" and len(text) > 300:
            return [Problem("The text is longer than 300 characters.", "error")]
        return [Problem("Consider adding an image.", "warning")]

    monkeypatch.setattr(bulk_import, "_problems_for", lambda: problems_for)
    data = _csv([["x" * 301, "Sky|Brand on Mastodon", "", ""], ["Short", "Sky", "", ""]])

    body = _import(alice_client, data).content.decode()

    assert "Sky: The text is longer than 300 characters." in body
    assert "Consider adding an image" not in body
    assert Post.objects.count() == 0


def test_the_real_network_checks_are_used_when_present(alice_client, channels) -> None:
    response = _import(alice_client, _csv([["x" * 5000, "Sky", "", ""]]))
    assert response.status_code == 422 and Post.objects.count() == 0


def test_three_thousand_rows_in_one_go_with_bulk_queries(alice, workspace_a, channels) -> None:
    for day in range(7):
        for hour in range(8, 20):
            QueueSlot.objects.create(
                workspace=workspace_a,
                channel=channels[1],
                weekday=day,
                time=datetime.min.time().replace(hour=hour),
            )
    rows = []
    for n in range(3000):
        kind = n % 3
        when = _local(2 + n // 200, 8 + n % 12) if kind == 0 else ("queue" if kind == 1 else "")
        rows.append([f"Post number {n}", "Brand on Mastodon|Sky" if kind == 0 else "Sky", when, ""])
    data = _csv(rows)

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = bulk_import.import_csv(workspace_a, alice, data)
    seconds = time.perf_counter() - started

    assert result.ok, result.errors[:3]
    assert (result.posts, result.targets) == (3000, 4000)
    assert PostTarget.objects.filter(state=State.SCHEDULED).count() == 3000
    assert PostTarget.objects.filter(state=State.DRAFT).count() == 1000
    queued = PostTarget.objects.filter(
        post__text__in=[f"Post number {n}" for n in range(1, 3000, 3)]
    )
    # One free slot each, none on a time the file itself planned on that channel.
    assert queued.values("scheduled_at").distinct().count() == 1000
    explicit = set(
        PostTarget.objects.filter(
            channel=channels[1], post__text__in=[f"Post number {n}" for n in range(0, 3000, 3)]
        ).values_list("scheduled_at", flat=True)
    )
    assert not explicit & set(queued.values_list("scheduled_at", flat=True))
    print(f"\n3000-row import: {seconds:.2f} s, {len(queries)} queries")
    reads = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) < 10  # the same handful of reads whatever the size of the file
    # Inserts go in batches (SQLite takes at most 999 values per query): far under one per row.
    assert len(queries) < 3000 / 20


def test_charlie_cannot_import_onto_workspace_a_channels(charlie_client, channels) -> None:
    response = _import(charlie_client, _csv([["Hijack", "Brand on Mastodon", "", ""]]))
    assert "Unknown channel: Brand on Mastodon." in response.content.decode()
    assert Post.objects.count() == 0
    assert charlie_client.get("/publishing/import/problems.csv")["Content-Type"].startswith(
        "text/csv"
    )
