"""Words behind a spike: a plain tokenizer, English and French stop-words, and the terms a
window's mentions use far more than the query's usual mentions do."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_LINK = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_WORD = re.compile(r"[#@]?\w[\w'’-]*\w|[#@]?\w{3,}", re.UNICODE)
_ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)

STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could did do does doing don't down
    during each even ever every few for from further get got had has have having he her here hers
    herself him himself his how i i'm if in into is isn't it it's its itself just let's like me
    more most much my myself new no nor not now of off on once one only or other our ours out over
    own really same she should so some such than that that's the their theirs them then there
    these they this those through to too under until up us very was wasn't we were what when where
    which while who whom why will with won't would you your yours yourself still via rt amp
    au aux avec ce ces cet cette dans de des du elle elles en encore est et été être eux il ils
    je la le les leur leurs lui ma mais me même mes moi mon ne nos notre nous on ou où par pas
    plus pour qu que qui sa se ses si son sont sur ta te tes toi ton tous tout toute toutes très
    tu un une vos votre vous ça ai as avons avez ont était fait faire comme sans aussi donc alors
    bien peu quand chez entre après avant déjà ici là non oui rien tres
    """.split()
)


# How much more often than usual a word must appear in the window to be named.
MIN_LIFT = 1.5


def words(text: str) -> set[str]:
    """The distinct words of a text worth counting: lower case, links and stop-words left out."""
    found = set()
    for token in _WORD.findall(_LINK.sub(" ", text.lower())):
        token = _ELISION.sub("", token.strip("'’-"))
        if len(token) >= 3 and not token.isdigit() and token not in STOP_WORDS:
            found.add(token)
    return found


@dataclass(frozen=True)
class Term:
    term: str
    mentions: int  # mentions of the window that use it
    share: float  # of the window's mentions
    usual_share: float  # of the query's usual mentions

    def as_dict(self) -> dict[str, object]:
        return {
            "term": self.term,
            "mentions": self.mentions,
            "share": round(self.share, 4),
            "usual_share": round(self.usual_share, 4),
        }


def over_represented(window: Iterable[str], usual: Iterable[str], limit: int = 8) -> list[Term]:
    """Terms used by at least two of the window's mentions, ranked by how much more often they
    appear than usual. Each mention counts a word once, so one repetitive post cannot lead."""
    seen, usual_seen = _document_counts(window), _document_counts(usual)
    n_window, n_usual = seen.pop("", 0), usual_seen.pop("", 0)
    ranked = []
    for term, count in seen.items():
        if count < 2:
            continue
        share = count / n_window
        usual_share = usual_seen.get(term, 0) / n_usual if n_usual else 0.0
        # Add-one smoothing: a word never seen before ranks high, not infinitely high.
        lift = share / ((usual_seen.get(term, 0) + 1) / (n_usual + 1))
        if lift < MIN_LIFT:
            continue  # the query's own words are in every mention, spike or not
        ranked.append((lift, count, Term(term, count, share, usual_share)))
    ranked.sort(key=lambda item: (-item[0], -item[1], item[2].term))
    return [term for _, _, term in ranked[:limit]]


def _document_counts(texts: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts[""] += 1  # the number of texts, under a key no word can have
        counts.update(words(text))
    return counts
