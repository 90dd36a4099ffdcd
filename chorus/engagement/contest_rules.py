"""The contest's rules (règlement): a template in French or English that says what such rules
must say, filled from the contest, then edited by the team before opening."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from string import Template

from django.utils import formats
from django.utils.translation import override

from chorus.engagement.models import Contest, RandomnessSource

RULES = Path(__file__).parent / "rules"
LANGUAGES = ("en", "fr")

_WORDS = {
    "en": {
        "posts": "Answer one of the contest's posts on the Organiser's accounts",
        "hashtag": "Publish a post with the hashtag #%s",
        "keyword": "The entry must contain the word “%s”.",
        "age": "The entrant's account must be at least %d days old.",
        "hand": "Also checked by hand: %s.",
        "drand": "the first round of the drand public beacon published after the closing time",
        "secret": "a secret seed whose SHA-256 is published, revealed at the draw",
        "enter": "To enter: %s.",
        "or": " or ",
    },
    "fr": {
        "posts": "Répondre à l'une des publications du jeu sur les comptes de l'Organisateur",
        "hashtag": "Publier un message avec le mot-dièse #%s",
        "keyword": "La participation doit contenir le mot « %s ».",
        "age": "Le compte du participant doit avoir au moins %d jours.",
        "hand": "Également vérifié à la main : %s.",
        "drand": "le premier tour de la balise publique drand publié après la clôture",
        "secret": "une graine secrète dont l'empreinte SHA-256 est publiée, révélée au tirage",
        "enter": "Pour participer : %s.",
        "or": " ou ",
    },
}


def draft_rules(contest: Contest, language: str, certificate_url: str) -> str:
    """The rules filled from the contest as it stands (the team edits them afterwards)."""
    language = language if language in LANGUAGES else "en"
    words = _WORDS[language]
    template = Template((RULES / f"{language}.txt").read_text(encoding="utf-8"))
    return template.safe_substitute(
        title=contest.title,
        organiser=contest.organiser,
        opens_at=_when(contest.opens_at, language),
        closes_at=_when(contest.closes_at, language),
        how_to_enter=_how_to_enter(contest, words),
        conditions=_conditions(contest, words),
        prizes=contest.prizes,
        winners=contest.winners,
        alternates=contest.alternates,
        randomness=_randomness(contest, words),
        certificate_url=certificate_url,
    )


def _when(moment: datetime, language: str) -> str:
    with override(language):
        return str(formats.date_format(moment.astimezone(UTC), "DATETIME_FORMAT"))


def _how_to_enter(contest: Contest, words: dict[str, str]) -> str:
    ways = []
    if contest.pk and contest.posts.exists():
        ways.append(words["posts"])
    if contest.hashtag.strip():
        ways.append(words["hashtag"] % contest.hashtag.strip().lstrip("#"))
    return words["enter"] % words["or"].join(ways or [words["posts"]])


def _conditions(contest: Contest, words: dict[str, str]) -> str:
    parts = []
    if contest.keyword.strip():
        parts.append(words["keyword"] % contest.keyword.strip())
    if contest.min_account_age_days:
        parts.append(words["age"] % contest.min_account_age_days)
    if contest.hand_checks():
        parts.append(words["hand"] % "; ".join(contest.hand_checks()))
    return " ".join(parts)


def _randomness(contest: Contest, words: dict[str, str]) -> str:
    if contest.randomness_source == RandomnessSource.SECRET:
        return words["secret"]
    return words["drand"]
