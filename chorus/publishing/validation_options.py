"""What is wrong with what a variant is set to do beyond its words and files: a content
warning, a visibility, a poll. Each is refused on a network that has no such thing.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from chorus.channels.base import Capability, Limits, Network
from chorus.publishing.models import Media
from chorus.publishing.problems import Problem

VISIBILITIES = ("public", "unlisted", "private", "direct")
POLL_MIN_OPTIONS = 2


def option_problems(
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
