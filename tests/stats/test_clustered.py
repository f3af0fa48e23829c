"""Cluster-robust inference: CR1 errors against statsmodels, the wild cluster restricted bootstrap
against a brute-force re-computation of every bootstrap sample (each refitted by statsmodels),
and its interval against the test it inverts."""


import itertools
import math

import numpy as np
import pytest
import statsmodels.api as sm

from dimios_lib.stats.clustered import WEIGHTS, cluster_robust_ols, wild_cluster_bootstrap

# statsmodels' cluster covariance is singular in the fixed effects' directions (one municipality
# per effect); the tested coefficient's variance is fine.
pytestmark = pytest.mark.filterwarnings("ignore:invalid value encountered in sqrt")


def _design(seed=3, sizes=(3, 5, 4, 6, 2)):
    """Unequal clusters, municipality fixed effects, a post dummy and treated:post (two of the
    clusters treated) — the difference-in-differences design in miniature."""
    rng = np.random.default_rng(seed)
    g = len(sizes)
    cl = np.repeat(np.arange(g), sizes)
    post = rng.integers(0, 2, len(cl)).astype(float)
    did = np.isin(cl, [0, 1]) * post
    y = rng.normal(size=len(cl)) + 0.5 * did + rng.normal(size=g)[cl]
    x = np.column_stack([post, did, np.eye(g)[cl]])
    return y, x, cl


def _t_statsmodels(y, x, cl):
    fit = sm.OLS(y, x).fit(cov_type="cluster", cov_kwds={"groups": cl})
    return float(fit.tvalues[1])


def test_cr1_errors_are_statsmodels():
    y, x, cl = _design()
    r = cluster_robust_ols(y, x, cl, term=1)
    fit = sm.OLS(y, x).fit(cov_type="cluster", cov_kwds={"groups": cl}, use_t=True)
    assert r["estimate"] == pytest.approx(fit.params[1], rel=1e-10)
    assert r["se"] == pytest.approx(fit.bse[1], rel=1e-10)
    assert r["df"] == fit.df_resid_inference == 4
    assert r["p_value"] == pytest.approx(fit.pvalues[1], rel=1e-8)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx(tuple(fit.conf_int()[1]), rel=1e-8)
    assert wild_cluster_bootstrap(y, x, cl, term=1, ci_level=None)["se"] == pytest.approx(
        fit.bse[1], rel=1e-10)


def test_wild_bootstrap_p_is_the_share_of_enumerated_samples_by_brute_force():
    """Every one of the 2^5 = 32 Rademacher vectors by hand: y* = restricted fit + restricted
    residual x v_g, refitted by statsmodels with CR1 errors; p = #{|t*| >= |t|} / 32."""
    y, x, cl = _design()
    xr = np.delete(x, 1, axis=1)
    fitted = xr @ np.linalg.lstsq(xr, y, rcond=None)[0]
    resid = y - fitted
    t = _t_statsmodels(y, x, cl)
    stars = [_t_statsmodels(fitted + resid * np.array(v)[cl], x, cl)
             for v in itertools.product([-1.0, 1.0], repeat=5)]
    hits = sum(abs(s) >= abs(t) - 1e-9 for s in stars)
    r = wild_cluster_bootstrap(y, x, cl, term=1, weights="rademacher", ci_level=None)
    assert r["statistic"] == pytest.approx(t, rel=1e-9)
    assert (r["n_draws"], r["enumerated"]) == (32, True)
    assert r["p_value"] == hits / 32 == 0.25  # typed in: 8 of the 32 samples reach |t|
    # The vectors v = 1 and v = -1 give y* = y and its mirror: the floor 2/32.
    assert r["min_p"] == 2 / 32


def test_webb_weights_enumerate_six_to_the_g():
    y, x, cl = _design(sizes=(4, 3, 5, 4))
    r = wild_cluster_bootstrap(y, x, cl, term=1, weights="webb", ci_level=None)
    assert (r["n_draws"], r["enumerated"]) == (6 ** 4, True)
    assert r["min_p"] == pytest.approx(6 / 6 ** 4)
    assert sorted(WEIGHTS["webb"] ** 2) == pytest.approx([0.5, 0.5, 1, 1, 1.5, 1.5])
    # E v = 0 and E v^2 = 1, as a wild bootstrap weight must have.
    assert WEIGHTS["webb"].mean() == pytest.approx(0) and (WEIGHTS["webb"] ** 2).mean() == 1


def test_drawn_weights_are_seeded_and_counted_as_one_plus():
    y, x, cl = _design()
    a = wild_cluster_bootstrap(y, x, cl, term=1, weights="webb", n_resamples=999,
                               ci_level=None, seed=1, rng_key=("k",))
    b = wild_cluster_bootstrap(y, x, cl, term=1, weights="webb", n_resamples=999,
                               ci_level=None, seed=1, rng_key=("k",))
    assert not a["enumerated"] and a["n_draws"] == 999 and a["min_p"] == 1 / 1000
    assert a["p_value"] == b["p_value"]
    assert (a["p_value"] * 1000) == pytest.approx(round(a["p_value"] * 1000))  # (1 + hits)/1000


def test_the_interval_inverts_the_test():
    """At the interval's ends the test of H0: delta = delta_0 (the same bootstrap on
    y - delta_0 d) switches from not rejecting to rejecting at 5 %."""
    y, x, cl = _design(seed=8, sizes=(5, 6, 4, 7, 5, 6, 4))
    r = wild_cluster_bootstrap(y, x, cl, term=1, weights="webb")
    assert r["ci_low"] < r["estimate"] < r["ci_high"]

    def p(delta0):
        return wild_cluster_bootstrap(y - delta0 * x[:, 1], x, cl, term=1, weights="webb",
                                      ci_level=None)["p_value"]

    eps = 1e-6 * (r["ci_high"] - r["ci_low"])
    for end, outward in ((r["ci_low"], -1), (r["ci_high"], 1)):
        assert p(end - outward * eps) > 0.05 >= p(end + outward * eps)


def test_too_few_clusters_leave_the_interval_unbounded():
    """Four clusters with Rademacher weights: p is at least 2/16 = 0.125 > 0.05 for every
    delta_0, so no value is rejected and the 95 % interval is the whole line."""
    y = [1.0, 2.0, 2.0, 3.0, 4.0, 4.5, 5.0, 7.0]
    x = np.column_stack([np.ones(8), [0, 0, 0, 0, 1, 1, 1, 1]])
    r = wild_cluster_bootstrap(y, x, [1, 1, 2, 2, 3, 3, 4, 4], term=1)
    assert r["min_p"] == 0.125 and r["p_value"] == 0.125
    assert r["ci_low"] == -math.inf and r["ci_high"] == math.inf
    # One cluster, or a tested column the others explain: nothing to test.
    assert np.isnan(wild_cluster_bootstrap(y, x, [1] * 8, term=1)["p_value"])
    with pytest.raises(ValueError):
        wild_cluster_bootstrap(y, x, [1, 1, 2, 2, 3, 3, 4, 4], term=1, weights="mammen")
