"""Learning from a workspace's corrections.

When the team relabels messages ("this is a complaint, not a question"), two things move later
predictions toward their labels:

1. near-duplicates: a message whose character n-grams are almost those of a corrected one
   (cosine >= NEAR_DUPLICATE_SIMILARITY) takes the team's label outright — brands get the same
   comment over and over;
2. a small per-workspace logistic model over hashed n-grams and the base prediction, blended
   with the base probabilities; its weight grows with the number of corrections, because ten
   corrections should nudge, not overrule, a model trained on thousands of messages.

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
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import SGDClassifier

from .base import INTENTS, SENTIMENTS, Classification, Classifier
from .text import normalise

FIELD_LABELS = {"sentiment": SENTIMENTS, "intent": INTENTS}
NEAR_DUPLICATE_SIMILARITY = 0.85
# Blend weight of the workspace model is K / (K + HALF_WEIGHT_AT): 0.2 at 50, 0.5 at 200.
HALF_WEIGHT_AT = 200
BASE_PREDICTION_WEIGHT = 3.0
HASHED_FEATURES = 2**18

_HASHER = HashingVectorizer(
    preprocessor=normalise,
    analyzer="char_wb",
    ngram_range=(2, 4),
    n_features=HASHED_FEATURES,
    alternate_sign=False,
    dtype=np.float32,
)


def hashed_features(texts: Sequence[str]) -> sp.csr_matrix:
    return _HASHER.transform(list(texts)).tocsr()


@dataclasses.dataclass
class WorkspaceAdapter:
    field: str
    labels: tuple[str, ...]
    corrected: sp.csr_matrix  # hashed vectors of corrected messages
    corrected_labels: npt.NDArray[np.int64]  # index into labels
    coefficients: sp.csr_matrix | None  # (len(labels), features + len(labels)) or None
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
            base_labels = adapter._base_labels(texts, base)
            adapter._fit_workspace_model(vectors, base_labels, targets)
        return adapter

    def _base_labels(self, texts: list[str], base: Classifier | None) -> list[str]:
        from . import get_classifier

        return [getattr(c, self.field) for c in (base or get_classifier()).classify_many(texts)]

    def _design(self, vectors: sp.csr_matrix, base_labels: Sequence[str]) -> sp.csr_matrix:
        one_hot = np.zeros((len(base_labels), len(self.labels)), dtype=np.float32)
        for row, label in enumerate(base_labels):
            one_hot[row, self.labels.index(label)] = BASE_PREDICTION_WEIGHT
        return sp.hstack([vectors, sp.csr_matrix(one_hot)], format="csr")

    def _fit_workspace_model(
        self, vectors: sp.csr_matrix, base_labels: list[str], targets: npt.NDArray[np.int64]
    ) -> None:
        model = SGDClassifier(loss="log_loss", alpha=1e-3, max_iter=30, tol=None, random_state=0)
        model.fit(self._design(vectors, base_labels), targets)
        # Spread the learnt weights over every label, including ones the team never used.
        coefficients = np.zeros((len(self.labels), model.coef_.shape[1]), dtype=np.float32)
        intercepts = np.full(len(self.labels), -10.0)
        rows, biases = model.coef_, model.intercept_
        if len(model.classes_) == 2:
            # A binary model scores one side only; halving it either way makes softmax = sigmoid.
            rows = np.vstack([-rows / 2, rows / 2])
            biases = np.asarray([-biases[0] / 2, biases[0] / 2])
        for row, label_index in enumerate(model.classes_):
            coefficients[label_index] = rows[row]
            intercepts[label_index] = biases[row]
        self.coefficients = sp.csr_matrix(coefficients)
        self.intercepts = intercepts

    @property
    def blend_weight(self) -> float:
        count = len(self.corrected_labels)
        return count / (count + HALF_WEIGHT_AT)

    def _base_probabilities(
        self, classifications: Sequence[Classification]
    ) -> npt.NDArray[np.float64]:
        probabilities = np.zeros((len(classifications), len(self.labels)))
        for row, classification in enumerate(classifications):
            chosen = self.labels.index(getattr(classification, self.field))
            confidence = classification.confidence if self.field == "sentiment" else 0.8
            probabilities[row, :] = (1.0 - confidence) / (len(self.labels) - 1)
            probabilities[row, chosen] = confidence
        return probabilities

    def _workspace_probabilities(
        self, vectors: sp.csr_matrix, classifications: Sequence[Classification]
    ) -> npt.NDArray[np.float64]:
        assert self.coefficients is not None and self.intercepts is not None
        base_labels = [getattr(c, self.field) for c in classifications]
        scores = self._design(vectors, base_labels) @ self.coefficients.T
        scores = np.asarray(scores.todense()) + self.intercepts
        scores -= scores.max(axis=1, keepdims=True)
        exponentials = np.exp(scores)
        return np.asarray(exponentials / exponentials.sum(axis=1, keepdims=True))

    def adjust(
        self, texts: Sequence[str], classifications: Sequence[Classification]
    ) -> list[Classification]:
        """The base classifications with this workspace's field moved toward the team's labels."""
        if not texts:
            return []
        vectors = hashed_features(texts)
        probabilities = self._base_probabilities(classifications)
        if self.coefficients is not None:
            weight = self.blend_weight
            workspace = self._workspace_probabilities(vectors, classifications)
            probabilities = (1 - weight) * probabilities + weight * workspace
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
        with np.load(io.BytesIO(payload), allow_pickle=False) as arrays:
            has_model = "intercepts" in arrays
            return cls(
                field=str(arrays["field"]),
                labels=tuple(str(label) for label in arrays["labels"]),
                corrected=_sparse_from(arrays, "corrected"),
                corrected_labels=arrays["corrected_labels"].astype(np.int64),
                coefficients=_sparse_from(arrays, "coefficients") if has_model else None,
                intercepts=arrays["intercepts"] if has_model else None,
            )


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
