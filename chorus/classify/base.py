"""The shape of a classification and of anything that can produce one."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Literal, Protocol, runtime_checkable

Sentiment = Literal["positive", "neutral", "negative"]
Intent = Literal["question", "complaint", "praise", "purchase_intent", "other"]
SENTIMENTS: tuple[str, ...] = ("negative", "neutral", "positive")
INTENTS: tuple[str, ...] = ("question", "complaint", "praise", "purchase_intent", "other")


@dataclasses.dataclass(frozen=True)
class Classification:
    """What Chorus believes about one message.

    confidence is the probability of the chosen sentiment; toxicity and spam are scores in
    [0, 1], not decisions: moderation rules pick their own thresholds.
    """

    language: str
    sentiment: str
    confidence: float
    toxicity: float
    profanity: bool
    spam: float
    intent: str

    def as_dict(self) -> dict[str, str | float | bool]:
        return dataclasses.asdict(self)


@runtime_checkable
class Classifier(Protocol):
    def classify(self, text: str) -> Classification: ...

    def classify_many(self, texts: Sequence[str]) -> list[Classification]: ...


EMPTY_TEXT = Classification(
    language="und",
    sentiment="neutral",
    confidence=1.0,
    toxicity=0.0,
    profanity=False,
    spam=0.0,
    intent="other",
)
