"""Scale reliability: Cronbach's alpha and McDonald's omega on incomplete answers, and the
reliability of group means (ICC(1), ICC(2)).

**Missing answers.** By default both coefficients come from *pairwise* covariances: each pair of
items over the respondents who answered both, each variance over the respondents who answered
the item (R's ``cov(x, use = "pairwise")``, which the psych package's ``alpha`` uses by
default). A "vet ej" then costs one answer, not the respondent: with 18 items and 12 % missing
answers only about one respondent in ten has every item, so listwise deletion (``"listwise"``,
the respondents with every item answered) keeps too few to estimate anything
(``bench/bench_reliability.py``).

**Omega** is omega total from a one-factor model fitted by minimum residuals (minres, as psych
does by default) to the item correlation matrix; it needs at least three items (a one-factor
model of two items is not identified). A loading that reaches 1 is a *Heywood case* (the item's
unique variance would be zero or negative): the model is then refitted with every loading
bounded to [-1, 1], so the solution lies on the boundary instead of beyond it, and the fit says
so (:class:`OmegaFit`, ``heywood``); the reports warn.

**ICC** of a score over groups (respondents within municipalities): one-way random-effects
analysis of variance. ICC(1) is the share of the variance that lies between groups, ICC(2) the
reliability of a group's mean (Bliese 2000).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..config import RELIABILITY_MISSING

MISSING = RELIABILITY_MISSING
HEYWOOD_TOLERANCE = 1e-6


def _matrix(data, missing: str) -> np.ndarray:
    if missing not in MISSING:
        raise ValueError(f"missing must be one of {MISSING}, not {missing!r}")
    x = np.asarray(data, dtype=float)
    if x.ndim != 2:
        raise ValueError("expected a respondents x items array")
    if missing == "listwise":
        return x[~np.isnan(x).any(axis=1)]
    return x[~np.isnan(x).all(axis=1)]


def pairwise_moments(data) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Covariances, correlations and pair counts of the columns of an array with gaps.

    Each entry uses the rows where both columns have a value, with that pair's own means (as R's
    ``cov`` and ``cor`` with ``use = "pairwise"`` and pandas' ``DataFrame.cov``). A pair with
    fewer than two rows, or a constant column in a pair, gives NaN.

    Returns
    -------
    cov, corr, n : ndarray
        k x k each; ``n[i, j]`` counts the rows with both columns answered.

    Examples
    --------
    Items a = (1, 2, 3, -) and b = (2, -, 4, 6): the pair (a, b) has rows 1 and 3, so
    cov = (1 - 2)(2 - 3) + (3 - 2)(4 - 3) = 2 over 1 degree of freedom; var(b) uses its three
    answers: mean 4, ((2-4)^2 + 0 + (6-4)^2) / 2 = 4.

    >>> cov, corr, n = pairwise_moments([[1, 2], [2, None], [3, 4], [None, 6]])
    >>> cov.tolist(), n.tolist()
    ([[1.0, 2.0], [2.0, 4.0]], [[3, 2], [2, 3]])
    """
    x = np.asarray(data, dtype=float)
    m = (~np.isnan(x)).astype(float)
    x0 = np.where(m > 0, x, 0.0)
    n = m.T @ m                    # rows with both
    s = x0.T @ m                   # s[i, j]: sum of column i over the rows where j is answered
    ss = (x0**2).T @ m             # sums of squares likewise
    cross = x0.T @ x0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_i = s / n             # mean of i over the pair (i, j)
        mean_j = s.T / n           # mean of j over the same rows
        cov = (cross - n * mean_i * mean_j) / (n - 1)
        var_i = (ss - n * mean_i**2) / (n - 1)
        var_j = var_i.T
        corr = cov / np.sqrt(var_i * var_j)
    cov[n < 2] = np.nan
    corr[(n < 2) | ~(var_i > 0) | ~(var_j > 0)] = np.nan
    np.fill_diagonal(corr, np.where(np.isnan(np.diag(corr)), np.nan, 1.0))
    return cov, corr, n.astype(int)


def cronbach_alpha(data, *, missing: str = "pairwise") -> float:
    """Cronbach's alpha of a respondents x items array with gaps (NaN).

    Parameters
    ----------
    data : array-like
        Respondents x items; NaN is a missing answer.
    missing : {"pairwise", "listwise"}
        Covariances over the respondents who answered each pair of items (default), or only
        the respondents who answered every item.

    Notes
    -----
    .. math:: \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\operatorname{tr} C}{\\mathbf 1^T C
              \\mathbf 1}\\right)

    with the k x k item covariance matrix :math:`C` (``ddof=1``): the item variances over the
    sum of all variances and covariances, which for complete data is the variance of the sum
    score. Source: Cronbach (1951); the pairwise form is psych's ``alpha`` (R), whose value on
    a published example it reproduces (``tests/stats/test_reliability.py``).

    Examples
    --------
    Shrout & Fleiss (1979), 6 targets rated by 4 judges; alpha equals their ICC(3,k), published
    as 0.91:

    >>> x = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    >>> round(cronbach_alpha(x), 4)
    0.9093
    """
    x = _matrix(data, missing)
    n, k = x.shape
    if k < 2 or n < 2:
        return float("nan")
    cov = pairwise_moments(x)[0] if missing == "pairwise" else np.cov(x, rowvar=False)
    total = cov.sum()
    if not np.isfinite(total) or total <= 0:
        return float("nan")
    return float(k / (k - 1) * (1 - np.trace(cov) / total))


def one_factor_loadings(corr, *, bounded: bool = False) -> np.ndarray:
    """Loadings of a one-factor model fitted to a correlation matrix by minimum residuals.

    Minimises the sum of squared off-diagonal residuals ``r_ij - l_i l_j``; the sign is chosen
    so that the loadings sum to a positive number. ``bounded`` keeps every loading in [-1, 1]
    (the refit of a Heywood case).
    """
    from scipy import optimize  # imported when first needed: it is slow to import

    r = np.asarray(corr, dtype=float)
    k = r.shape[0]
    iu = np.triu_indices(k, 1)
    vals, vecs = np.linalg.eigh(r)
    start = vecs[:, -1] * np.sqrt(max(vals[-1] - 1 + 1e-6, 1e-3))
    if start.sum() < 0:
        start = -start

    def residuals(lam):
        return r[iu] - np.outer(lam, lam)[iu]

    if bounded:
        fit = optimize.least_squares(residuals, np.clip(start, -0.99, 0.99), bounds=(-1, 1),
                                     method="trf", xtol=1e-12, ftol=1e-12, gtol=1e-12)
    else:
        fit = optimize.least_squares(residuals, start, method="lm", xtol=1e-12, ftol=1e-12)
    lam = fit.x
    return lam if lam.sum() >= 0 else -lam


@dataclass(frozen=True)
class OmegaFit:
    """McDonald's omega with the one-factor fit behind it.

    ``heywood`` is true when the free fit put a loading at or beyond 1 (within
    ``HEYWOOD_TOLERANCE``); ``loadings`` and ``omega`` are then those of the refit with the
    loadings bounded to [-1, 1].
    """

    omega: float
    loadings: np.ndarray
    heywood: bool


def omega_fit(corr) -> OmegaFit:
    """Omega total from an item correlation matrix (one-factor minres fit), with the Heywood
    rule of the module: a loading reaching 1 triggers a refit within [-1, 1].

    Notes
    -----
    .. math:: \\omega = \\frac{(\\sum_i \\lambda_i)^2}{(\\sum_i \\lambda_i)^2 + \\sum_i
              (1-\\lambda_i^2)}

    Examples
    --------
    Three items are exactly identified: :math:`\\lambda_1^2 = r_{12} r_{13} / r_{23}`. With
    r12 = r13 = 0.8 and r23 = 0.5 that is 1.28, a loading of 1.13 (Heywood). Bounded, the
    first loading is 1 and the others x minimise 2 (0.8 - x)^2 + (0.5 - x^2)^2, so
    x^3 + 0.5 x - 0.8 = 0 (x = 0.7514) and
    omega = 2.5028^2 / (2.5028^2 + 2 (1 - 0.5646)) = 0.8780 (hand calculation).

    >>> r = [[1, 0.8, 0.8], [0.8, 1, 0.5], [0.8, 0.5, 1]]
    >>> fit = omega_fit(r)
    >>> fit.heywood, [round(float(v), 4) for v in fit.loadings], round(fit.omega, 4)
    (True, [1.0, 0.7514, 0.7514], 0.878)
    """
    r = np.asarray(corr, dtype=float)
    if np.isnan(r).any():
        return OmegaFit(float("nan"), np.full(r.shape[0], np.nan), False)
    lam = one_factor_loadings(r)
    heywood = bool(np.abs(lam).max() >= 1 - HEYWOOD_TOLERANCE)
    if heywood:
        lam = one_factor_loadings(r, bounded=True)
    common = lam.sum() ** 2
    return OmegaFit(float(common / (common + (1 - lam**2).sum())), lam, heywood)


def omega_from_correlation(corr) -> float:
    """Omega total from an item correlation matrix (:func:`omega_fit`'s omega)."""
    return omega_fit(corr).omega


def mcdonald_fit(data, *, missing: str = "pairwise") -> OmegaFit:
    """:func:`omega_fit` of a respondents x items array with gaps: pairwise correlations
    (default) or those of the respondents with every item answered. NaN for fewer than three
    items or respondents, or a pair without a correlation."""
    x = _matrix(data, missing)
    n, k = x.shape
    nan = OmegaFit(float("nan"), np.full(k, np.nan), False)
    if k < 3 or n < 3:
        return nan
    corr = pairwise_moments(x)[1]
    return nan if np.isnan(corr).any() else omega_fit(corr)


def mcdonald_omega(data, *, missing: str = "pairwise") -> float:
    """McDonald's omega total of a respondents x items array with gaps (NaN).

    Notes
    -----
    :func:`omega_fit` of the item correlations (pairwise by default; ``missing="listwise"``
    uses the respondents with every item answered). Missing for fewer than three items.
    Source: McDonald (1999), *Test theory: a unified treatment*.

    Examples
    --------
    For a correlation matrix generated exactly by loadings 0.8, 0.7, 0.6, 0.5 the fit recovers
    them, and omega = 2.6^2 / (2.6^2 + 4 - 1.74) = 6.76 / 9.02 = 0.7494 (hand calculation); see
    ``tests/stats/test_reliability.py``. With two items there is no omega:

    >>> float(mcdonald_omega([[1, 2], [2, 3], [3, 3], [4, 5]]))
    nan
    """
    return mcdonald_fit(data, missing=missing).omega


def icc_oneway(values, groups) -> dict[str, float]:
    """ICC(1) and ICC(2) of a score over groups (one-way random effects), unequal sizes allowed.

    Parameters
    ----------
    values : array-like
        One score per respondent; NaN is left out.
    groups : array-like
        The respondent's group (municipality).

    Returns
    -------
    dict
        ``icc1``, ``icc2``, ``n_groups``, ``n0`` (the average group size of the formula) and
        ``ms_between``, ``ms_within``. NaN with fewer than two groups or no variation within.

    Notes
    -----
    With :math:`J` groups of :math:`n_j` respondents, :math:`N = \\sum n_j`, the mean squares
    between and within groups :math:`MSB, MSW` and
    :math:`n_0 = (N - \\sum n_j^2 / N) / (J - 1)`,

    .. math:: ICC(1) = \\frac{MSB - MSW}{MSB + (n_0 - 1) MSW}, \\qquad
              ICC(2) = \\frac{MSB - MSW}{MSB}.

    ICC(1) is Shrout & Fleiss' (1979) ICC(1,1); ICC(2) is their ICC(1,k), the reliability of a
    group mean of :math:`n_0` respondents (Bliese 2000), equal to the Spearman-Brown step-up
    :math:`n_0 ICC(1) / (1 + (n_0 - 1) ICC(1))`. A negative ICC (less variation between groups
    than chance) is reported as it is. :math:`n_0` follows Snedecor & Cochran (1989).

    Examples
    --------
    Shrout & Fleiss (1979), Table 4: six targets each rated by four judges, read as six groups
    of four; published ICC(1,1) = .17 and ICC(1,4) = .44.

    >>> x = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    >>> r = icc_oneway(np.ravel(x), np.repeat(np.arange(6), 4))
    >>> round(r["icc1"], 4), round(r["icc2"], 4), r["n0"]
    (0.1657, 0.4428, 4.0)
    """
    y = np.asarray(values, dtype=float)
    g = np.asarray(groups)
    keep = ~np.isnan(y)
    y, g = y[keep], g[keep]
    _, codes = np.unique(g, return_inverse=True)
    counts = np.bincount(codes).astype(float)
    n_groups, total = len(counts), float(counts.sum())
    out = {"icc1": np.nan, "icc2": np.nan, "n_groups": n_groups, "n0": np.nan,
           "ms_between": np.nan, "ms_within": np.nan}
    if n_groups < 2 or total <= n_groups:
        return out
    means = np.bincount(codes, weights=y) / counts
    grand = y.mean()
    ssb = float((counts * (means - grand) ** 2).sum())
    ssw = float(((y - means[codes]) ** 2).sum())
    msb, msw = ssb / (n_groups - 1), ssw / (total - n_groups)
    n0 = (total - (counts**2).sum() / total) / (n_groups - 1)
    out.update(n0=float(n0), ms_between=msb, ms_within=msw)
    if msb <= 0:
        return out
    out["icc1"] = float((msb - msw) / (msb + (n0 - 1) * msw))
    out["icc2"] = float((msb - msw) / msb)
    return out
