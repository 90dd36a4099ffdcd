"""The relations directory in and out of a spreadsheet.

Import is two steps: ``read_rows`` checks every row and says what is wrong with each (nothing
is written), the person looks at the preview, then ``import_rows`` writes the good rows in one
transaction. A row that matches someone already in the directory (same e-mail, or one of the
same handles) only fills what is empty and adds to the notes and topics: nothing stored is lost.

Columns (a header row, any order, case-insensitive): ``name`` (required), ``email``,
``website``, ``topics`` (comma-separated), ``notes``, and one column per network holding the
handle there (``mastodon``, ``bluesky``, ``x``, ``instagram``…).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.core.spreadsheet import safe_cell
from chorus.engagement.models.relations import EventKind, Relation
from chorus.engagement.relations import record
from chorus.people.models import Author, Person
from chorus.workspaces.models import Workspace

NETWORK_COLUMNS = (
    "mastodon",
    "bluesky",
    "x",
    "instagram",
    "facebook",
    "threads",
    "tiktok",
    "youtube",
    "linkedin",
    "reddit",
    "telegram",
    "matrix",
    "discord",
)
FIELDS = ("name", "email", "website", "topics", "notes")
MAX_ROWS = 5000
MAX_BYTES = 2_000_000


class ImportError_(ValueError):
    """The file as a whole cannot be read (not the errors of one row)."""


@dataclass
class ImportRow:
    line: int
    name: str = ""
    email: str = ""
    website: str = ""
    topics: str = ""
    notes: str = ""
    handles: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def read_rows(data: bytes) -> list[ImportRow]:
    """Every row of the file with its errors; raises ``ImportError_`` for an unreadable file."""
    if len(data) > MAX_BYTES:
        raise ImportError_(_("The file is larger than 2 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportError_(_("The file is not UTF-8 text.")) from error
    reader = csv.DictReader(io.StringIO(text))
    headers = [(header or "").strip().lower() for header in reader.fieldnames or []]
    if "name" not in headers:
        raise ImportError_(_("The first row must name the columns, with at least “name”."))
    unknown = [h for h in headers if h and h not in FIELDS and h not in NETWORK_COLUMNS]
    if unknown:
        raise ImportError_(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    reader.fieldnames = headers
    rows = [_checked(reader.line_num, raw) for raw in _limited(reader)]
    if not rows:
        raise ImportError_(_("The file has no rows under its header."))
    return rows


def _limited(reader: csv.DictReader[str]) -> Iterator[dict[str, str]]:
    for number, raw in enumerate(reader):
        if number >= MAX_ROWS:
            raise ImportError_(_("At most %(n)d rows per import.") % {"n": MAX_ROWS})
        yield raw


def _checked(line: int, raw: dict[str, str]) -> ImportRow:
    value = {key: (text or "").strip() for key, text in raw.items() if isinstance(key, str)}
    row = ImportRow(
        line=line,
        name=value.get("name", ""),
        email=value.get("email", ""),
        website=value.get("website", ""),
        topics=value.get("topics", ""),
        notes=value.get("notes", ""),
    )
    row.handles = {net: value[net].lstrip("@") for net in NETWORK_COLUMNS if value.get(net)}
    if not row.name:
        row.errors.append(_("The name is missing."))
    if len(row.name) > 200:
        row.errors.append(_("The name is longer than 200 characters."))
    if row.email:
        try:
            validate_email(row.email)
        except ValidationError:
            row.errors.append(_("“%(email)s” is not an e-mail address.") % {"email": row.email})
    if row.website:
        try:
            URLValidator(schemes=["http", "https"])(row.website)
        except ValidationError:
            row.errors.append(_("The website must be an http or https address."))
    if len(row.topics) > 500:
        row.errors.append(_("The topics are longer than 500 characters."))
    if any(len(handle) > 300 or " " in handle for handle in row.handles.values()):
        row.errors.append(_("A handle is longer than 300 characters or has spaces."))
    return row


@transaction.atomic
def import_rows(workspace: Workspace, rows: list[ImportRow], by: User | None) -> tuple[int, int]:
    """Write the rows without errors: (people added, people updated)."""
    added = updated = 0
    for row in rows:
        if row.errors:
            continue
        relation = _existing(workspace, row)
        if relation is None:
            person = Person.objects.create(workspace=workspace, name=row.name)
            relation = Relation.objects.create(workspace=workspace, person=person)
            added += 1
        else:
            updated += 1
        _merge(relation, row, by)
    return added, updated


def _existing(workspace: Workspace, row: ImportRow) -> Relation | None:
    match = Q(pk__in=[])
    if row.email:
        match |= Q(email__iexact=row.email)
    for network, handle in row.handles.items():
        accounts = Author.objects.filter(
            workspace=workspace, network=network, handle__iexact=handle
        )
        match |= Q(person__in=accounts.values("person"))
    return Relation.objects.filter(match, workspace=workspace).first()


def _merge(relation: Relation, row: ImportRow, by: User | None) -> None:
    relation.email = relation.email or row.email
    relation.website = relation.website or row.website
    topics = relation.topic_list
    topics += [t.strip() for t in row.topics.split(",") if t.strip() and t.strip() not in topics]
    relation.topics = ", ".join(topics)[:500]
    relation.save(update_fields=["email", "website", "topics"])
    for network, handle in row.handles.items():
        _account(relation, network, handle)
    record(relation, EventKind.IMPORTED, by, row.notes)


def _account(relation: Relation, network: str, handle: str) -> None:
    """The workspace's account with this handle joins the person; unknown ones are created
    (their id on the network is not known yet: the handle stands in for it)."""
    workspace_id = relation.workspace_id
    found = Author.objects.filter(workspace_id=workspace_id, network=network, handle__iexact=handle)
    author = found.first()
    if author is None:
        author, _created = Author.objects.get_or_create(
            workspace_id=workspace_id,
            network=network,
            remote_id=f"handle:{handle.lower()}",
            defaults={"handle": handle},
        )
    if author.person_id is None:
        Author.objects.filter(pk=author.pk).update(person=relation.person)


def export_rows(relations: list[Relation]) -> Iterator[list[str]]:
    """The directory as spreadsheet rows, the same columns the import reads (plus the stage)."""
    yield ["name", "stage", "email", "website", "topics", *NETWORK_COLUMNS]
    for relation in relations:
        handles = {account.network: account.handle for account in relation.person.accounts.all()}
        cells = [relation.person.name, relation.stage, relation.email, relation.website]
        cells += [relation.topics, *(handles.get(net, "") for net in NETWORK_COLUMNS)]
        yield [safe_cell(cell) for cell in cells]
