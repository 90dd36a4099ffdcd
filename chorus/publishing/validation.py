"""What is wrong with a variant, said once for the composer, the CSV import and the API.

``problems_for`` never touches the database or the network: it takes what the person wrote and
the channel's network description, so the live preview, a full POST and an API call agree. It
checks the words here (length, thread, first comment) and hands pictures and videos to
:mod:`.validation_media`, and content warnings, visibility and polls to
:mod:`.validation_options`. What a problem is lives in :mod:`.problems`.

A variant's parts: ``text`` is its first (or only) post; ``options["thread"]`` lists the posts
that follow it in a thread and ``options["first_comment"]`` the comment posted under it. Problem
``part`` numbers count from 1 in that thread (None when the problem is not about one part).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, replace
from typing import Any

from django.utils.translation import gettext as _

from chorus.channels.base import Capability, Limits, Network
from chorus.channels.models import Channel
from chorus.channels.registry import UnknownNetwork, get_network
from chorus.publishing.models import Media
from chorus.publishing.problems import Problem
from chorus.publishing.validation_media import media_problems
from chorus.publishing.validation_options import option_problems


def thread_of(text: str, options: dict[str, Any]) -> list[str]:
    """Every post of the variant in order: the text, then the thread parts that follow it."""
    following = [str(part) for part in options.get("thread") or [] if str(part).strip()]
    return [text, *following]


def offers_first_comment(network: type[Network]) -> bool:
    # A first comment is a reply to our own post, so any network that answers posts can do it.
    return network.can(Capability.FIRST_COMMENT) or network.can(Capability.REPLY)


def problems_for(
    channel: Channel, text: str, media: Sequence[Media], options: dict[str, Any]
) -> list[Problem]:
    """Everything that would stop (errors) or weaken (warnings) this variant on this channel."""
    try:
        network = get_network(channel.network)
    except (UnknownNetwork, ImportError):
        return [Problem("unknown_network", _("Chorus cannot publish to this network."))]
    options = options or {}
    limits = limits_of(channel, network)
    problems: list[Problem] = []
    if not text.strip() and not media:
        problems.append(Problem("empty", _("Write something or add a picture.")))
    problems += _length_problems(network, limits, text, options, bool(media))
    problems += [Problem(code, message) for code, message in network.text_problems(text)]
    problems += media_problems(network, limits, list(media))
    problems += option_problems(network, limits, options, list(media))
    return problems


def limits_of(channel: Channel, network: type[Network]) -> Limits:
    """The channel's own limits when its server told them at connection (a Mastodon instance
    may take 5,000 characters), else the network's defaults. A stored value that does not read
    as the right kind is ignored rather than trusted: the defaults are the safer guess."""
    stored = (channel.settings or {}).get("limits")
    if not isinstance(stored, dict):
        return network.limits
    defaults = network.limits
    values: dict[str, Any] = {}
    for field in fields(Limits):
        if field.name == "count_mode" or field.name not in stored:
            continue  # how text is counted belongs to the network, not to one server
        try:
            values[field.name] = _as_kind_of(getattr(defaults, field.name), stored[field.name])
        except (TypeError, ValueError):
            continue
    return replace(defaults, **values)


def _as_kind_of(default: Any, value: Any) -> Any:
    if isinstance(default, bool):
        return bool(value)
    if isinstance(default, tuple):
        return tuple(str(item) for item in value)
    if value is None:
        return None if default is None else default
    return int(value)


# -- length --------------------------------------------------------------------------------------


def _length_problems(
    network: type[Network], limits: Limits, text: str, options: dict[str, Any], has_media: bool
) -> list[Problem]:
    parts = thread_of(text, options)
    problems: list[Problem] = []
    if len(parts) > 1 and not network.can(Capability.THREAD):
        problems.append(
            Problem(
                "thread_not_supported",
                _("%(network)s cannot publish a thread: keep one post.")
                % {"network": network.label},
            )
        )
    for number, part in enumerate(parts, start=1):
        # Mastodon counts the content warning with the text of the first post.
        warning = str(options.get("content_warning") or "") if number == 1 else ""
        used = network.count_text(part) + (network.count_text(warning) if warning else 0)
        # The pictures go with the first post, whose text is then a caption (Telegram: 1,024).
        if number == 1 and has_media and limits.max_caption_chars is not None:
            if used > limits.max_caption_chars:
                problems.append(_caption_too_long(network, limits, used))
        elif used > limits.max_chars:
            where = number if len(parts) > 1 else None
            problems.append(_too_long("too_long", network, limits, used, where))
    comment = str(options.get("first_comment") or "")
    if comment.strip():
        if not offers_first_comment(network):
            problems.append(
                Problem(
                    "first_comment_not_supported",
                    _("%(network)s has no replies: remove the first comment.")
                    % {"network": network.label},
                )
            )
        elif (used := network.count_text(comment)) > limits.max_chars:
            problems.append(_too_long("first_comment_too_long", network, limits, used, None))
    return problems


def _caption_too_long(network: type[Network], limits: Limits, used: int) -> Problem:
    limit = limits.max_caption_chars or 0
    values = {"used": used, "network": network.label, "limit": limit, "over": used - limit}
    message = _(
        "%(used)d characters, %(network)s takes %(limit)d with a picture or a video (the text is "
        "then a caption): cut %(over)d, or publish the text on its own."
    )
    return Problem("caption_too_long", message % values)


def _too_long(
    code: str, network: type[Network], limits: Limits, used: int, part: int | None
) -> Problem:
    limit = limits.max_chars
    values = {"used": used, "network": network.label, "limit": limit, "over": used - limit}
    if code == "first_comment_too_long":
        message = _(
            "First comment: %(used)d characters, %(network)s takes %(limit)d: cut %(over)d."
        )
    elif part is not None:
        values["part"] = part
        message = _(
            "Post %(part)d of the thread: %(used)d characters, %(network)s takes %(limit)d: "
            "cut %(over)d."
        )
    else:
        message = _("%(used)d characters, %(network)s takes %(limit)d: cut %(over)d.")
    return Problem(code, message % values, "error", part)
