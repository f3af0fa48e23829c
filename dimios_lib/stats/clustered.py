"""Cluster-robust inference for one OLS coefficient: CR1 standard errors (t on clusters − 1 df),
and the wild cluster restricted (WCR) bootstrap-t for few clusters, with Rademacher or Webb's
six-point weights, its p-value and its confidence interval by test inversion.

Sources: Cameron, Gelbach & Miller (2008) for the wild cluster bootstrap-t with the null imposed;
Webb (2023) for the six-point weights; MacKinnon & Webb (2018) for its behaviour with few (treated)
clusters; Roodman, MacKinnon, Nielsen & Webb (2019) for the algebra that makes every bootstrap
t-statistic a product of small cluster-level matrices, and for inverting the test into an
interval. Canay, Santos & Shaikh (2021) give conditions under which the test is valid with a
small number of large clusters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .bootstrap import group_seed

#: The weight distributions: code -> the values, each drawn with equal probability.
WEIGHTS: dict[str, np.ndarray] = {
    "webb": np.array([-math.sqrt(1.5), -1.0, -math.sqrt(0.5), math.sqrt(0.5), 1.0,
                      math.sqrt(1.5)]),
    "rademacher": np.array([-1.0, 1.0]),
}


def _basis(x: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the columns of ``x`` (rank-revealing: dependent columns drop)."""
    if x.shape[1] == 0:
        return np.zeros((x.shape[0], 0))
    u, s, _ = np.linalg.svd(x, full_matrices=False)
    keep = s > s.max() * max(x.shape) * np.finfo(float).eps
    return u[:, keep]


_CHUNK = 8192  # weight vectors per block: memory stays small however many clusters there are


def _weight_blocks(code: str, g: int, n_resamples: int, rng):
    """The weight vectors in blocks (g x at most :data:`_CHUNK`), and whether they enumerate all
    of them: every vector when there are at most ``n_resamples``, else ``n_resamples`` drawn."""
    values = WEIGHTS[code]
    total = len(values) ** g
    if total <= n_resamples:
        def blocks():
            for start in range(0, total, _CHUNK):
                idx = np.arange(start, min(start + _CHUNK, total))
                digits = (idx[None, :] // len(values) ** np.arange(g)[:, None]) % len(values)
                yield values[digits]
        return blocks(), total, True

    def drawn():
        for start in range(0, n_resamples, _CHUNK):
            yield rng.choice(values, size=(g, min(_CHUNK, n_resamples - start)))
    return drawn(), n_resamples, False


def _partial(x: np.ndarray, term: int):
    """Frisch–Waugh–Lovell: a basis of the other columns and the tested column partialled out."""
    q = _basis(np.delete(x, term, axis=1))
    d = x[:, term]
    dt = d - q @ (q.T @ d)
    ok = float(dt @ dt) > 1e-12 * max(1.0, float(d @ d))
    return q, dt, ok


def wild_cluster_bootstrap(y, x, clusters, *, term: int, weights: str = "rademacher",
                           n_resamples: int = 99999, ci_level: float | None = 0.95,
                           seed: int = 20191001, rng_key: Sequence[object] = ()
                           ) -> dict[str, Any]:
    """Wild cluster restricted (WCR) bootstrap-t test of one OLS coefficient, and its interval.

    Parameters
    ----------
    y : array-like, shape (n,)
        The outcome.
    x : array-like, shape (n, k)
        The regressors (with a constant or fixed effects as columns; dependent columns are
        allowed and drop out).
    clusters : array-like, shape (n,)
        Cluster labels (here: municipalities).
    term : int
        The column of ``x`` whose coefficient is tested (null: zero).
    weights : {"rademacher", "webb"}
        Rademacher (:math:`\\pm 1`, each with probability 1/2) or Webb's six-point distribution
        (:math:`\\pm\\sqrt{1/2}, \\pm 1, \\pm\\sqrt{3/2}`, each with probability 1/6).
    n_resamples : int
        Every weight vector is used when there are at most this many (:math:`6^G` or
        :math:`2^G`: the exact bootstrap distribution), otherwise this many are drawn.
    ci_level : float or None
        Level of the interval by test inversion; None skips it.
    seed, rng_key
        The generator of drawn weights is :func:`~dimios_lib.stats.bootstrap.group_seed`
        ``(seed, "wild", *rng_key)``.

    Returns
    -------
    dict
        ``estimate, se, statistic`` (the coefficient, its CR1 cluster-robust standard error and
        t), ``p_value`` (symmetric bootstrap p), ``ci_low, ci_high`` (±inf where the inverted
        test never rejects on that side), ``n_clusters``, ``n_draws``, ``enumerated`` and
        ``min_p`` (the smallest p this bootstrap can give).

    Notes
    -----
    With :math:`\\tilde d = M_{X_r} d` (the tested column with the other regressors partialled
    out, :math:`S = \\tilde d'\\tilde d`), :math:`\\hat\\delta = \\tilde d' y / S` and the CR1
    variance :math:`c\\sum_g (\\tilde d_g'\\hat u_g)^2 / S^2`,
    :math:`c = \\frac{G}{G-1}\\frac{n-1}{n-k}` (Stata's and statsmodels' default; it cancels in
    the bootstrap p). Under the null :math:`\\delta = \\delta_0` the restricted residuals are
    :math:`\\tilde u = M_{X_r}(y - \\delta_0 d)`; a bootstrap sample is
    :math:`y^* = X_r\\tilde\\beta + \\delta_0 d + \\tilde u \\circ v_{g(i)}`, one weight per
    cluster. Everything is linear in :math:`v`, so
    :math:`t^*(v) = a'v / \\sqrt{c\\,\\lVert F v\\rVert^2}` with the cluster sums
    :math:`a_h = \\tilde d_h'\\tilde u_h` and :math:`F_{gh} = \\tilde d_g'[M_X(\\tilde u \\circ
    1_h)]_g` (Roodman et al. 2019): one G x G matrix, whatever the number of respondents.
    :math:`p = \\#\\{|t^*| \\ge |t|\\}/B` over all :math:`B` weight vectors when they are
    enumerated, :math:`(1 + \\#)/(1 + B)` when drawn.

    The vectors :math:`v = c\\,\\mathbf 1` reproduce :math:`|t|` (:math:`t` is scale-free), so an
    enumerated bootstrap cannot give p below :math:`6/6^G` (Webb) or :math:`2/2^G`
    (Rademacher): :math:`1/7776` and :math:`1/32` with six clusters. The interval is
    :math:`\\{\\delta_0 : p(\\delta_0) > 1 - \\text{level}\\}`, found by bisection on each side of
    :math:`\\hat\\delta` (:math:`a` and :math:`F` are affine in :math:`\\delta_0`, so each
    :math:`p(\\delta_0)` costs one pass over the B draws); with very few clusters it can be
    unbounded.

    Which weights: with Rademacher weights the test is a sign-change test, approximately valid
    with a few large clusters (Canay, Santos & Shaikh 2021), at the price of a coarse p.
    Webb's six points are finer, but they are no group of sign changes; in
    ``bench/bench_study_inference.py`` they claimed a difference-in-differences in 6-11 % of
    no-effect studies with 3 + 3 municipalities, Rademacher weights in none (they cannot go
    below 2/64 per dimension, so nothing survives an adjustment for four dimensions).

    Examples
    --------
    Four clusters of two, the coefficient of ``d`` in ``y ~ 1 + d`` (d: 0 in two clusters,
    1 in two). Rademacher weights, all 2^4 = 16 vectors enumerated:

    >>> y = [1.0, 2.0, 2.0, 3.0, 4.0, 4.5, 5.0, 7.0]
    >>> d = [0, 0, 0, 0, 1, 1, 1, 1]
    >>> x = np.column_stack([np.ones(8), d])
    >>> r = wild_cluster_bootstrap(y, x, [1, 1, 2, 2, 3, 3, 4, 4], term=1,
    ...                            weights="rademacher", ci_level=None)
    >>> round(r["estimate"], 4), r["n_draws"], r["enumerated"], r["p_value"], r["min_p"]
    (3.125, 16, True, 0.125, 0.125)
    """
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float)
    codes, cl = np.unique(np.asarray(clusters), return_inverse=True)
    g, n = len(codes), x.shape[0]
    if weights not in WEIGHTS:
        raise ValueError(f"unknown weights {weights!r}; expected one of {sorted(WEIGHTS)}")
    out: dict[str, Any] = {"estimate": np.nan, "se": np.nan, "statistic": np.nan,
                           "p_value": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                           "n_clusters": g, "n_draws": 0, "enumerated": False, "min_p": np.nan}
    q, dt, ok = _partial(x, term)
    s, rank = float(dt @ dt), q.shape[1] + 1
    if g < 2 or not ok or n <= rank:
        return out
    z = np.zeros((n, g))
    z[np.arange(n), cl] = 1.0  # cluster indicators
    c = g / (g - 1) * (n - 1) / (n - rank)
    u0 = y - q @ (q.T @ y)  # restricted residuals at delta_0 = 0; at delta_0: u0 - delta_0 dt
    estimate = float(dt @ y) / s
    scores = z.T @ (dt * (u0 - dt * estimate))
    se = math.sqrt(c * float(scores @ scores)) / s
    out.update(estimate=estimate, se=se, statistic=estimate / se if se > 0 else np.nan)
    if not se > 0:
        return out

    def parts(u):
        w = z * u[:, None]  # u masked to each cluster: n x g
        r = w - q @ (q.T @ w) - np.outer(dt, dt @ w) / s  # M_X of each column
        return z.T @ (dt[:, None] * w), z.T @ (dt[:, None] * r)

    (a0, f0), (a1, f1) = parts(u0), parts(dt)
    a0, a1 = a0.sum(axis=1), a1.sum(axis=1)  # z.T @ (dt * w) has one non-zero per column
    blocks, b, enumerated = _weight_blocks(weights, g, n_resamples,
                                           group_seed(seed, "wild", *rng_key))
    sums = []  # per block: a'v and ||F v||^2, each affine / quadratic in delta_0
    for v in blocks:
        fv0, fv1 = f0 @ v, f1 @ v
        sums.append((a0 @ v, a1 @ v, (fv0 * fv0).sum(axis=0), (fv0 * fv1).sum(axis=0),
                     (fv1 * fv1).sum(axis=0)))
    n0, n1, p0, p1, p2 = (np.concatenate(part) for part in zip(*sums))

    def p_at(delta0: float) -> float:
        # |t*| >= |t| as num^2 >= t^2 den^2 (both sides non-negative): no root, no division.
        t2 = ((estimate - delta0) / se) ** 2
        num2 = (n0 - delta0 * n1) ** 2
        den2 = c * (p0 - 2 * delta0 * p1 + delta0 ** 2 * p2)
        reach = (num2 >= t2 * den2 * (1 - 1e-9)) & ((num2 > 0) | (t2 == 0))
        hits = int(np.count_nonzero(reach))
        return hits / b if enumerated else (1 + hits) / (1 + b)

    # v = c * 1 reproduces |t| for each of the len(values) weights c: the floor of an enumeration.
    min_p = len(WEIGHTS[weights]) / b if enumerated else 1 / (1 + b)
    out.update(p_value=p_at(0.0), n_draws=b, enumerated=enumerated, min_p=min_p)
    if ci_level is not None:
        out["ci_low"] = _bound(p_at, estimate, -se, 1 - ci_level)
        out["ci_high"] = _bound(p_at, estimate, se, 1 - ci_level)
    return out


def _bound(p_at, estimate: float, step: float, alpha: float) -> float:
    """The end of the inverted interval in the direction of ``step``: bracket the point where
    :math:`p(\\delta_0)` falls to ``alpha`` by doubling, then bisect. ±inf if it never does
    within :math:`2^{20}` steps."""
    inside, k = 0.0, 1.0
    while p_at(estimate + k * step) > alpha:
        inside, k = k, 2 * k
        if k > 2 ** 20:
            return math.copysign(math.inf, step)
    outside = k
    for _ in range(60):
        mid = (inside + outside) / 2
        if p_at(estimate + mid * step) > alpha:
            inside = mid
        else:
            outside = mid
        if outside - inside < 1e-7:  # in standard errors: far below what is printed
            break
    return float(estimate + (inside + outside) / 2 * step)



def cluster_robust_ols(y, x, clusters, *, term: int, ci_level: float = 0.95) -> dict[str, Any]:
    """One OLS coefficient with CR1 cluster-robust standard error, t on clusters − 1 df.

    The same numbers as statsmodels' ``OLS(...).fit(cov_type="cluster", use_t=True)`` (the
    tests check it), without a formula or a fitted model object: the coefficient by
    Frisch–Waugh–Lovell, :math:`\\hat\\delta = \\tilde d'y / \\tilde d'\\tilde d`, and the variance
    :math:`c\\sum_g(\\tilde d_g'\\hat u_g)^2/(\\tilde d'\\tilde d)^2`,
    :math:`c = \\frac{G}{G-1}\\frac{n-1}{n-k}`.

    Returns
    -------
    dict
        ``estimate, se, statistic, df, p_value, ci_low, ci_high, n_clusters``.

    Examples
    --------
    >>> y = [1.0, 2.0, 2.0, 3.0, 4.0, 4.5, 5.0, 7.0]
    >>> x = np.column_stack([np.ones(8), [0, 0, 0, 0, 1, 1, 1, 1]])
    >>> r = cluster_robust_ols(y, x, [1, 1, 2, 2, 3, 3, 4, 4], term=1)
    >>> round(r["estimate"], 4), round(r["se"], 4), r["df"]
    (3.125, 0.8888, 3.0)
    """
    from scipy import special

    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float)
    _, cl = np.unique(np.asarray(clusters), return_inverse=True)
    g, n = int(cl.max()) + 1 if len(cl) else 0, len(y)
    q, dt, ok = _partial(x, term)
    s, rank = float(dt @ dt), q.shape[1] + 1
    nan = {"estimate": np.nan, "se": np.nan, "statistic": np.nan, "df": np.nan,
           "p_value": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n_clusters": g}
    if g < 2 or n <= rank or not ok:
        return nan
    estimate = float(dt @ y) / s
    resid = y - q @ (q.T @ y) - dt * estimate
    scores = np.bincount(cl, weights=dt * resid, minlength=g)
    c = g / (g - 1) * (n - 1) / (n - rank)
    se = math.sqrt(c * float(scores @ scores)) / s
    df = float(g - 1)
    t = estimate / se if se > 0 else np.nan
    half = special.stdtrit(df, 0.5 + ci_level / 2) * se
    return {"estimate": estimate, "se": se, "statistic": t, "df": df,
            "p_value": float(2 * special.stdtr(df, -abs(t))) if np.isfinite(t) else np.nan,
            "ci_low": estimate - half, "ci_high": estimate + half, "n_clusters": g}
