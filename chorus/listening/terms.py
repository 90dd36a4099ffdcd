"""Words of a mention worth counting: the small tokenizer behind "top terms".

Links, @handles, e-mail addresses and numbers go; hashtags keep their word; French elisions
("l'équipe", "qu'il") keep the word after the apostrophe; English and French stop-words go, and
so do words of fewer than three letters. Lower-cased, accents kept ("café" is not "cafe").
"""

from __future__ import annotations

import re

URLS = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
HANDLES = re.compile(r"(?<!\w)@[\w.-]+(?:@[\w.-]+)?")  # @name and @name@instance
EMAILS = re.compile(r"\S+@\S+\.\w+")
WORDS = re.compile(r"[^\W\d_]+(?:[-’'][^\W\d_]+)*")
ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
MIN_LENGTH = 3

STOP_WORDS_EN = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each even ever every few for from further get gets got had
    hadn't has hasn't have haven't having he her here hers herself him himself his how however i
    i'm i've if in into is isn't it it's its itself just let's like me more most much must my
    myself no nor not now of off on once one only or other ought our ours ourselves out over own
    really same she should shouldn't so some such still than that that's the their theirs them
    themselves then there there's these they they're this those through to too under until up
    us very via was wasn't we we're were weren't what what's when where which while who whom why
    will with won't would wouldn't yes yet you you're your yours yourself yourselves im ive dont
    cant thats amp new today day
    """.split()
)
STOP_WORDS_FR = frozenset(
    """
    au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les leur
    leurs lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa
    se ses son sur ta te tes toi ton tu un une vos votre vous été être avoir ai as avons avez
    ont est sont suis es était étaient sera fait faire plus moins très trop tout tous toute
    toutes bien comme aussi encore donc alors car si ni sans sous chez entre vers après avant
    depuis pendant quand comment pourquoi quoi dont cela ça ceci celui celle ceux celles y là ici
    déjà jamais toujours rien peu beaucoup autre autres quel quelle quels quelles sont non oui
    merci bonjour aujourd hui
    """.split()
)
STOP_WORDS = STOP_WORDS_EN | STOP_WORDS_FR


def terms_of(text: str) -> list[str]:
    """The countable words of ``text``, in order (repeats kept; callers decide)."""
    text = EMAILS.sub(" ", HANDLES.sub(" ", URLS.sub(" ", text)))
    found = []
    for word in WORDS.findall(text.lower()):
        word = ELISION.sub("", word).replace("’", "'")
        if len(word) >= MIN_LENGTH and word not in STOP_WORDS:
            found.append(word)
    return found
