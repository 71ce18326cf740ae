"""Small statistics for the report."""

from __future__ import annotations

import math
from collections.abc import Iterable


def percentile(values: Iterable[float], q: float) -> float | None:
    data = sorted(v for v in values if v is not None and not math.isnan(v))
    if not data:
        return None
    position = (len(data) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return data[low] + (data[high] - data[low]) * (position - low)


def median(values: Iterable[float]) -> float | None:
    return percentile(values, 0.5)


def p90(values: Iterable[float]) -> float | None:
    return percentile(values, 0.9)
