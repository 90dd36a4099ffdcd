"""Making "confidence" mean what it says: temperature scaling, and how to check it.

A linear model's probabilities are often over- or under-confident. One temperature T, fitted on
out-of-fold predictions of the training data (never on validation), rescales them:
p' = softmax(log p / T). It changes no decision, only how sure the model says it is. The
expected calibration error (ECE) is the gap between stated confidence and accuracy, averaged
over confidence bins weighted by their size.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize_scalar

Probabilities = npt.NDArray[np.float64]
CALIBRATION_BINS = 10


def rescale(probabilities: Probabilities, temperature: float) -> Probabilities:
    logits = np.log(np.clip(probabilities, 1e-12, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    exponentials = np.exp(logits)
    result: Probabilities = exponentials / exponentials.sum(axis=1, keepdims=True)
    return result


def fit_temperature(probabilities: Probabilities, truth: npt.NDArray[np.int64]) -> float:
    """The temperature minimising the log loss of these (out-of-fold) probabilities."""

    def log_loss(temperature: float) -> float:
        chosen = rescale(probabilities, temperature)[np.arange(len(truth)), truth]
        return float(-np.log(np.clip(chosen, 1e-12, 1.0)).mean())

    found = minimize_scalar(log_loss, bounds=(0.05, 20.0), method="bounded")
    return float(found.x)


def reliability_table(
    probabilities: Probabilities, truth: npt.NDArray[np.int64], bins: int = CALIBRATION_BINS
) -> list[tuple[float, float, float, int]]:
    """(bin low edge, mean confidence, accuracy, messages) per non-empty confidence bin."""
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == truth
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    return [
        (
            float(edges[b]),
            float(confidence[which == b].mean()),
            float(correct[which == b].mean()),
            int((which == b).sum()),
        )
        for b in range(bins)
        if (which == b).any()
    ]


def expected_calibration_error(
    probabilities: Probabilities, truth: npt.NDArray[np.int64], bins: int = CALIBRATION_BINS
) -> float:
    rows = reliability_table(probabilities, truth, bins)
    total = sum(count for *_, count in rows)
    return float(sum(count * abs(conf - acc) for _, conf, acc, count in rows) / max(total, 1))


class TemperatureScaled:
    """A fitted classifier whose predict_proba is rescaled by one temperature."""

    def __init__(self, model: Any, temperature: float) -> None:
        self.model = model
        self.temperature = temperature

    @property
    def classes_(self) -> npt.NDArray[Any]:
        classes: npt.NDArray[Any] = self.model.classes_
        return classes

    def predict_proba(self, matrix: Any) -> Probabilities:
        return rescale(self.model.predict_proba(matrix), self.temperature)
