"""Outreach templates: a first message written once, filled in for each person.

Only three placeholders exist, {name}, {handle} and {brand}; they are replaced by plain text
substitution (never ``str.format``, which would let a template reach an object's attributes).
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.engagement.models.relations import EventKind, OutreachTemplate, Relation, Stage
from chorus.engagement.relations import move, record

PLACEHOLDERS = ("name", "handle", "brand")
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders a template uses that Chorus cannot fill (shown as a form error)."""
    return sorted({f"{{{key}}}" for key in PLACEHOLDER.findall(text) if key not in PLACEHOLDERS})


def fill(template: OutreachTemplate, relation: Relation) -> str:
    accounts = list(relation.person.accounts.all())
    handle = next((account.handle for account in accounts if account.handle), "")
    values = {
        "name": relation.person.name,
        "handle": f"@{handle}" if handle else relation.person.name,
        "brand": relation.workspace.name,
    }
    return PLACEHOLDER.sub(lambda found: values.get(found.group(1), found.group(0)), template.text)


@transaction.atomic
def record_outreach(
    relation: Relation, template: OutreachTemplate, text: str, by: User | None
) -> None:
    """The team sent it (copied into a message, an e-mail…): the history keeps what was sent,
    and a person only spotted so far is now contacted."""
    sent = _("Sent “%(template)s”:\n%(text)s") % {"template": template.name, "text": text}
    record(relation, EventKind.OUTREACH, by, sent)
    if relation.stage == Stage.SPOTTED:
        move(relation, Stage.CONTACTED, by)
