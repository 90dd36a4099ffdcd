"""Temperature scaling makes stated confidence match accuracy and never changes a decision."""

import numpy as np

from chorus.classify.calibration import (
    expected_calibration_error,
    fit_temperature,
    rescale,
)


def overconfident_predictions() -> tuple[np.ndarray, np.ndarray]:
    # Says 95% every time, right 60% of the time.
    rows = 1000
    probabilities = np.tile([0.95, 0.03, 0.02], (rows, 1))
    truth = np.where(np.arange(rows) % 10 < 6, 0, 1)
    return probabilities, truth


def test_fitted_temperature_lowers_the_calibration_error() -> None:
    probabilities, truth = overconfident_predictions()

    temperature = fit_temperature(probabilities, truth)

    assert temperature > 1
    before = expected_calibration_error(probabilities, truth)
    after = expected_calibration_error(rescale(probabilities, temperature), truth)
    assert before > 0.3
    assert after < 0.05


def test_rescaling_keeps_the_chosen_label() -> None:
    probabilities = np.asarray([[0.5, 0.3, 0.2], [0.1, 0.2, 0.7]])

    assert (rescale(probabilities, 3.0).argmax(axis=1) == [0, 2]).all()
