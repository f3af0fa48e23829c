"""Scale reliability: Cronbach's alpha and McDonald's omega, per category and round.

Both use the respondents who answered every item of the scale (listwise deletion); the count used
is reported. Omega is omega total from a one-factor model fitted by minimum residuals (minres, as
R's psych package does by default) to the item correlation matrix; it needs at least three items
(a one-factor model of two items is not identified), otherwise it is missing.
"""

from __future__ import annotations

import numpy as np


def cronbach_alpha(data) -> float:
    """Cronbach's alpha of a respondents x items array (complete rows only).

    Notes
    -----
    .. math:: \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\sum_i s_i^2}{s_T^2}\\right)

    with item variances :math:`s_i^2` and the variance :math:`s_T^2` of the sum score (both with
    ``ddof=1``). Source: Cronbach (1951).

    Examples
    --------
    Shrout & Fleiss (1979), 6 targets rated by 4 judges; alpha equals their ICC(3,k), published
    as 0.91:

    >>> x = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    >>> round(cronbach_alpha(x), 4)
    0.9093
    """
    x = np.asarray(data, dtype=float)
    x = x[~np.isnan(x).any(axis=1)]
    n, k = x.shape
    if k < 2 or n < 2:
        return float("nan")
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total_var))


def one_factor_loadings(corr) -> np.ndarray:
    """Loadings of a one-factor model fitted to a correlation matrix by minimum residuals.

    Minimises the sum of squared off-diagonal residuals ``r_ij - l_i l_j``; the sign is chosen
    so that the loadings sum to a positive number.
    """
    r = np.asarray(corr, dtype=float)
    k = r.shape[0]
    iu = np.triu_indices(k, 1)
    vals, vecs = np.linalg.eigh(r)
    start = vecs[:, -1] * np.sqrt(max(vals[-1] - 1 + 1e-6, 1e-3))

    def residuals(lam):
        return r[iu] - np.outer(lam, lam)[iu]

    from scipy import optimize  # imported when first needed: it is slow to import

    fit = optimize.least_squares(residuals, start, method="lm", xtol=1e-12, ftol=1e-12)
    lam = fit.x
    return lam if lam.sum() >= 0 else -lam


def mcdonald_omega(data) -> float:
    """McDonald's omega total of a respondents x items array (complete rows only).

    Notes
    -----
    .. math:: \\omega = \\frac{(\\sum_i \\lambda_i)^2}{(\\sum_i \\lambda_i)^2 + \\sum_i (1-\\lambda_i^2)}

    with standardised loadings :math:`\\lambda_i` of a one-factor model (minres). Missing for
    fewer than three items. Source: McDonald (1999), *Test theory: a unified treatment*.

    Examples
    --------
    For a correlation matrix generated exactly by loadings 0.8, 0.7, 0.6, 0.5 the fit recovers
    them, and omega = 2.6^2 / (2.6^2 + 4 - 1.74) = 6.76 / 9.02 = 0.7494 (hand calculation); see
    ``tests/test_reliability.py``.
    """
    x = np.asarray(data, dtype=float)
    x = x[~np.isnan(x).any(axis=1)]
    n, k = x.shape
    if k < 3 or n < 3:
        return float("nan")
    sd = x.std(axis=0, ddof=1)
    if (sd == 0).any():
        return float("nan")
    return omega_from_correlation(np.corrcoef(x, rowvar=False))


def omega_from_correlation(corr) -> float:
    """Omega total from an item correlation matrix (one-factor minres fit)."""
    lam = one_factor_loadings(corr)
    lam = np.clip(lam, -1, 1)
    common = lam.sum() ** 2
    return float(common / (common + (1 - lam**2).sum()))
