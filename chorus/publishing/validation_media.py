"""What is wrong with a variant's pictures and videos: how many, what kind, how heavy, and
whether each has a description for people who cannot see it.

Missing alt text is a *warning*, not an error: a blocking check teaches people to type "image"
to get past it, and an urgent post (an outage notice with a screenshot) must not wait on it.
The composer shows it on every picture until it is filled, which is what actually gets it written.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chorus.channels.base import Capability, Limits, Network
from chorus.publishing.models import Media
from chorus.publishing.problems import Problem


def media_problems(network: type[Network], limits: Limits, media: list[Media]) -> list[Problem]:
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
