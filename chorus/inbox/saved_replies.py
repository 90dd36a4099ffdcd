"""Saved replies: answers the team wrote once, with ``{first_name}``-style variables filled in
for each conversation before a person sends them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chorus.accounts.models import User
from chorus.inbox.models import Conversation, SavedReply
from chorus.inbox.services import must_share_workspace

VARIABLE = re.compile(r"\{([^{}\s]{1,40})\}")


@dataclass
class RenderedReply:
    text: str
    unknown: list[str] = field(default_factory=list)  # variables left as typed, to fix by hand


def reply_variables(conversation: Conversation, agent: User) -> dict[str, str]:
    author = conversation.author
    name = (author.display_name or author.handle) if author else ""
    return {
        "first_name": (name.split() or [""])[0].lstrip("@"),
        "name": name,
        "handle": f"@{author.handle.lstrip('@')}" if author and author.handle else "",
        "agent_name": agent.first_name_for_greeting,
        "brand": conversation.workspace.name,
    }


def render_saved_reply(saved: SavedReply, conversation: Conversation, agent: User) -> RenderedReply:
    """Fill ``{first_name}``-style variables by plain substitution.

    Never ``str.format``: a saved reply is typed by people and ``{x.__class__}`` would reach
    into Python objects. Unknown variables stay visible and are reported.
    """
    must_share_workspace(conversation, saved)
    values = reply_variables(conversation, agent)
    unknown: list[str] = []

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        if name not in unknown:
            unknown.append(name)
        return match.group(0)

    return RenderedReply(VARIABLE.sub(fill, saved.text), unknown)


def unknown_variables(text: str) -> list[str]:
    known = {"first_name", "name", "handle", "agent_name", "brand"}
    return sorted({name for name in VARIABLE.findall(text) if name not in known})
