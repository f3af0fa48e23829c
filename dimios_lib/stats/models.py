"""Pooled models: OLS with municipality fixed effects and a pooled Hedges' g,
difference-in-differences (``score ~ post + treated:post + municipality``) tested across
municipalities (wild cluster bootstrap, :mod:`dimios_lib.stats.clustered`, and a permutation
test over the assignments of treatment), and the proportional-odds (ordered logit) model of
statsmodels.
"""

from __future__ import annotations

import functools
import itertools
import math
import warnings as _warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from ..errors import DimiosError
from .bootstrap import _MIN_RESAMPLED, bca_interval, group_seed
from .clustered import cluster_robust_ols, wild_cluster_bootstrap
from .effect_sizes import hedges_correction


def _pooled_frame(scores: pd.DataFrame) -> pd.DataFrame:
    need = {"municipality_code", "wave", "person", "score"}
    missing = need - set(scores.columns)
    if missing:
        raise DimiosError(f"scores need the columns {sorted(need)}; missing {sorted(missing)}")
    work = scores.loc[scores["score"].notna()].copy()
    work["post"] = (work["wave"] == "after").astype(float)
    work["municipality_code"] = work["municipality_code"].astype(str)
    return work


def _ols_cluster(work: pd.DataFrame, formula: str, term: str, ci_level: float) -> dict:
    import statsmodels.formula.api as smf

    fit = smf.ols(formula, data=work).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(work["person"])[0]}, use_t=True)
    low, high = fit.conf_int(alpha=1 - ci_level).loc[term]
    return {"estimate": float(fit.params[term]), "se": float(fit.bse[term]),
            "statistic": float(fit.tvalues[term]), "df": float(fit.df_resid_inference),
            "p_value": float(fit.pvalues[term]), "ci_low": float(low), "ci_high": float(high),
            "n_clusters": int(work["person"].nunique())}


def fixed_effects_change(scores: pd.DataFrame, *, ci_level: float = 0.95,
                         n_resamples: int = 2000, seed: int = 20191001,
                         rng_key: Sequence[object] = ()) -> dict[str, Any]:
    """Pooled before/after change over municipalities: OLS with municipality fixed effects.

    Parameters
    ----------
    scores : DataFrame
        Respondent scores of one dimension: ``municipality_code, wave`` (before/after),
        ``person`` (the same for one respondent in both waves) and ``score``.

    Returns
    -------
    dict
        ``estimate, se, statistic, df, p_value, ci_low, ci_high`` of *post* (standard errors
        clustered by respondent, t on clusters − 1 df), ``n_clusters, n_municipalities,
        n_before, n_after, n_matched, mean_before, mean_after`` and the pooled Hedges' g
        ``effect_size`` with its BCa interval ``g_ci_low, g_ci_high``, and ``fixed_strata``.

    Notes
    -----
    Model: :math:`y_{ij} = \\alpha_{m(i)} + \\beta\\,\\mathrm{post}_j + \\varepsilon_{ij}`.
    With only municipality effects and *post*, OLS gives the precision-weighted mean of the
    municipalities' differences, :math:`\\hat\\beta = \\sum_m h_m \\Delta_m / \\sum_m h_m`,
    :math:`h_m = n_{bm} n_{am}/(n_{bm} + n_{am})` (Frisch–Waugh–Lovell). Errors are clustered
    by respondent, since a respondent in both waves gives two correlated scores; a respondent in
    one wave is a cluster of one (then the error is the heteroskedasticity-robust one).

    Pooled g: :math:`J(df)\\,\\hat\\beta / s_w` with the pooled within-cell SD
    :math:`s_w^2 = \\sum_c (n_c - 1)s_c^2 / \\sum_c (n_c - 1)` over municipality x wave cells,
    :math:`df = \\sum_c (n_c - 1)`. Its BCa interval resamples respondents within strata of
    municipality x (both waves / before only / after only), so pairs stay together and each
    cell keeps its size; a stratum of fewer than three respondents is held fixed (not
    resampled; ``fixed_strata`` counts them).

    Examples
    --------
    Two municipalities, hand calculation: A before (1, 3), after (4, 6): Δ = 3, h = 1;
    B before (2, 4, 6, 8), after (6, 8, 10, 12): Δ = 4, h = 2; β = (3 + 8) / 3 = 3.6667.

    >>> s = pd.DataFrame({"municipality_code": ["A"] * 4 + ["B"] * 8,
    ...     "wave": ["before", "before", "after", "after"] + ["before"] * 4 + ["after"] * 4,
    ...     "person": range(12), "score": [1, 3, 4, 6, 2, 4, 6, 8, 6, 8, 10, 12]})
    >>> round(fixed_effects_change(s, n_resamples=200)["estimate"], 4)
    3.6667
    """
    work = _pooled_frame(scores)
    # Only municipalities with scores in both waves say anything about the change.
    waves = work.groupby("municipality_code")["post"].nunique()
    work = work.loc[work["municipality_code"].isin(waves.index[waves == 2])]
    n_mun = work["municipality_code"].nunique()
    before = work.loc[work["post"] == 0]
    after = work.loc[work["post"] == 1]
    matched = set(before["person"]) & set(after["person"])
    counts = {"n_municipalities": int(n_mun), "n_before": len(before), "n_after": len(after),
              "n_matched": len(matched)}
    if len(before) + len(after) < 3 or n_mun == 0:
        return {**counts, **dict.fromkeys(
            ("estimate", "se", "statistic", "df", "p_value", "ci_low", "ci_high", "mean_before",
             "mean_after", "effect_size", "g_ci_low", "g_ci_high"), np.nan),
            "n_clusters": int(work["person"].nunique()), "fixed_strata": 0}
    formula = "score ~ post + C(municipality_code)" if n_mun > 1 else "score ~ post"
    res = _ols_cluster(work, formula, "post", ci_level)
    res.update(counts, mean_before=float(before["score"].mean()),
               mean_after=float(after["score"].mean()))
    statistic, strata, fixed = _pooled_g_parts(work)
    res["effect_size"] = float(statistic(*strata))
    movable = [s for s in strata if len(s) >= _MIN_RESAMPLED]
    if np.isfinite(res["effect_size"]) and movable:
        def stat_moving(*idx, axis=-1):
            it = iter(idx)
            return statistic(*[next(it) if len(s) >= _MIN_RESAMPLED else s for s in strata])

        low, high = bca_interval(stat_moving, movable, ci_level=ci_level,
                                 n_resamples=n_resamples, rng=group_seed(seed, "pooled", *rng_key))
    else:
        low = high = np.nan
    res.update(g_ci_low=low, g_ci_high=high, fixed_strata=fixed)
    return res


def _pooled_g_parts(work: pd.DataFrame):
    """The pooled g as a function of index arrays, one per stratum (municipality x pattern)."""
    parts = []  # (municipality index, before values or None, after values or None)
    codes = sorted(work["municipality_code"].unique())
    for m, code in enumerate(codes):
        block = work.loc[work["municipality_code"] == code]
        b = block.loc[block["post"] == 0].set_index("person")["score"]
        a = block.loc[block["post"] == 1].set_index("person")["score"]
        both = b.index.intersection(a.index)
        if len(both):
            parts.append((m, b.loc[both].to_numpy(), a.loc[both].to_numpy()))
        only_b = b.index.difference(both)
        if len(only_b):
            parts.append((m, b.loc[only_b].to_numpy(), None))
        only_a = a.index.difference(both)
        if len(only_a):
            parts.append((m, None, a.loc[only_a].to_numpy()))
    n_mun = len(codes)

    def statistic(*idx, axis=-1):
        shape = np.broadcast_shapes(*[np.shape(i)[:-1] for i in idx])
        acc = {k: [np.zeros(shape) for _ in range(n_mun)]
               for k in ("nb", "sb", "qb", "na", "sa", "qa")}
        for (m, bv, av), i in zip(parts, idx):
            i = np.asarray(i)
            for vals, side in ((bv, "b"), (av, "a")):
                if vals is None:
                    continue
                x = vals[i]
                acc["n" + side][m] = acc["n" + side][m] + i.shape[-1]
                acc["s" + side][m] = acc["s" + side][m] + x.sum(axis=-1)
                acc["q" + side][m] = acc["q" + side][m] + (x * x).sum(axis=-1)
        num = np.zeros(shape)
        den = np.zeros(shape)
        ss = np.zeros(shape)
        dof = np.zeros(shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            for m in range(n_mun):
                nb, na = acc["nb"][m], acc["na"][m]
                mb, ma = acc["sb"][m] / nb, acc["sa"][m] / na
                h = nb * na / (nb + na)
                num = num + h * (ma - mb)
                den = den + h
                ss = ss + (acc["qb"][m] - nb * mb**2) + (acc["qa"][m] - na * ma**2)
                dof = dof + (nb - 1) + (na - 1)
            beta = num / den
            sw = np.sqrt(ss / dof)
            return hedges_correction(dof) * beta / sw

    strata = [np.arange(len(bv if bv is not None else av)) for _, bv, av in parts]
    fixed = int(sum(len(s) < _MIN_RESAMPLED for s in strata))
    return statistic, strata, fixed


def difference_in_differences(scores: pd.DataFrame, *, ci_level: float = 0.95,
                              max_permutations: int = 10000, seed: int = 20191001,
                              weights: str = "rademacher", n_resamples: int = 99999,
                              rng_key: Sequence[object] = ()) -> dict[str, Any]:
    """Difference-in-differences of treated against comparison municipalities, tested across
    municipalities (wild cluster bootstrap, permutation test) and, for transparency, across
    respondents.

    Parameters
    ----------
    scores : DataFrame
        Respondent scores of one dimension: ``municipality_code, arm`` (treated/comparison),
        ``wave`` (before/after), ``person``, ``score``.
    ci_level : float
        Level of both intervals.
    max_permutations : int
        The permutation test enumerates every assignment when there are at most this many.
    weights, n_resamples
        The wild cluster bootstrap's weights (``"rademacher"`` or ``"webb"``) and resamples
        (:func:`~dimios_lib.stats.clustered.wild_cluster_bootstrap`).
    seed, rng_key
        Seed of the drawn weights and permutations; ``rng_key`` names the analysis (a
        dimension), so its draws do not depend on what else is analysed.

    Returns
    -------
    dict
        ``estimate`` of ``treated:post``;

        * across municipalities: ``wild_se, wild_statistic`` (CR1, clustered by municipality),
          ``wild_p, wild_ci_low, wild_ci_high`` (wild cluster restricted bootstrap; the
          interval by test inversion, ±inf where unbounded), ``wild_draws``,
          ``wild_enumerated``, ``min_wild_p`` (the smallest p it can give); ``permutation_p``,
          ``n_assignments``, ``min_permutation_p``;
        * across respondents (errors clustered by respondent; shown for transparency, too
          narrow when whole municipalities have shocks): ``se, statistic, df, p_value, ci_low,
          ci_high``, ``n_clusters`` (respondents);
        * ``n_municipalities, n_treated, n_comparison``, the cell means ``treated_before,
          treated_after, comparison_before, comparison_after``, the changes ``treated_change,
          comparison_change`` and ``standardised`` (estimate / pooled within-cell SD).

    Notes
    -----
    Model, on respondent-level scores:
    :math:`y_{ij} = \\alpha_{m(i)} + \\beta\\,\\mathrm{post}_j
    + \\delta\\,\\mathrm{treated}_{m(i)}\\mathrm{post}_j + \\varepsilon_{ij}`;
    the treated main effect is absorbed by the municipality effects :math:`\\alpha_m`.
    :math:`\\hat\\delta` is the estimate. With one municipality per arm and balanced cells it is
    the difference of the cell-mean changes.

    Treatment is assigned to municipalities, so a shock that hits a whole municipality in one
    wave moves all its respondents together: the inference must be across municipalities.
    With a handful of them, municipality-clustered t-tests are unreliable (Cameron & Miller
    2015), so two tests built for few clusters are given. The **wild cluster restricted
    bootstrap** (Cameron, Gelbach & Miller 2008) re-weights the restricted residuals of whole
    municipalities. The **permutation test** recomputes :math:`\\hat\\delta` for every way of
    choosing as many "treated" municipalities (all :math:`\\binom{G}{k}` up to
    ``max_permutations``, else a seeded random draw) and reports the share with
    :math:`|\\hat\\delta_\\pi| \\ge |\\hat\\delta|`. Its smallest possible value is
    :math:`1/\\binom{G}{k}`, or :math:`2/\\binom{G}{k}` when half the municipalities are
    treated: swapping the arms gives :math:`-\\hat\\delta` (for 3 treated of 6: 2/20 = 0.10).
    The wild bootstrap with Rademacher weights cannot go below :math:`2/2^G` (1/32 with six
    municipalities). The errors clustered by respondent ignore municipality shocks; they are
    kept for transparency only.

    Examples
    --------
    Card & Krueger (1994), *AER* 84(4), Table 3: full-time-equivalent employment per store,
    New Jersey (minimum wage raised) 20.44 before and 21.03 after, Pennsylvania 23.33 and 21.17.
    By hand: (21.03 − 20.44) − (21.17 − 23.33) = 0.59 + 2.16 = 2.75 (the paper's 2.76 comes
    from unrounded means). Cells built around those means, one "municipality" per state:

    >>> rows = []
    >>> for state, arm, means in (("NJ", "treated", (20.44, 21.03)),
    ...                           ("PA", "comparison", (23.33, 21.17))):
    ...     for wave, mean in zip(("before", "after"), means):
    ...         rows += [(state, arm, wave, f"{state}{wave}{k}", mean + dev)
    ...                  for k, dev in enumerate((-1.0, 0.0, 1.0))]
    >>> s = pd.DataFrame(rows, columns=["municipality_code", "arm", "wave", "person", "score"])
    >>> r = difference_in_differences(s)
    >>> round(r["estimate"], 4), r["n_assignments"], r["permutation_p"]
    (2.75, 2, 1.0)
    """
    work = _pooled_frame(scores)
    if "arm" not in work:
        raise DimiosError("difference-in-differences needs an 'arm' column")
    work["treated"] = (work["arm"] == "treated").astype(float)
    codes = sorted(work["municipality_code"].unique())
    treated_codes = sorted(work.loc[work["treated"] == 1, "municipality_code"].unique())
    if not treated_codes or len(treated_codes) == len(codes):
        raise DimiosError("difference-in-differences needs treated and comparison municipalities")
    counts = {"n_municipalities": len(codes), "n_treated": len(treated_codes),
              "n_comparison": len(codes) - len(treated_codes)}
    cells = work.groupby(["arm", "wave"]).size()
    if len(cells) < 4:  # an arm without scores in a wave: nothing to difference
        return {**dict.fromkeys(_DID_NUMBERS, np.nan), **counts,
                "n_clusters": int(work["person"].nunique()), "wild_draws": 0,
                "wild_enumerated": False,
                "n_assignments": math.comb(len(codes), len(treated_codes))}
    m_index = work["municipality_code"].map({c: i for i, c in enumerate(codes)}).to_numpy()
    post = work["post"].to_numpy()
    y = work["score"].to_numpy(dtype=float)
    x = np.column_stack([post, work["treated"].to_numpy() * post, np.eye(len(codes))[m_index]])
    res = cluster_robust_ols(y, x, pd.factorize(work["person"])[0], term=1, ci_level=ci_level)
    res["n_clusters"] = int(work["person"].nunique())
    wild = wild_cluster_bootstrap(y, x, m_index, term=1, weights=weights,
                                  n_resamples=n_resamples, ci_level=ci_level, seed=seed,
                                  rng_key=("did", *rng_key))
    res.update(wild_se=wild["se"], wild_statistic=wild["statistic"], wild_p=wild["p_value"],
               wild_ci_low=wild["ci_low"], wild_ci_high=wild["ci_high"],
               wild_draws=wild["n_draws"], wild_enumerated=wild["enumerated"],
               min_wild_p=wild["min_p"])
    cell = work.groupby(["arm", "wave"])["score"].mean()
    res.update(counts, treated_before=float(cell[("treated", "before")]),
               treated_after=float(cell[("treated", "after")]),
               comparison_before=float(cell[("comparison", "before")]),
               comparison_after=float(cell[("comparison", "after")]))
    res["treated_change"] = res["treated_after"] - res["treated_before"]
    res["comparison_change"] = res["comparison_after"] - res["comparison_before"]
    within = work.groupby(["municipality_code", "wave"])["score"]
    dof = (within.count() - 1).clip(lower=0)
    var = within.var(ddof=1).fillna(0)
    res["standardised"] = float(res["estimate"] / math.sqrt((dof * var).sum() / dof.sum()))
    p, n_assign, min_p = _did_permutation(work, codes, treated_codes, res["estimate"],
                                          max_permutations, seed)
    res.update(permutation_p=p, n_assignments=n_assign, min_permutation_p=min_p)
    return res


_DID_NUMBERS = ("estimate", "se", "statistic", "df", "p_value", "ci_low", "ci_high",
                "wild_se", "wild_statistic", "wild_p", "wild_ci_low", "wild_ci_high",
                "min_wild_p", "treated_before", "treated_after", "comparison_before",
                "comparison_after", "treated_change", "comparison_change", "standardised",
                "permutation_p", "min_permutation_p")


def _did_permutation(work, codes, treated_codes, estimate, max_permutations, seed):
    """Randomisation inference over assignments of treatment to municipalities (FWL, exact).

    Under an assignment (a 0/1 vector ``a`` over municipalities) the regressor is
    :math:`x = a_{m(i)}\\,\\mathrm{post}_i`; with :math:`Q` an orthonormal basis of post and the
    municipality dummies, :math:`\\hat\\delta_a = x'M y / x'M x` needs only per-municipality
    sums: :math:`x'My = a'\\,s` with :math:`s_m = \\sum_{i \\in m,\\ post} (My)_i`, and
    :math:`x'Mx = a'n - \\lVert B a\\rVert^2` with :math:`n_m` the after-wave counts and
    :math:`B_{\\cdot m} = \\sum_{i \\in m,\\ post} Q_i`.
    """
    g, k = len(codes), len(treated_codes)
    m_index = work["municipality_code"].map({c: i for i, c in enumerate(codes)}).to_numpy()
    post = work["post"].to_numpy()
    y = work["score"].to_numpy()
    base = np.column_stack([post, np.eye(g)[m_index]])  # post + one dummy per municipality
    q, _ = np.linalg.qr(base)
    total = math.comb(g, k)
    if total <= max_permutations:
        chosen = np.array(list(itertools.combinations(range(g), k)))
        exact = True
    else:
        rng = group_seed(seed, "did-permutation", *codes)
        chosen = np.argsort(rng.random((max_permutations, g)), axis=1)[:, :k]
        exact = False
    member = np.zeros((g, len(chosen)))
    member[chosen.T, np.arange(len(chosen))] = 1  # one column per assignment
    ry = y - q @ (q.T @ y)
    after = np.zeros((len(y), g))
    after[np.arange(len(y)), m_index] = post
    s_m, n_m, b = after.T @ ry, after.sum(axis=0), q.T @ after
    with np.errstate(divide="ignore", invalid="ignore"):
        betas = (s_m @ member) / (n_m @ member - ((b @ member) ** 2).sum(axis=0))
    hits = np.abs(betas) >= abs(estimate) - 1e-9
    if exact:
        # An assignment and its complement give -delta and delta when half are treated.
        return float(hits.mean()), total, (2 if 2 * k == g else 1) / total
    n = len(chosen)
    return float((1 + hits.sum()) / (1 + n)), n, 1 / (1 + n)


def proportional_odds(answers, exog: pd.DataFrame, term: str, *, ci_level: float = 0.95
                      ) -> dict[str, Any]:
    """Fit a proportional-odds (ordered logit) model and report one coefficient.

    Parameters
    ----------
    answers : array-like
        Ordinal answers (whole numbers).
    exog : DataFrame
        Regressors without a constant (the thresholds take its place).
    term : str
        The column of ``exog`` to report.

    Returns
    -------
    dict
        ``log_odds, se, ci_low, ci_high, odds_ratio, p_value, converged``.

    Notes
    -----
    :math:`\\mathrm{logit}\\,P(Y \\le k) = \\theta_k - x^\\top\\beta`: a positive coefficient
    means higher answers (statsmodels ``OrderedModel``, Wald tests). With two categories the
    model is logistic regression, and for a single binary regressor the coefficient is the log
    odds ratio of the 2 x 2 table (hand-checked in the tests).
    """
    y = np.asarray(answers, dtype=float)
    nan = {"log_odds": np.nan, "se": np.nan, "ci_low": np.nan, "ci_high": np.nan,
           "odds_ratio": np.nan, "p_value": np.nan, "converged": False}
    levels = np.unique(y)
    if len(levels) < 2 or exog[term].nunique() < 2:
        return nan
    endog = pd.Series(pd.Categorical(y, categories=levels, ordered=True))
    exog = exog.loc[:, exog.nunique() > 1].reset_index(drop=True)
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        try:
            fit = _ordered_logit()(endog, exog, distr="logit").fit(method="bfgs", disp=False,
                                                                   maxiter=500)
        except (np.linalg.LinAlgError, ValueError):
            return nan
    z = stats.norm.ppf((1 + ci_level) / 2)
    b, se = float(fit.params[term]), float(fit.bse[term])
    return {"log_odds": b, "se": se, "ci_low": b - z * se, "ci_high": b + z * se,
            "odds_ratio": math.exp(b), "p_value": float(fit.pvalues[term]),
            "converged": bool(fit.mle_retvals.get("converged", False)) and np.isfinite(se)}


@functools.lru_cache(maxsize=1)
def _ordered_logit():
    """statsmodels' OrderedModel with the logistic cdf and pdf evaluated by ``expit``.

    The same model (``distr="logit"``); scipy's generic ``logistic.cdf`` machinery made the fit
    ten times slower.
    """
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    class OrderedLogit(OrderedModel):
        def cdf(self, x):
            return special.expit(x)

        def pdf(self, x):
            p = special.expit(x)
            return p * (1 - p)

    return OrderedLogit
