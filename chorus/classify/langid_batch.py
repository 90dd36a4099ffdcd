"""py3langid's model, run on a whole batch at once.

py3langid walks a byte automaton one message at a time in a Python loop (~100 µs a tweet). The
walk is the same for every message, so here it advances all messages of a batch together, one
numpy step per byte position; the naive Bayes scoring that follows is one sparse product. Results
match ``LanguageIdentifier(norm_probs=True).classify`` (same model file, same formula).
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

Ints = npt.NDArray[np.int64]

# Language needs a sentence, not a letter: longer messages are judged on their first 1,000 bytes.
MAX_BYTES = 1000


@functools.cache
def _model() -> dict[str, Any]:
    # Loading the model takes ~0.6 s: do it once per process, and only when first needed.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return {
        "next": np.asarray(identifier.tk_nextmove, dtype=np.int64),
        "row_base": np.asarray(identifier.tk_row, dtype=np.int64) << 8,
        "output": np.asarray(identifier.tk_output, dtype=np.int64),
        "ptc": identifier.nb_ptc,
        "pc": np.asarray(identifier.nb_pc, dtype=np.float32),
        "classes": list(identifier.nb_classes),
        "aliases": list(identifier._alias_pairs),
    }


def _encode(text: str) -> bytes:
    # As py3langid: an all-capitals message is read in lower case, NFC, UTF-8.
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")


def _walk(encoded: list[bytes], model: dict[str, Any]) -> tuple[Ints, Ints]:
    """(message, feature) of every feature the automaton emits, all messages advancing together."""
    lengths = np.asarray([min(len(data), MAX_BYTES) for data in encoded], dtype=np.int64)
    order = np.argsort(-lengths, kind="stable")
    width = int(lengths.max(initial=0))
    grid = np.zeros((len(encoded), width), dtype=np.int64)
    for position, row in enumerate(order.tolist()):
        data = encoded[row][:MAX_BYTES]
        grid[position, : len(data)] = np.frombuffer(data, dtype=np.uint8)
    sorted_lengths = lengths[order]
    state = np.zeros(len(encoded), dtype=np.int64)
    features = np.full((len(encoded), width), -1, dtype=np.int64)
    active_counts = np.searchsorted(-sorted_lengths, -np.arange(width), side="left")
    for column, active in enumerate(active_counts.tolist()):
        current = state[:active]
        current = model["next"][model["row_base"][current] + grid[:active, column]]
        state[:active] = current
        features[:active, column] = model["output"][current]
    rows, columns = np.nonzero(features >= 0)
    return order[rows], features[rows, columns]


def identify(texts: Sequence[str]) -> list[tuple[str, float]]:
    """(language, probability) per text, as py3langid's normalised classify()."""
    if not texts:
        return []
    model = _model()
    encoded = [_encode(text) for text in texts]
    messages, features = _walk(encoded, model)
    # Only the features this batch emitted: a dense renumbering, no sort.
    used = np.zeros(len(model["ptc"]), dtype=bool)
    used[features] = True
    renumber = np.cumsum(used) - 1
    counts = sp.csr_matrix(
        (np.ones(len(features), np.float32), (messages, renumber[features])),
        shape=(len(encoded), int(used.sum())),
    )
    counts.data = np.log1p(counts.data)  # csr construction summed the repeats
    table = np.asarray(model["ptc"][np.flatnonzero(used)], dtype=np.float32)
    scores = np.asarray(counts @ table, dtype=np.float32) + model["pc"]
    scores[np.diff(counts.indptr) == 0] = 0.0  # no feature at all: uniform, as py3langid
    temperature = np.asarray([math.sqrt(len(data) or 1) for data in encoded], dtype=np.float32)
    return _decide(scores / temperature[:, None], model)


def _decide(scores: npt.NDArray[np.float32], model: dict[str, Any]) -> list[tuple[str, float]]:
    scores = np.exp(scores - scores.max(axis=1, keepdims=True))
    scores /= scores.sum(axis=1, keepdims=True)
    for first, duplicate in model["aliases"]:
        # Script variants of one language (srl -> sr) share one label and one probability.
        scores[:, first] += scores[:, duplicate]
        scores[:, duplicate] = 0.0
    best = scores.argmax(axis=1)
    probabilities = scores[np.arange(len(best)), best]
    return [
        (str(model["classes"][index]), float(probability))
        for index, probability in zip(best.tolist(), probabilities.tolist(), strict=True)
    ]
