"""Which claims a report may make, from the flags the statistics give.

Every statement a page makes about a difference ("above the national mean", "a change",
"a clear priority") goes through one of these small functions, so a change in the rules (other
intervals, another test of change, a correction for many comparisons) lands here and in the
statistics, not in the words or the HTML. Each takes a row (a named tuple or mapping) of a
report table and returns a code; no words.
"""

from __future__ import annotations

import math


def _get(row, name: str, default=float("nan")):
    if isinstance(row, dict):
        return row.get(name, default)
    return getattr(row, name, default)


def _num(x) -> float:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return float("nan")
    return x


def vs_reference(row, reference: str = "national") -> str:
    """``"above"``, ``"below"`` or ``"level"``: the row's interval (``ci_low``, ``ci_high``) lies
    wholly above / below the reference value, or not.

    >>> vs_reference({"ci_low": 52, "ci_high": 60, "national": 50})
    'above'
    >>> vs_reference({"ci_low": 45, "ci_high": 60, "national": 50})
    'level'
    """
    ref = _num(_get(row, reference))
    lo, hi = _num(_get(row, "ci_low")), _num(_get(row, "ci_high"))
    if math.isnan(ref):
        return "level"
    if not math.isnan(lo) and lo > ref:
        return "above"
    if not math.isnan(hi) and hi < ref:
        return "below"
    return "level"


def change_direction(row) -> str:
    """``"up"``, ``"down"`` or ``"none"``: a change is called only when the statistics flag it
    (``significant``: its interval excludes zero).

    >>> change_direction({"change": 3.1, "significant": True})
    'up'
    >>> change_direction({"change": 3.1, "significant": False})
    'none'
    """
    if not bool(_get(row, "significant", False)):
        return "none"
    ch = _num(_get(row, "change"))
    if math.isnan(ch) or ch == 0:
        return "none"
    return "up" if ch > 0 else "down"


def clear_gap(row) -> bool:
    """A capability's gap to the national mean is *clear* (its interval excludes the national
    mean; the ``clear`` flag of the report's capability table)."""
    return bool(_get(row, "clear", False))


def type_uncertain(headline, capability_cut: float, legacy_cut: float) -> bool:
    """The type placement is uncertain when the capability or legacy interval crosses its
    cut-off (``headline``: the report's headline table indexed by measure)."""
    def crosses(m: str, cut: float) -> bool:
        lo, hi = _num(headline.at[m, "ci_low"]), _num(headline.at[m, "ci_high"])
        return not (math.isnan(lo) or math.isnan(hi)) and lo < cut <= hi

    return crosses("capability", capability_cut) or crosses("legacy", legacy_cut)
