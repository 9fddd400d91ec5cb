"""Confidence bands: how far a reader can trust a finding, in one word.

A finding is **strong** when its calibrated contradiction probability is at least
:data:`STRONG_MIN_P`, or when a rule check (negation, numbers, agents) flagged it: each check reads a
structure the model reads badly, and on the labelled news pairs the pairs a check flagged were
contradictions more often than those the model flagged alone. Every other finding (flagged by the
model alone, with a lower probability) is **possible**.

:data:`BAND_PRECISION` is what each band was worth on the 200 labelled real-news pairs of
``news_claims_dev``: the share of the pairs flagged in that band that are gold contradictions. It is
recomputed by ``eval/bands.py`` from an evaluation run (command and result in
``eval/results/bands/``). The shipped model's calibration and threshold were fitted on these same
pairs and the edge was chosen on them, so the figures are in sample, not a promise for other news.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .errors import ConfigError

#: Band names, most trusted first.
BANDS: tuple[str, ...] = ("strong", "possible")
#: A finding whose calibrated p_contradiction is at least this is strong, whatever flagged it.
STRONG_MIN_P = 0.60
#: Findings flagged by any of these checks are strong whatever their probability.
STRONG_CHECKS: frozenset[str] = frozenset({"negation", "numbers", "agents"})
#: Measured on news_claims_dev (see eval/results/bands/): band -> (gold contradictions, findings).
BAND_PRECISION: dict[str, tuple[int, int]] = {"strong": (29, 38), "possible": (18, 39)}
#: Where :data:`BAND_PRECISION` was measured, for legends.
MEASURED_ON = "200 labelled news pairs (news_claims_dev), in sample"

_RULES = {
    "strong": f"p of at least {STRONG_MIN_P:.2f}, or flagged by a rule check (negation, numbers, agents)",
    "possible": f"flagged by the model alone with p below {STRONG_MIN_P:.2f}",
}


def band(p_contradiction: float, flagged_by: Iterable[str] = ("model",)) -> str:
    """The band of a finding with calibrated probability ``p_contradiction`` flagged by ``flagged_by``."""
    if p_contradiction >= STRONG_MIN_P or STRONG_CHECKS.intersection(flagged_by):
        return "strong"
    return "possible"


def parse_band(name: str | None) -> str | None:
    """A band name as given (any case), or None for none. Raises ConfigError for an unknown one."""
    if name is None:
        return None
    key = name.strip().lower()
    if key not in BANDS:
        raise ConfigError(f"unknown band {name!r}; expected one of {', '.join(BANDS)}")
    return key


def at_least(name: str, min_band: str | None) -> bool:
    """True when band ``name`` is ``min_band`` or more trusted (always, without a ``min_band``)."""
    return min_band is None or BANDS.index(name) <= BANDS.index(min_band)


def keep_at_least(findings: Sequence[Any], min_band: str | None) -> tuple[list[Any], int]:
    """The findings (anything with a ``band``) in ``min_band`` or better, and how many were left out."""
    kept = [f for f in findings if at_least(f.band, min_band)]
    return kept, len(findings) - len(kept)


def precision(name: str) -> float | None:
    """The measured precision of a band (see :data:`BAND_PRECISION`)."""
    right, total = BAND_PRECISION.get(name, (0, 0))
    return right / total if total else None


def describe(name: str) -> str:
    """One line for a legend: the band's rule and its measured precision."""
    right, total = BAND_PRECISION[name]
    return (f"{_RULES[name]}; {right} of {total} such findings ({right / total:.0%}) were contradictions on "
            f"{MEASURED_ON}")


def bands_to_dict() -> dict[str, Any]:
    """The band definitions and measured precision, as the JSON report carries them."""
    return {name: {"rule": _RULES[name], "precision": round(precision(name) or 0.0, 3),
                   "contradictions": BAND_PRECISION[name][0], "findings": BAND_PRECISION[name][1],
                   "measured_on": MEASURED_ON} for name in BANDS}
