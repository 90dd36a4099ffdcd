"""Message classification: language, sentiment, toxicity, profanity, spam and intent.

A plain Python package (no Django) so workers, the CLI and benchmarks share it. Operators can
plug their own implementation with ``CHORUS_CLASSIFIER="dotted.path.ClassName"``; the class is
built with no arguments and must follow the Classifier protocol.
"""

from __future__ import annotations

import functools
import importlib
import os

from .base import INTENTS, SENTIMENTS, Classification, Classifier

__all__ = [
    "INTENTS",
    "SENTIMENTS",
    "Classification",
    "Classifier",
    "classify",
    "get_classifier",
]

DEFAULT_CLASSIFIER = "chorus.classify.model.ChorusClassifier"
SETTING_NAME = "CHORUS_CLASSIFIER"


@functools.cache
def _build_classifier(dotted_path: str) -> Classifier:
    module_name, _, class_name = dotted_path.rpartition(".")
    if not module_name:
        raise ImportError(f"{SETTING_NAME}={dotted_path!r} is not a dotted path to a class")
    candidate = getattr(importlib.import_module(module_name), class_name)()
    if not isinstance(candidate, Classifier):
        raise TypeError(f"{dotted_path} lacks classify() and classify_many()")
    return candidate


def get_classifier() -> Classifier:
    """The process-wide classifier chosen by CHORUS_CLASSIFIER (built once per path)."""
    return _build_classifier(os.environ.get(SETTING_NAME) or DEFAULT_CLASSIFIER)


def classify(text: str) -> Classification:
    return get_classifier().classify(text)
