"""What is wrong with a variant, said once for the composer, the CSV import and the API.

``problems_for`` never touches the database or the network: it takes what the person wrote and
the channel's network description, so the live preview, a full POST and an API call agree.

A variant's parts: ``text`` is its first (or only) post; ``options["thread"]`` lists the posts
that follow it in a thread and ``options["first_comment"]`` the comment posted under it. Problem
``part`` numbers count from 1 in that thread (None when the problem is not about one part).

Missing alt text is a *warning*, not an error: a blocking check teaches people to type "image"
to get past it, and an urgent post (an outage notice with a screenshot) must not wait on it.
The composer shows it on every picture until it is filled, which is what actually gets it written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

import regex
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chorus.channels.base import Capability, Limits, Network
from chorus.channels.models import Channel
from chorus.channels.registry import UnknownNetwork, get_network
from chorus.publishing.models import Media

Severity = Literal["error", "warning"]
VISIBILITIES = ("public", "unlisted", "private", "direct")
POLL_MIN_OPTIONS = 2


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    severity: Severity = "error"
    part: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


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
    problems += _media_problems(network, limits, list(media))
    problems += _option_problems(network, limits, options, list(media))
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


def has_errors(problems: Sequence[Problem]) -> bool:
    return any(problem.is_error for problem in problems)


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


# -- media ---------------------------------------------------------------------------------------


def _media_problems(network: type[Network], limits: Limits, media: list[Media]) -> list[Problem]:
    label = network.label
    if limits.requires_media and not media:
        return [
            Problem(
                "media_required", _("%(network)s needs a picture or a video.") % {"network": label}
            )
        ]
    if not media:
        return []
    if not network.can(Capability.MEDIA) or limits.max_media == 0:
        return [
            Problem(
                "media_not_supported",
                _("%(network)s takes no pictures or videos here.") % {"network": label},
            )
        ]
    problems: list[Problem] = []
    if len(media) > limits.max_media:
        problems.append(_too_many_media(label, len(media), limits.max_media))
    for item in media:
        problems += _one_media_problems(network, limits, item)
    return problems


def _too_many_media(label: str, count: int, limit: int) -> Problem:
    message = ngettext(
        "%(count)d files, %(network)s takes %(limit)d: remove %(over)d.",
        "%(count)d files, %(network)s takes %(limit)d: remove %(over)d.",
        count,
    ) % {"count": count, "network": label, "limit": limit, "over": count - limit}
    return Problem("too_many_media", message)


def _one_media_problems(network: type[Network], limits: Limits, item: Media) -> list[Problem]:
    values = {"name": item.name or _("a file"), "network": network.label}
    is_video = item.mime_type.startswith("video/")
    if is_video and (not network.can(Capability.VIDEO) or item.mime_type not in limits.video_types):
        return [
            Problem(
                "video_not_supported", _("%(name)s: %(network)s does not take this video.") % values
            )
        ]
    if not is_video and item.mime_type not in limits.image_types:
        return [
            Problem(
                "media_type", _("%(name)s: %(network)s does not take this kind of file.") % values
            )
        ]
    problems: list[Problem] = []
    biggest = limits.max_video_bytes if is_video else limits.max_image_bytes
    if biggest and item.size_bytes > biggest:
        values |= {"size": _megabytes(item.size_bytes), "limit": _megabytes(biggest)}
        problems.append(
            Problem(
                "media_too_big",
                _("%(name)s weighs %(size)s, %(network)s takes %(limit)s.") % values,
            )
        )
    problems += _alt_text_problems(network, limits, item, values)
    return problems


def _alt_text_problems(
    network: type[Network], limits: Limits, item: Media, values: dict[str, Any]
) -> list[Problem]:
    if not network.can(Capability.ALT_TEXT):
        return []
    alt = item.alt_text.strip()
    if not alt:
        return [
            Problem(
                "alt_text_missing",
                _("%(name)s has no description for people who cannot see it.") % values,
                "warning",
            )
        ]
    if len(alt) > limits.max_alt_text:
        values |= {"used": len(alt), "limit": limits.max_alt_text}
        return [
            Problem(
                "alt_text_too_long",
                _("%(name)s: description of %(used)d characters, %(network)s takes %(limit)d.")
                % values,
            )
        ]
    return []


def _megabytes(size: int) -> str:
    return _("%(size).1f MB") % {"size": size / 1_000_000}


# -- options -------------------------------------------------------------------------------------


def _option_problems(
    network: type[Network], limits: Limits, options: dict[str, Any], media: list[Media]
) -> list[Problem]:
    problems: list[Problem] = []
    label = {"network": network.label}
    if options.get("content_warning") and not network.can(Capability.CONTENT_WARNING):
        problems.append(
            Problem(
                "content_warning_not_supported", _("%(network)s has no content warnings.") % label
            )
        )
    visibility = options.get("visibility")
    if visibility and not network.can(Capability.VISIBILITY):
        problems.append(
            Problem("visibility_not_supported", _("%(network)s has no visibility setting.") % label)
        )
    elif visibility and visibility not in VISIBILITIES:
        problems.append(
            Problem(
                "visibility_unknown",
                _("Choose public, unlisted, followers only or mentioned people only."),
            )
        )
    if options.get("poll"):
        problems += _poll_problems(network, limits, options["poll"], media)
    return problems


def _poll_problems(
    network: type[Network], limits: Limits, poll: Any, media: list[Media]
) -> list[Problem]:
    label = network.label
    if not network.can(Capability.POLL):
        return [Problem("poll_not_supported", _("%(network)s has no polls.") % {"network": label})]
    choices = [
        str(c).strip() for c in (poll.get("options") if isinstance(poll, dict) else None) or []
    ]
    problems: list[Problem] = []
    if any(not choice for choice in choices):
        problems.append(Problem("poll_empty_option", _("A poll choice is empty.")))
    filled = [c for c in choices if c]
    limit = limits.poll_max_options
    if len(filled) < POLL_MIN_OPTIONS:
        problems.append(Problem("poll_too_few", _("A poll needs at least two choices.")))
    elif limit and len(filled) > limit:
        problems.append(
            Problem(
                "poll_too_many",
                _("%(count)d choices, %(network)s takes %(limit)d.")
                % {"count": len(filled), "network": label, "limit": limit},
            )
        )
    if media:
        # Mastodon refuses a post with both ("Cannot attach files to a poll").
        problems.append(
            Problem(
                "poll_with_media",
                _("A post with a poll cannot have pictures on %(network)s.") % {"network": label},
            )
        )
    return problems


# -- threads -------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…。！？]['\")»”]*\s*$|\n\s*$")


def split_thread(text: str, limit_counter: Callable[[str], int], max_chars: int) -> list[str]:
    """Cut ``text`` into numbered posts ("1/3 …") that each fit ``max_chars`` counted the
    network's way, breaking after a sentence where one ends late enough, else between words.

    Text that already fits comes back whole and unnumbered.
    """
    text = text.strip()
    if limit_counter(text) <= max_chars:
        return [text]
    tokens = re.findall(r"\S+\s*", text)
    total = 9
    while True:
        # The numbering takes room in every part: reserve the widest "n/n " and, when more parts
        # came out than that width allows (10 or more), reserve again and cut again.
        parts = _pack(tokens, limit_counter, max_chars, f"{total}/{total} ")
        if len(str(len(parts))) <= len(str(total)):
            break
        total = 10 ** len(str(len(parts))) - 1
    count = len(parts)
    return [f"{number}/{count} {part}" for number, part in enumerate(parts, start=1)]


def _pack(
    tokens: list[str], counter: Callable[[str], int], max_chars: int, widest_prefix: str
) -> list[str]:
    def fits(candidate: str) -> bool:
        return counter(widest_prefix + candidate.strip()) <= max_chars

    parts: list[str] = []
    current: list[str] = []
    for token in _break_long_words(tokens, fits):
        if fits("".join([*current, token])):
            current.append(token)
            continue
        keep = _last_sentence_end(current)
        parts.append("".join(current[:keep]).strip())
        current = [*current[keep:], token]
    if current:
        parts.append("".join(current).strip())
    return [part for part in parts if part]


def _last_sentence_end(current: list[str]) -> int:
    """Where to cut ``current``: after its last sentence if that keeps at least half of it."""
    for index in range(len(current) - 1, len(current) // 2 - 1, -1):
        if _SENTENCE_END.search(current[index]):
            return index + 1
    return len(current)


def _break_long_words(tokens: list[str], fits: Callable[[str], bool]) -> list[str]:
    """A word longer than a whole post (a long link, text without spaces) is cut by graphemes."""
    pieces: list[str] = []
    for token in tokens:
        if fits(token):
            pieces.append(token)
            continue
        chunk = ""
        for grapheme in regex.findall(r"\X", token):
            if chunk and not fits(chunk + grapheme):
                pieces.append(chunk)
                chunk = ""
            chunk += grapheme
        pieces.append(chunk)
    return pieces
