"""The Poisson test behind spike alerts: how many mentions in a window are too many to be chance.

Mentions of a query arrive like independent events at a rate that depends on the hour of the
week, so the count in a 15-minute window is close to Poisson(λ), λ being the expected count for
that window. A count ``c`` is a spike when P(X ≥ c | λ) < α. Computed in log space, so a
baseline of thousands of mentions per window neither underflows nor overflows.
"""

from __future__ import annotations

import math
from functools import lru_cache

# One chance in a million for a steady query to cross by luck in a given window: a query
# evaluated on every batch for a year stays well clear of false alerts.
ALPHA = 1e-6
# A query that is usually silent still needs this expected count, or one mention would alert.
LAMBDA_FLOOR = 1.0


def _pmf(k: int, lam: float) -> float:
    return math.exp(-lam + k * math.log(lam) - math.lgamma(k + 1))


def _sum_from(k: int, lam: float, step: int) -> float:
    """The pmf summed from k outwards (step +1 up the tail, -1 down to 0), until terms vanish."""
    total = 0.0
    while k >= 0:
        term = _pmf(k, lam)
        total += term
        if term < total * 1e-17:
            break
        k += step
    return total


def tail_probability(count: int, lam: float) -> float:
    """P(X ≥ count) for X ~ Poisson(lam); each side is summed where its terms shrink."""
    lam = max(lam, LAMBDA_FLOOR)
    if count <= 0:
        return 1.0
    if count > lam:
        return min(1.0, _sum_from(count, lam, +1))
    return max(0.0, 1.0 - _sum_from(count - 1, lam, -1))


@lru_cache(maxsize=4096)
def _threshold(lam_rounded: float, alpha: float) -> int:
    lam = max(lam_rounded, LAMBDA_FLOOR)
    # Start where the tail is still far above any α we use (about 3 standard deviations up).
    count = max(1, math.floor(lam + (3 * math.sqrt(lam) if alpha < 1e-3 else 0)))
    while tail_probability(count, lam) >= alpha:
        count += 1
    return count


def spike_threshold(lam: float, alpha: float = ALPHA) -> int:
    """The smallest count c with P(X ≥ c | λ) < α: from this count on, the window is a spike."""
    return _threshold(round(max(lam, LAMBDA_FLOOR), 2), alpha)
