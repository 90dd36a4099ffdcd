"""Learning from a workspace's corrections.

When the team relabels messages ("this is a complaint, not a question"), two things move later
predictions toward their labels:

1. near-duplicates: a message whose words are almost those of a corrected one (cosine of word
   1-2-gram vectors >= NEAR_DUPLICATE_SIMILARITY) takes the team's label outright — brands get
   the same comment over and over;
2. a small per-workspace correction model: a logistic regression that starts from the base
   classifier's own probabilities (its log-probabilities are a fixed offset) and learns only
   what to add to them, from hashed word 1-2-grams and a per-label bias. Its weights are pulled
   toward zero by PRIOR_STRENGTH, so ten corrections nudge, and hundreds can overrule, a model
   trained on thousands of messages; where the team's words say nothing new, the base
   prediction stands. (The earlier design blended a separate model with a fixed weight K/(K+200),
   which lost accuracy on held-out messages: the separate model knew only K examples.)

The adapter serialises to bytes with numpy's ``.npz`` format and ``allow_pickle=False`` so a
database row can never smuggle in executable pickles.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.optimize import minimize

from .base import INTENTS, SENTIMENTS, Classification, Classifier
from .batch import MessageBatch
from .ngrams import word_ngrams

FIELD_LABELS = {"sentiment": SENTIMENTS, "intent": INTENTS}
FORMAT_VERSION = 2
NEAR_DUPLICATE_SIMILARITY = 0.85
# L2 pull of the correction weights toward zero, in units of one correction's log loss.
# Chosen on the train split only (bench/classify_eval.py --tune-adapter): see the docs.
PRIOR_STRENGTH = 16.0
HASHED_FEATURES = 2**18
# Intent has no probabilities of its own: the rules' label is taken as this likely.
RULE_CONFIDENCE = 0.8
# Kept for callers of the first design; the blend is now learnt (see the module docstring).
HALF_WEIGHT_AT = 200
BASE_PREDICTION_WEIGHT = 3.0


def hashed_features(texts: Sequence[str] | MessageBatch) -> sp.csr_matrix:
    """Word 1-2-grams (negations marked) hashed into HASHED_FEATURES columns, rows of length 1.

    Hashing, not the base model's vocabulary: a stored adapter must survive a new base model.
    """
    batch = texts if isinstance(texts, MessageBatch) else MessageBatch(texts)
    messages, hashes = word_ngrams(batch.normalised, (1, 2), negation=True)
    columns = (hashes % np.uint64(HASHED_FEATURES)).astype(np.int64)
    matrix = sp.csr_matrix(
        (np.ones(len(columns), np.float32), (messages, columns)),
        shape=(len(batch), HASHED_FEATURES),
    )
    matrix.data[:] = 1.0  # presence, not counts
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sp.diags((1 / norms).astype(np.float32)) @ matrix).tocsr()


@dataclasses.dataclass
class WorkspaceAdapter:
    field: str
    labels: tuple[str, ...]
    corrected: sp.csr_matrix  # hashed vectors of corrected messages
    corrected_labels: npt.NDArray[np.int64]  # index into labels
    coefficients: sp.csr_matrix | None  # (len(labels), HASHED_FEATURES) or None
    intercepts: npt.NDArray[np.float64] | None

    @classmethod
    def from_corrections(
        cls,
        corrections: list[tuple[str, str]],
        field: str = "sentiment",
        base: Classifier | None = None,
    ) -> WorkspaceAdapter:
        """Corrections are (message text, label chosen by the team)."""
        labels = FIELD_LABELS[field]
        texts = [text for text, _ in corrections]
        targets = np.asarray([labels.index(label) for _, label in corrections], dtype=np.int64)
        vectors = hashed_features(texts)
        adapter = cls(field, labels, vectors, targets, None, None)
        if len(set(targets.tolist())) >= 2:
            adapter._fit_correction_model(vectors, adapter._base_probabilities_of(texts, base))
        return adapter

    def _base_probabilities_of(
        self, texts: list[str], base: Classifier | None
    ) -> npt.NDArray[np.float64]:
        from . import get_classifier

        return self._base_probabilities((base or get_classifier()).classify_many(texts))

    def _fit_correction_model(self, vectors: sp.csr_matrix, base: npt.NDArray[np.float64]) -> None:
        """Weights W, b minimising log loss of softmax(log base + xW' + b) + PRIOR/2 |W, b|²."""
        used = np.unique(vectors.indices)
        design = vectors[:, used]
        offsets = np.log(np.clip(base, 1e-6, 1.0))
        weights = _fit_offset_logistic(design, offsets, self.corrected_labels, len(self.labels))
        coefficients = np.zeros((len(self.labels), HASHED_FEATURES), dtype=np.float32)
        coefficients[:, used] = weights[:, :-1]
        self.coefficients = sp.csr_matrix(coefficients)
        self.intercepts = weights[:, -1].astype(np.float64)

    @property
    def blend_weight(self) -> float:
        """How far the adapter may move a prediction, for display: grows with the corrections."""
        count = len(self.corrected_labels)
        return count / (count + PRIOR_STRENGTH)

    def _base_probabilities(
        self, classifications: Sequence[Classification]
    ) -> npt.NDArray[np.float64]:
        probabilities = np.zeros((len(classifications), len(self.labels)))
        for row, classification in enumerate(classifications):
            chosen = self.labels.index(getattr(classification, self.field))
            confidence = classification.confidence if self.field == "sentiment" else RULE_CONFIDENCE
            probabilities[row, :] = (1.0 - confidence) / (len(self.labels) - 1)
            probabilities[row, chosen] = confidence
        return probabilities

    def _adjusted_probabilities(
        self, vectors: sp.csr_matrix, base: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float64]:
        assert self.coefficients is not None and self.intercepts is not None
        scores = np.log(np.clip(base, 1e-6, 1.0)) + self.intercepts
        scores = scores + np.asarray((vectors @ self.coefficients.T).todense())
        return _softmax(scores)

    def adjust(
        self, texts: Sequence[str], classifications: Sequence[Classification]
    ) -> list[Classification]:
        """The base classifications with this workspace's field moved toward the team's labels."""
        if not texts:
            return []
        vectors = hashed_features(texts)
        probabilities = self._base_probabilities(classifications)
        if self.coefficients is not None:
            probabilities = self._adjusted_probabilities(vectors, probabilities)
        similarity = np.asarray((vectors @ self.corrected.T).todense())
        adjusted = []
        for row, classification in enumerate(classifications):
            adjusted.append(self._adjust_one(classification, probabilities[row], similarity[row]))
        return adjusted

    def _adjust_one(
        self,
        classification: Classification,
        probabilities: npt.NDArray[np.float64],
        similarity: npt.NDArray[np.float64],
    ) -> Classification:
        nearest = int(np.argmax(similarity)) if similarity.size else -1
        if nearest >= 0 and similarity[nearest] >= NEAR_DUPLICATE_SIMILARITY:
            label = self.labels[int(self.corrected_labels[nearest])]
            confidence = float(similarity[nearest])
        else:
            best = int(np.argmax(probabilities))
            label, confidence = self.labels[best], float(probabilities[best])
        if self.field == "sentiment":
            return dataclasses.replace(
                classification, sentiment=label, confidence=round(confidence, 4)
            )
        return dataclasses.replace(classification, intent=label)

    def to_bytes(self) -> bytes:
        arrays: dict[str, npt.NDArray[np.generic]] = {
            "version": np.asarray(FORMAT_VERSION),
            "field": np.asarray(self.field),
            "labels": np.asarray(self.labels),
            "corrected_labels": self.corrected_labels,
            **_sparse_arrays("corrected", self.corrected),
        }
        if self.coefficients is not None and self.intercepts is not None:
            arrays |= _sparse_arrays("coefficients", self.coefficients)
            arrays["intercepts"] = self.intercepts
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, payload: bytes) -> WorkspaceAdapter:
        """Payloads of the first format (other hashing) load as an adapter that changes nothing:
        its vectors mean nothing to this code; the next correction retrains it."""
        with np.load(io.BytesIO(payload), allow_pickle=False) as arrays:
            field = str(arrays["field"])
            labels = tuple(str(label) for label in arrays["labels"])
            if "version" not in arrays or int(arrays["version"]) != FORMAT_VERSION:
                empty = sp.csr_matrix((0, HASHED_FEATURES), dtype=np.float32)
                return cls(field, labels, empty, np.zeros(0, np.int64), None, None)
            has_model = "intercepts" in arrays
            return cls(
                field=field,
                labels=labels,
                corrected=_sparse_from(arrays, "corrected"),
                corrected_labels=arrays["corrected_labels"].astype(np.int64),
                coefficients=_sparse_from(arrays, "coefficients") if has_model else None,
                intercepts=arrays["intercepts"] if has_model else None,
            )


def _softmax(scores: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    scores = scores - scores.max(axis=1, keepdims=True)
    exponentials = np.exp(scores)
    result: npt.NDArray[np.float64] = exponentials / exponentials.sum(axis=1, keepdims=True)
    return result


def _fit_offset_logistic(
    design: sp.csr_matrix,
    offsets: npt.NDArray[np.float64],
    targets: npt.NDArray[np.int64],
    classes: int,
) -> npt.NDArray[np.float64]:
    """(classes, features + 1) weights by L-BFGS on the penalised log loss; last column (a
    per-label bias) stays 0: a bias moves every message of the workspace, and on held-out
    messages it cost more than it gave (bench --tune-adapter)."""
    rows, features = design.shape
    one_hot = np.eye(classes)[targets]

    def loss_and_gradient(flat: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        weights = flat.reshape(classes, features)
        probabilities = _softmax(offsets + np.asarray(design @ weights.T))
        chosen = probabilities[np.arange(rows), targets]
        loss = -np.log(np.clip(chosen, 1e-12, 1.0)).sum() + PRIOR_STRENGTH / 2 * (flat @ flat)
        gradient = np.asarray(design.T @ (probabilities - one_hot)).T + PRIOR_STRENGTH * weights
        return float(loss), gradient.ravel()

    found = minimize(loss_and_gradient, np.zeros(classes * features), jac=True, method="L-BFGS-B")
    weights: npt.NDArray[np.float64] = np.zeros((classes, features + 1))
    weights[:, :-1] = found.x.reshape(classes, features)
    return weights


def _sparse_arrays(name: str, matrix: sp.csr_matrix) -> dict[str, npt.NDArray[np.generic]]:
    return {
        f"{name}_data": matrix.data,
        f"{name}_indices": matrix.indices,
        f"{name}_indptr": matrix.indptr,
        f"{name}_shape": np.asarray(matrix.shape),
    }


def _sparse_from(arrays: np.lib.npyio.NpzFile, name: str) -> sp.csr_matrix:
    parts = (arrays[f"{name}_data"], arrays[f"{name}_indices"], arrays[f"{name}_indptr"])
    return sp.csr_matrix(parts, shape=tuple(arrays[f"{name}_shape"]))


class AdaptedClassifier:
    """A base classifier with one workspace's corrections applied on top."""

    def __init__(self, base: Classifier, adapters: Sequence[WorkspaceAdapter]) -> None:
        self.base = base
        self.adapters = list(adapters)

    def classify(self, text: str) -> Classification:
        return self.classify_many([text])[0]

    def classify_many(self, texts: Sequence[str]) -> list[Classification]:
        classifications = self.base.classify_many(texts)
        for adapter in self.adapters:
            classifications = adapter.adjust(texts, classifications)
        return classifications
