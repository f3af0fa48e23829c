"""Paired and independent tests against R's sleep data and Brunner & Munzel's published example."""


import numpy as np
import pytest

from dimios_lib.stats.comparisons import brunner_munzel, independent_tests, paired_tests

# R's datasets::sleep (Student 1908): extra hours of sleep, group 1 and group 2, ten patients.
# Read here as before = group 1, after = group 2, so that after - before = group 2 - group 1.
SLEEP_1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])


SLEEP_2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])


def test_paired_t_and_wilcoxon_against_r_sleep():
    """R: t.test(extra ~ group, data = sleep, paired = TRUE) gives t = -4.0621, df = 9,
    p-value = 0.002833 for group 1 - group 2; wilcox.test(..., paired = TRUE) gives V = 0,
    p-value = 0.009091 (normal approximation: there are ties and a zero difference)."""
    r = paired_tests(SLEEP_1, SLEEP_2)
    assert r["t"] == pytest.approx(4.0621, abs=5e-5)
    assert r["df"] == 9
    assert r["p_t"] == pytest.approx(0.002833, abs=5e-7)
    assert r["mean_diff"] == pytest.approx(1.58)
    # R: 95 percent confidence interval -2.4598858 -0.7001142 (group 1 - group 2)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((0.7001142, 2.4598858), abs=1e-7)
    assert r["p_w"] == pytest.approx(0.009091, abs=5e-7)
    assert r["w"] == 45  # V for after - before: ranks 1..9 all positive
    assert r["w_method"].startswith("normal approximation")


def test_wilcoxon_exact_without_ties_or_zeros():
    # Differences 1..6 all positive, no ties: exact p = 2 / 2^6 = 0.03125 (R: V = 21, p = 0.03125)
    r = paired_tests(np.zeros(6), np.arange(1, 7))
    assert r["w_method"] == "exact" and r["w"] == 21
    assert r["p_w"] == pytest.approx(2 / 64)


def test_welch_and_mann_whitney_against_r_sleep():
    """R: t.test(extra ~ group, data = sleep) gives t = -1.8608, df = 17.776, p-value = 0.07939;
    wilcox.test(extra ~ group, data = sleep) gives W = 25.5, p-value = 0.06933."""
    r = independent_tests(SLEEP_1, SLEEP_2)
    assert r["t"] == pytest.approx(1.8608, abs=5e-5)
    assert r["df"] == pytest.approx(17.776, abs=5e-4)
    assert r["p_t"] == pytest.approx(0.07939, abs=5e-6)
    # R: 95 percent confidence interval -3.3654832  0.2054832
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((-0.2054832, 3.3654832), abs=1e-7)
    assert r["u"] == 100 - 25.5  # U of after = n1 n2 - W
    assert r["p_u"] == pytest.approx(0.06933, abs=5e-6)


def test_brunner_munzel_against_published_example():
    """Brunner & Munzel (2000), pain scores after surgery; R lawstat::brunner.munzel.test(x, y):
    Brunner-Munzel Test Statistic = 3.1375, df = 17.683, p-value = 0.005786."""
    x = [1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4, 1, 1]
    y = [3, 3, 4, 3, 1, 2, 3, 1, 1, 5, 4]
    r = brunner_munzel(x, y)
    assert r["statistic"] == pytest.approx(3.1375, abs=5e-5)
    assert r["df"] == pytest.approx(17.683, abs=5e-4)
    assert r["p"] == pytest.approx(0.005786, abs=5e-7)
    # p_hat = P(Y > X) + P(Y = X)/2 = 0.789 (lawstat: "P(X<Y)+.5*P(X=Y) 0.788961")
    assert r["p_hat"] == pytest.approx(0.788961, abs=5e-7)
    # The other direction flips the sign only.
    back = brunner_munzel(y, x)
    assert back["statistic"] == pytest.approx(-r["statistic"]) and back["p"] == pytest.approx(r["p"])
