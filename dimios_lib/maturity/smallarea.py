"""Small-area estimates of capability, legacy and maturity: each municipality's direct estimate
shrunk towards the round's mean of municipalities by a Fay–Herriot model (empirical Bayes),
with an interval from the estimate's mean squared error.

Per round (and per unit or role when scored by them), over the municipalities shown (at least
``min_group_size`` respondents), for each measure: the direct estimates :math:`y_i`, their
sampling variances :math:`D_i`, and an intercept-only Fay–Herriot model
(:func:`dimios_lib.stats.smallarea.fay_herriot`: REML, Prasad–Rao/Datta–Lahiri MSE). The
estimate :math:`\\tilde\\theta_i = \\bar y_w + (1 - B_i)(y_i - \\bar y_w)` moves a municipality
towards the precision-weighted mean by the share :math:`B_i = D_i/(A + D_i)`: a lot when it has
few respondents and the municipalities differ little, hardly at all when it has many.

:math:`D_i` is, by default (``small_area_variance="pooled"``), the round's pooled
within-municipality variance of the respondents' jackknife pseudo-values divided by the
municipality's number of contributing respondents (a smoothed sampling variance; Rao & Molina
2015, section 6.4.2, discuss smoothing :math:`D_i`). ``"direct"`` uses the municipality's own
jackknife variance (municipalities where it is 0 are left out of the fit).

Groups below ``min_group_size`` are neither fitted nor estimated (as for the benchmarks: a
group too small to be shown does not shape what is shown). Fewer than
``small_area_min_areas`` municipalities in a round: no estimates in that round.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import ModelConfig
from ..stats.smallarea import fay_herriot

EB_SUFFIXES = ("eb_pct", "eb_ci_low", "eb_ci_high", "eb_se", "eb_shrinkage")


def small_area_columns(overall: pd.DataFrame, by: tuple[str, ...], jk_var: np.ndarray,
                       jk_k: np.ndarray, measures: tuple[str, ...], config: ModelConfig
                       ) -> tuple[dict[str, np.ndarray], pd.DataFrame]:
    """The small-area columns of a score table and one row per domain and measure describing
    the fit.

    Parameters
    ----------
    overall : DataFrame
        One row per group, with ``municipality_code``, ``n_respondents`` and ``{m}_pct``.
    by : tuple of str
        The grouping; the domains are the groups of every key but ``municipality_code``.
    jk_var, jk_k : ndarray, shape (groups, measures)
        Jackknife variance and contributing respondents of each measure.

    Returns
    -------
    columns : dict
        ``{m}_eb_pct``, ``{m}_eb_ci_low``, ``{m}_eb_ci_high``, ``{m}_eb_se`` (root mean squared
        error) and ``{m}_eb_shrinkage`` (:math:`B_i`) per measure; NaN where not estimated.
    fits : DataFrame
        Per domain and measure: the domain keys, ``measure``, ``n_areas``, ``mean`` (the
        weighted mean), ``between_sd`` (:math:`\\sqrt{\\hat A}`), ``within_sd`` (pooled, when
        used), ``converged``.

    Examples
    --------
    Twelve municipalities of 6 to 40 respondents around 50 %: the smallest moves most.

    >>> rng = np.random.default_rng(1)
    >>> n = np.array([6, 8, 10, 12, 14, 16, 20, 25, 30, 35, 40, 6])
    >>> o = pd.DataFrame({"municipality_code": [f"{i:04d}" for i in range(12)], "round": "r",
    ...                   "n_respondents": n, "maturity_pct": 50 + rng.normal(0, 6, 12)})
    >>> cols, fits = small_area_columns(o, ("municipality_code", "round"), 80.0 / n[:, None],
    ...                                 n[:, None], ("maturity",), ModelConfig())
    >>> b = cols["maturity_eb_shrinkage"]
    >>> bool(b[0] > b[10]), int(fits.n_areas.iloc[0])
    (True, 12)
    """
    n_rows = len(overall)
    cols = {f"{m}_{s}": np.full(n_rows, np.nan) for m in measures for s in EB_SUFFIXES}
    domain_keys = [c for c in by if c != "municipality_code"]
    fit_rows: list[dict] = []
    shown = (overall["n_respondents"] >= config.min_group_size).to_numpy()
    if domain_keys:
        domains = overall.groupby(domain_keys, sort=True, dropna=False).indices.items()
    else:
        domains = [((), np.arange(n_rows))]
    for key, rows in domains:
        key = key if isinstance(key, tuple) else (key,)
        rows = np.asarray(rows)[shown[np.asarray(rows)]]
        for j, m in enumerate(measures):
            fit = _fit(overall[f"{m}_pct"].to_numpy()[rows], jk_var[rows, j], jk_k[rows, j],
                       config)
            info = {**dict(zip(domain_keys, key)), "measure": m}
            if fit is None:
                fit_rows.append({**info, "n_areas": 0})
                continue
            ok, fh, within = fit
            target = rows[ok]
            cols[f"{m}_eb_pct"][target] = fh.estimate
            cols[f"{m}_eb_ci_low"][target] = np.clip(fh.ci_low, 0.0, 100.0)
            cols[f"{m}_eb_ci_high"][target] = np.clip(fh.ci_high, 0.0, 100.0)
            cols[f"{m}_eb_se"][target] = np.sqrt(fh.mse)
            cols[f"{m}_eb_shrinkage"][target] = fh.shrinkage
            fit_rows.append({**info, "n_areas": int(ok.sum()), "mean": float(fh.beta[0]),
                             "between_sd": float(np.sqrt(fh.variance)), "within_sd": within,
                             "converged": fh.converged})
    fits = pd.DataFrame(fit_rows, columns=[*domain_keys, "measure", "n_areas", "mean",
                                           "between_sd", "within_sd", "converged"])
    return cols, fits


def _fit(y: np.ndarray, var: np.ndarray, k: np.ndarray, config: ModelConfig):
    """The Fay–Herriot fit of one domain and measure, or None with too few areas."""
    ok = np.isfinite(y) & np.isfinite(var) & (k >= 2)
    within = float("nan")
    if config.small_area_variance == "pooled":
        if ok.sum() < config.small_area_min_areas:
            return None
        # k v is a municipality's sample variance of pseudo-values on k - 1 df
        within2 = float(np.sum((k[ok] - 1) * k[ok] * var[ok]) / np.sum(k[ok] - 1))
        if not within2 > 0:
            return None
        d = within2 / k[ok]
        within = float(np.sqrt(within2))
    else:
        ok &= var > 0
        if ok.sum() < config.small_area_min_areas:
            return None
        d = var[ok]
    return ok, fay_herriot(y[ok], d, level=config.ci_level), within
