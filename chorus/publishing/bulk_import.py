"""Planning many posts at once from a CSV file: ``text, channels, time, media``.

Every row is checked before anything is saved; one bad row and nothing is saved, so a person fixes
the file and imports it again without half a plan in the calendar. A good file is saved in one
transaction with bulk queries: a few dozen queries whether it has ten rows or thousands.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.channels.models import Channel, ChannelStatus
from chorus.core.spreadsheet import safe_cell
from chorus.publishing import services
from chorus.publishing.bulk_import_media import Downloaded, MediaRefused, download, is_url
from chorus.publishing.models import Media, PostKind, PostTarget, QueueSlot, State
from chorus.publishing.problems import Problem
from chorus.publishing.queue import NoQueueSlots
from chorus.workspaces.models import Workspace
from chorus.workspaces.permissions import Permission, can

COLUMNS = ("text", "channels", "time", "media")
REQUIRED = ("text", "channels")
TIME_FORMAT = "%Y-%m-%d %H:%M"
TEMPLATE_ROWS = [
    ["text", "channels", "time", "media"],
    [
        "Our spring collection is here! 🌸",
        "Brand on Mastodon|@brand.bsky.social",
        "2030-04-02 09:00",
        "",
    ],
    [
        "Behind the scenes of the shoot",
        "Brand on Mastodon",
        "queue",
        "https://example.org/photo.jpg",
    ],
    ["An idea to finish later", "Brand on Mastodon", "", ""],
]


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Row:
    number: int
    text: str
    channels: list[Channel] = field(default_factory=list)
    when: datetime | None = None
    queued: bool = False
    media: list[Media | Downloaded] = field(default_factory=list)


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    posts: int = 0
    targets: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # with or without the BOM spreadsheets add
    except UnicodeDecodeError as bad:
        raise ValueError(_("The file is not UTF-8 text: save it as “CSV UTF-8”.")) from bad


def read_rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """Rows as (spreadsheet row number, {column: value}); ``;`` or ``,`` is sniffed."""
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValueError(
            _("The first row must name the columns: text, channels, time, media (missing: %(m)s).")
            % {"m": ", ".join(missing)}
        )
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue  # blank lines at the end of a spreadsheet export
        cells = dict(zip(header, values, strict=False))
        rows.append((number, {c: (cells.get(c) or "").strip() for c in COLUMNS}))
    return rows


class Importer:
    """Checks a whole file for one workspace and author, then saves it all or nothing."""

    def __init__(self, workspace: Workspace, author: User) -> None:
        self.workspace = workspace
        self.author = author
        self.zone = ZoneInfo(workspace.timezone)
        self.now = timezone.now()
        self.errors: list[RowError] = []
        self.channels = self._channel_index()
        self.downloads: dict[str, Downloaded | MediaRefused] = {}

    def _channel_index(self) -> dict[str, Channel]:
        index: dict[str, Channel] = {}
        for channel in Channel.objects.of(self.workspace).select_related("workspace"):
            for key in (channel.name, channel.handle, channel.handle.lstrip("@")):
                if key:
                    index.setdefault(key.casefold(), channel)
        return index

    def error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    # Reading each cell

    def _channels(self, number: int, cell: str, scheduled: bool) -> list[Channel]:
        names = [n.strip() for n in cell.split("|") if n.strip()]
        if not names:
            self.error(number, "channels", _("Name at least one channel."))
        found: list[Channel] = []
        for name in names:
            channel = self.channels.get(name.casefold())
            if channel is None:
                self.error(number, "channels", _("Unknown channel: %(name)s.") % {"name": name})
            elif scheduled and channel.status != ChannelStatus.ACTIVE:
                self.error(
                    number,
                    "channels",
                    _("%(name)s must be reconnected before posts can be planned on it.")
                    % {"name": channel.name},
                )
            elif channel not in found:
                found.append(channel)
        return found

    def _time(self, number: int, cell: str) -> tuple[datetime | None, bool]:
        if not cell:
            return None, False
        if cell.lower() in {"queue", "file"}:
            return None, True
        try:
            wall = datetime.strptime(cell, TIME_FORMAT)
        except ValueError:
            self.error(number, "time", _("Write the time as YYYY-MM-DD HH:MM, “queue” or nothing."))
            return None, False
        when = wall.replace(tzinfo=self.zone)
        if when.astimezone(ZoneInfo("UTC")).astimezone(self.zone).replace(tzinfo=None) != wall:
            self.error(number, "time", _("This time does not exist here: the clocks change then."))
            return None, False
        if when <= self.now:
            self.error(number, "time", _("This time is already past."))
            return None, False
        return when, False

    def _media(self, number: int, cell: str, library: dict[str, Media]) -> list[Media | Downloaded]:
        found: list[Media | Downloaded] = []
        for name in (n.strip() for n in cell.split("|") if n.strip()):
            if is_url(name):
                got = self.downloads.get(name)
                if isinstance(got, MediaRefused):
                    self.error(number, "media", f"{name}: {got}")
                elif got is not None:
                    found.append(got)
            elif name.lower() in library:
                found.append(library[name.lower()])
            else:
                self.error(
                    number, "media", _("No media named %(name)s in the library.") % {"name": name}
                )
        return found

    # The whole file

    def _library(self, rows: list[tuple[int, dict[str, str]]]) -> dict[str, Media]:
        """Library items named in the file, one query, names compared without case."""
        names = {n.strip() for _n, r in rows for n in r["media"].split("|") if n.strip()}
        wanted = [n.lower() for n in names if not is_url(n)]
        library: dict[str, Media] = {}
        # Newest first, so an ambiguous name means the latest upload.
        found = (
            Media.objects.filter(workspace=self.workspace)
            .annotate(lowered=Lower("name"))
            .filter(lowered__in=wanted)
            .order_by("-created_at")
        )
        for media in found:
            library.setdefault(media.name.lower(), media)
        return library

    def _download_all(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        urls = {n.strip() for _n, r in rows for n in r["media"].split("|") if is_url(n.strip())}
        for url in sorted(urls):
            try:
                self.downloads[url] = download(url)
            except MediaRefused as refused:
                self.downloads[url] = refused

    def check(self, raw: list[tuple[int, dict[str, str]]]) -> list[Row]:
        library = self._library(raw)
        self._download_all(raw)
        rows: list[Row] = []
        seen: dict[tuple[Any, ...], int] = {}
        for number, cells in raw:
            when, queued = self._time(number, cells["time"])
            row = Row(number, cells["text"], when=when, queued=queued)
            row.channels = self._channels(number, cells["channels"], when is not None or queued)
            row.media = self._media(number, cells["media"], library)
            if not row.text and not row.media:
                self.error(number, "text", _("A post needs text or media."))
            key = (row.text, tuple(sorted(c.pk for c in row.channels)), cells["time"].lower())
            if key in seen:
                self.error(number, "text", _("Same post as row %(row)d.") % {"row": seen[key]})
            seen.setdefault(key, number)
            rows.append(row)
        self._check_queues(rows)
        self._check_already_planned(rows)
        self._check_networks(rows)
        return rows

    def _check_queues(self, rows: list[Row]) -> None:
        with_slots = set(
            QueueSlot.objects.filter(workspace=self.workspace).values_list("channel_id", flat=True)
        )
        for row in (r for r in rows if r.queued):
            for channel in row.channels:
                if channel.pk not in with_slots:
                    self.error(row.number, "time", str(NoQueueSlots(channel)))

    def _check_already_planned(self, rows: list[Row]) -> None:
        """Importing the same file twice would plan every post twice: refuse what is planned."""
        times = {r.when for r in rows if r.when is not None}
        if not times:
            return
        planned = set(
            PostTarget.objects.filter(
                workspace=self.workspace, scheduled_at__in=times, post__kind=PostKind.POST
            )
            .exclude(state__in=(State.DRAFT, State.DELETED))  # out of the plan: not planned
            .values_list("channel_id", "scheduled_at", "post__text")
        )
        for row in rows:
            if any((c.pk, row.when, row.text) in planned for c in row.channels):
                self.error(row.number, "text", _("This post is already planned at this time."))

    def _check_networks(self, rows: list[Row]) -> None:
        problems_for = _problems_for()
        if problems_for is None:
            return
        already_wrong = {e.row for e in self.errors}
        # A row already wrong gets its own message, not the same one again from each network.
        for row in (r for r in rows if r.number not in already_wrong):
            for channel in row.channels:
                media = [m.as_media() if isinstance(m, Downloaded) else m for m in row.media]
                for problem in problems_for(channel, row.text, media, {}):
                    if getattr(problem, "severity", "error") == "error":
                        self.error(
                            row.number,
                            _column_of(str(getattr(problem, "code", ""))),
                            f"{channel.name}: {problem.message}",
                        )

    def save(self, rows: list[Row]) -> ImportResult:
        from chorus.publishing.bulk_import_save import save_or_clean_up

        posts, targets = save_or_clean_up(self.workspace, self.author, rows)
        return ImportResult(posts=posts, targets=targets)


def _problems_for() -> Callable[..., list[Problem]] | None:
    """The composer's per-network checks, imported lazily: the import works before they land."""
    try:
        from chorus.publishing.validation import problems_for
    except ImportError:
        return None
    return problems_for


def _column_of(code: str) -> str:
    return "media" if "media" in code or "alt" in code else "text"


def import_csv(workspace: Workspace, author: User, data: bytes) -> ImportResult:
    """Check the whole file, then save it all, or nothing with the list of what to fix."""
    if not can(services.membership_of(author, workspace), Permission.COMPOSE):
        raise services.PublishingRuleBroken(_("You cannot write posts in this workspace."))
    try:
        raw = read_rows(data)
    except ValueError as unreadable:
        return ImportResult(errors=[RowError(1, "", str(unreadable))])
    if not raw:
        return ImportResult(errors=[RowError(1, "", _("The file has no post in it."))])
    importer = Importer(workspace, author)
    rows = importer.check(raw)
    if importer.errors:
        return ImportResult(errors=sorted(importer.errors, key=lambda e: e.row))
    try:
        return importer.save(rows)
    except NoQueueSlots as full:
        return ImportResult(errors=[RowError(1, "time", str(full))])


def errors_csv(errors: Iterable[RowError]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("row"), _("column"), _("problem")])
    for error in errors:
        writer.writerow([error.row, safe_cell(error.column), safe_cell(error.message)])
    return out.getvalue()


def template_csv() -> str:
    out = io.StringIO()
    csv.writer(out).writerows(TEMPLATE_ROWS)
    return out.getvalue()
